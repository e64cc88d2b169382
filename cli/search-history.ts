import { FilterLogEventsCommand } from '@aws-sdk/client-cloudwatch-logs';
import type { CloudWatchLogsClient } from '@aws-sdk/client-cloudwatch-logs';

import type { DeliveryFilters, DeliveryRecord } from './delivery-record';
import { historyFilterPattern, matchesFilters, parseAuditLine } from './delivery-record';

/** How far a search has gone, for a progress line. */
export interface SearchProgress {
  /** Epoch milliseconds the search has reached back to. */
  readonly reachedBack: number;
  readonly requests: number;
  readonly found: number;
}

export interface SearchOptions {
  readonly client: CloudWatchLogsClient;
  readonly logGroup: string;
  readonly filters: DeliveryFilters;
  /** Epoch milliseconds, inclusive. */
  readonly from: number;
  readonly to: number;
  /** The most records wanted: the newest this many. */
  readonly limit: number;
  /** Called as the search goes further back: at each new slice and every tenth request within one. */
  readonly onProgress?: (progress: SearchProgress) => void;
}

export interface SearchResult {
  /** Newest first, at most `limit`. */
  readonly records: readonly DeliveryRecord[];
  /** FilterLogEvents requests made. */
  readonly requests: number;
  /** Whether the whole window was searched (false when `limit` records were found before its start). */
  readonly complete: boolean;
}

/** Slices are at least this long, and the first is 1/64 of the window. */
const MIN_SLICE_MS = 60_000;
const FIRST_SLICE_FRACTION = 64;
const PROGRESS_EVERY_REQUESTS = 10;

/**
 * The newest `limit` audit lines in a window that match the filters, newest first. FilterLogEvents
 * returns events oldest first, so the window is searched backwards in slices that double in length
 * (1/64 of it first): a recent answer costs one slice, and the whole window costs at most about
 * seven more requests than one pass over it. Within a slice only the newest lines still wanted are
 * kept, so memory is bounded by `limit`.
 * @see https://docs.aws.amazon.com/AmazonCloudWatchLogs/latest/APIReference/API_FilterLogEvents.html
 */
export async function searchNewestFirst(options: SearchOptions): Promise<SearchResult> {
  const filterPattern = historyFilterPattern(options.filters);
  const records: DeliveryRecord[] = [];
  let requests = 0;
  let sliceMs = Math.max(MIN_SLICE_MS, Math.ceil((options.to - options.from + 1) / FIRST_SLICE_FRACTION));
  let end = options.to;
  while (end >= options.from && records.length < options.limit) {
    const start = Math.max(options.from, end - sliceMs + 1);
    if (end < options.to) options.onProgress?.({ reachedBack: end + 1, requests, found: records.length });
    const wanted = options.limit - records.length;
    const slice: DeliveryRecord[] = [];
    let nextToken: string | undefined;
    do {
      const page = await options.client.send(
        new FilterLogEventsCommand({ logGroupName: options.logGroup, startTime: start, endTime: end, filterPattern, nextToken }),
      );
      requests++;
      for (const event of page.events ?? []) {
        const record = event.message === undefined || event.timestamp === undefined ? undefined : parseAuditLine(event.message, event.timestamp);
        if (record === undefined || !matchesFilters(record, options.filters)) continue;
        slice.push(record);
        if (slice.length >= 2 * wanted) slice.splice(0, slice.length - wanted);
      }
      nextToken = page.nextToken;
      if (nextToken !== undefined && requests % PROGRESS_EVERY_REQUESTS === 0) {
        options.onProgress?.({ reachedBack: start, requests, found: records.length + slice.length });
      }
    } while (nextToken !== undefined);
    records.push(...slice.slice(-wanted).reverse());
    end = start - 1;
    sliceMs *= 2;
  }
  return { records, requests, complete: end < options.from };
}
