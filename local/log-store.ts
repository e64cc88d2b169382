import { LogsError } from './errors';
import { LogDataFile } from './log-data-file';
import type { SavedLogLine } from './log-data-file';
import { compileFilterPattern } from './logs-filter-pattern';

/** One log event as the stand-in keeps it. */
export interface StoredLogEvent {
  readonly stream: string;
  /** Epoch milliseconds the event happened (PutLogEvents' timestamp). */
  readonly timestamp: number;
  /** Epoch milliseconds the stand-in received it. */
  readonly ingestionTime: number;
  readonly message: string;
  /** Counted as CloudWatch counts an event's size: its UTF-8 bytes plus 26. */
  readonly size: number;
  /** Increasing across the store: the event's id and its place among events of one timestamp. */
  readonly seq: number;
}

/** A FilterLogEvents query, in the stand-in's terms. */
export interface FilterQuery {
  readonly group: string;
  readonly streams?: readonly string[];
  readonly streamPrefix?: string;
  /** Epoch milliseconds, both inclusive. */
  readonly startTime?: number;
  readonly endTime?: number;
  readonly filterPattern?: string;
  readonly limit?: number;
  readonly nextToken?: string;
}

export interface FilterPage {
  readonly events: readonly StoredLogEvent[];
  readonly nextToken?: string;
}

export interface LogStoreOptions {
  /** The most bytes of events kept (as {@link StoredLogEvent.size} counts them); the oldest go first. Default 64 MiB. */
  readonly maxBytes?: number;
  /** JSON Lines file loaded at open and appended to; omit to stay in memory. */
  readonly dataFile?: string;
  /** Events a FilterLogEvents page looks at before it answers, full or not, with a nextToken. Default 100,000. */
  readonly maxScannedPerPage?: number;
  /** Epoch milliseconds; default `Date.now`. */
  readonly now?: () => number;
}

/** The default size cap of the kept events. */
export const DEFAULT_LOG_STORE_BYTES = 64 * 1024 * 1024;

// CloudWatch Logs' limits: a FilterLogEvents page holds at most 10,000 events or 1 MB; a PutLogEvents
// batch at most 10,000 events or 1,048,576 bytes counting 26 bytes per event.
// https://docs.aws.amazon.com/AmazonCloudWatchLogs/latest/APIReference/API_FilterLogEvents.html
// https://docs.aws.amazon.com/AmazonCloudWatchLogs/latest/APIReference/API_PutLogEvents.html
const MAX_PAGE_EVENTS = 10_000;
const MAX_PAGE_BYTES = 1024 * 1024;
const MAX_BATCH_EVENTS = 10_000;
const MAX_BATCH_BYTES = 1_048_576;
const EVENT_OVERHEAD_BYTES = 26;

interface LogGroup {
  readonly creationTime: number;
  readonly streams: Set<string>;
  /** Sorted by (timestamp, seq); `events[head]` is the oldest kept. */
  events: StoredLogEvent[];
  head: number;
}

/**
 * The CloudWatch Logs stand-in's state, free of HTTP: log groups and streams, events kept in time
 * order under a size cap (the oldest are dropped first, across groups), and FilterLogEvents over
 * them with CloudWatch's paging. With a data file the events outlive the process.
 */
export class LogStore {
  readonly #groups = new Map<string, LogGroup>();
  readonly #maxBytes: number;
  readonly #maxScanned: number;
  readonly #now: () => number;
  readonly #file: LogDataFile | undefined;
  #bytes = 0;
  #seq = 0;

  /**
   * Opens a store, loading `options.dataFile` when it exists (keeping its newest events within the cap).
   * @throws LogDataFileError when the data file cannot be read.
   */
  static async open(options: LogStoreOptions = {}): Promise<LogStore> {
    const store = new LogStore(options);
    for (const line of (await store.#file?.load()) ?? []) store.#restore(line);
    return store;
  }

  private constructor(options: LogStoreOptions) {
    this.#maxBytes = options.maxBytes ?? DEFAULT_LOG_STORE_BYTES;
    this.#maxScanned = options.maxScannedPerPage ?? 100_000;
    this.#now = options.now ?? Date.now;
    this.#file = options.dataFile === undefined ? undefined : new LogDataFile(options.dataFile, { snapshot: () => this.#snapshot(), maxBytes: this.#maxBytes });
  }

  /** Bytes of events kept, as {@link StoredLogEvent.size} counts them. */
  get bytes(): number {
    return this.#bytes;
  }

  /** The size cap of the kept events. */
  get maxBytes(): number {
    return this.#maxBytes;
  }

  /** The data file, when the events outlive the process. */
  get dataFile(): string | undefined {
    return this.#file?.path;
  }

  /** @throws {LogsError} ResourceAlreadyExistsException when the group exists. */
  createGroup(name: string): void {
    if (this.#groups.has(name)) throw new LogsError('ResourceAlreadyExistsException', `The log group ${name} already exists.`);
    this.#group(name, this.#now(), true);
  }

  /** Creates the group and stream unless they exist (the local function's own, at start). */
  ensureStream(group: string, stream: string): void {
    if (!this.#groups.has(group)) this.#group(group, this.#now(), true);
    this.#addStream(group, stream);
  }

  /** @throws {LogsError} ResourceNotFoundException for an unknown group; ResourceAlreadyExistsException when the stream exists. */
  createStream(group: string, stream: string): void {
    if (this.#existing(group).streams.has(stream)) throw new LogsError('ResourceAlreadyExistsException', `The log stream ${stream} already exists.`);
    this.#addStream(group, stream);
  }

  /**
   * PutLogEvents: a batch of events, in time order, to an existing stream.
   * @throws {LogsError} ResourceNotFoundException or InvalidParameterException as CloudWatch Logs does.
   */
  put(group: string, stream: string, events: readonly { readonly timestamp: number; readonly message: string }[]): void {
    if (!this.#existing(group).streams.has(stream)) throw new LogsError('ResourceNotFoundException', `The specified log stream does not exist.`);
    if (events.length === 0 || events.length > MAX_BATCH_EVENTS) {
      throw new LogsError('InvalidParameterException', `A batch holds 1 to ${MAX_BATCH_EVENTS} log events; this one has ${events.length}.`);
    }
    const bytes = events.reduce((sum, event) => sum + Buffer.byteLength(event.message) + EVENT_OVERHEAD_BYTES, 0);
    if (bytes > MAX_BATCH_BYTES) throw new LogsError('InvalidParameterException', `A batch holds at most ${MAX_BATCH_BYTES} bytes; this one has ${bytes}.`);
    for (let index = 1; index < events.length; index++) {
      if ((events[index] as { timestamp: number }).timestamp < (events[index - 1] as { timestamp: number }).timestamp) {
        throw new LogsError('InvalidParameterException', 'Log events in a single PutLogEvents request must be in chronological order.');
      }
    }
    const ingestionTime = this.#now();
    for (const event of events) this.#add(group, stream, event.timestamp, ingestionTime, event.message, true);
  }

  /** Appends one line, written at `timestamp` (default now), to a stream created if missing: the local function's log. */
  append(group: string, stream: string, message: string, timestamp?: number): void {
    this.ensureStream(group, stream);
    const now = this.#now();
    this.#add(group, stream, timestamp ?? now, now, message, true);
  }

  /**
   * FilterLogEvents: events of the group from `startTime` to `endTime` (inclusive) that match the
   * pattern, oldest first, at most `limit` (≤ 10,000) or 1 MB a page. A page answers once it is full
   * or has looked at `maxScannedPerPage` events, so it may be partial or empty with a nextToken, as
   * CloudWatch's pages may.
   * @throws {LogsError} ResourceNotFoundException, or InvalidParameterException for a bad limit, token or pattern.
   */
  filter(query: FilterQuery): FilterPage {
    const group = this.#existing(query.group);
    const limit = query.limit ?? MAX_PAGE_EVENTS;
    if (!Number.isInteger(limit) || limit < 1 || limit > MAX_PAGE_EVENTS) throw new LogsError('InvalidParameterException', `limit must be from 1 to ${MAX_PAGE_EVENTS}.`);
    const matches = compileFilterPattern(query.filterPattern);
    const streams = query.streams === undefined ? undefined : new Set(query.streams);
    const from = query.nextToken === undefined ? { timestamp: query.startTime ?? -Infinity, seq: 0 } : parseToken(query.nextToken, query.group);
    const events: StoredLogEvent[] = [];
    let bytes = 0;
    let scanned = 0;
    for (let index = lowerBound(group, from); index < group.events.length; index++) {
      const event = group.events[index] as StoredLogEvent;
      if (query.endTime !== undefined && event.timestamp > query.endTime) return { events };
      if (scanned === this.#maxScanned || events.length === limit || bytes + event.size > MAX_PAGE_BYTES) {
        return { events, nextToken: token(query.group, event) };
      }
      scanned++;
      if (streams !== undefined && !streams.has(event.stream)) continue;
      if (query.streamPrefix !== undefined && !event.stream.startsWith(query.streamPrefix)) continue;
      if (!matches(event.message)) continue;
      events.push(event);
      bytes += event.size;
    }
    return { events };
  }

  /** Resolves once every event so far is in the data file. */
  flush(): Promise<void> {
    return this.#file?.flush() ?? Promise.resolve();
  }

  /** Flushes and stops the data file's timer. */
  async close(): Promise<void> {
    await this.flush();
    this.#file?.close();
  }

  #existing(name: string): LogGroup {
    const group = this.#groups.get(name);
    if (group === undefined) throw new LogsError('ResourceNotFoundException', `The specified log group does not exist: ${name}.`);
    return group;
  }

  #group(name: string, creationTime: number, save: boolean): LogGroup {
    const group: LogGroup = { creationTime, streams: new Set(), events: [], head: 0 };
    this.#groups.set(name, group);
    if (save) this.#file?.append({ kind: 'group', group: name, creationTime });
    return group;
  }

  #addStream(group: string, stream: string): void {
    const streams = this.#existing(group).streams;
    if (streams.has(stream)) return;
    streams.add(stream);
    this.#file?.append({ kind: 'stream', group, stream });
  }

  #add(groupName: string, stream: string, timestamp: number, ingestionTime: number, message: string, save: boolean): void {
    const group = this.#existing(groupName);
    const event: StoredLogEvent = { stream, timestamp, ingestionTime, message, size: Buffer.byteLength(message) + EVENT_OVERHEAD_BYTES, seq: ++this.#seq };
    const last = group.events.at(-1);
    if (last === undefined || last.timestamp <= timestamp) group.events.push(event);
    else group.events.splice(lowerBound(group, { timestamp: timestamp + 1, seq: 0 }), 0, event);
    this.#bytes += event.size;
    if (save) this.#file?.append({ kind: 'event', group: groupName, stream, timestamp, ingestionTime, message });
    this.#evict();
  }

  /** Drops the oldest events, group by group, until the kept ones fit the cap. */
  #evict(): void {
    while (this.#bytes > this.#maxBytes) {
      let oldest: LogGroup | undefined;
      for (const group of this.#groups.values()) {
        const first = group.events[group.head];
        if (first !== undefined && (oldest === undefined || first.timestamp < (oldest.events[oldest.head] as StoredLogEvent).timestamp)) oldest = group;
      }
      if (oldest === undefined) return;
      this.#bytes -= (oldest.events[oldest.head] as StoredLogEvent).size;
      oldest.head++;
      if (oldest.head > 1024 && oldest.head * 2 > oldest.events.length) {
        oldest.events = oldest.events.slice(oldest.head);
        oldest.head = 0;
      }
    }
  }

  #restore(line: SavedLogLine): void {
    switch (line.kind) {
      case 'group':
        if (!this.#groups.has(line.group)) this.#group(line.group, line.creationTime, false);
        return;
      case 'stream':
        if (!this.#groups.has(line.group)) this.#group(line.group, this.#now(), false);
        this.#existing(line.group).streams.add(line.stream);
        return;
      case 'event':
        if (!this.#groups.has(line.group)) this.#group(line.group, line.timestamp, false);
        this.#existing(line.group).streams.add(line.stream);
        this.#add(line.group, line.stream, line.timestamp, line.ingestionTime, line.message, false);
    }
  }

  /** Everything kept, as lines that rebuild it: groups, streams, then events oldest first. */
  #snapshot(): SavedLogLine[] {
    const lines: SavedLogLine[] = [];
    for (const [name, group] of this.#groups) {
      lines.push({ kind: 'group', group: name, creationTime: group.creationTime });
      for (const stream of group.streams) lines.push({ kind: 'stream', group: name, stream });
      for (let index = group.head; index < group.events.length; index++) {
        const { stream, timestamp, ingestionTime, message } = group.events[index] as StoredLogEvent;
        lines.push({ kind: 'event', group: name, stream, timestamp, ingestionTime, message });
      }
    }
    return lines;
  }
}

/** The index of the first kept event at or after (timestamp, seq). */
function lowerBound(group: LogGroup, from: { readonly timestamp: number; readonly seq: number }): number {
  let low = group.head;
  let high = group.events.length;
  while (low < high) {
    const middle = (low + high) >>> 1;
    const event = group.events[middle] as StoredLogEvent;
    if (event.timestamp < from.timestamp || (event.timestamp === from.timestamp && event.seq < from.seq)) low = middle + 1;
    else high = middle;
  }
  return low;
}

function token(group: string, next: StoredLogEvent): string {
  return Buffer.from(JSON.stringify({ group, timestamp: next.timestamp, seq: next.seq })).toString('base64url');
}

function parseToken(text: string, group: string): { timestamp: number; seq: number } {
  try {
    const parsed = JSON.parse(Buffer.from(text, 'base64url').toString('utf8')) as { group?: unknown; timestamp?: unknown; seq?: unknown };
    if (parsed.group === group && typeof parsed.timestamp === 'number' && typeof parsed.seq === 'number') return { timestamp: parsed.timestamp, seq: parsed.seq };
  } catch {
    // answered below
  }
  throw new LogsError('InvalidParameterException', 'The nextToken is not one this log group gave; repeat the query without it.');
}
