import { SETTINGS } from '../lambda/settings';
import type { ClientChoiceRow } from './client-choice';
import type { DispatchRow } from './dispatch-throughput';
import { HTTP_CLIENTS } from './http-clients';

/**
 * Lambda allots CPU in proportion to memory: a function with 1,769 MB has the equivalent of one
 * vCPU. One Node.js event loop uses at most one, so no ceiling grows past it.
 * @see https://docs.aws.amazon.com/lambda/latest/dg/configuration-memory.html
 */
export const MB_PER_VCPU = 1769;

/** The memory sizes the capacity table shows a container's ceiling at. */
export const CAPACITY_MEMORY_MB = [256, 512, 1024, MB_PER_VCPU] as const;

/**
 * The default stack (infra/webhook-dispatcher.ts): the function's memory, and `maxConcurrency`
 * containers for each of its two event sources, the events queue and the retry queue. New events
 * are delivered by the events queue's containers; retries by the others, at the same time.
 */
export const DEFAULT_STACK = { memoryMb: SETTINGS.memorySize.default, containersPerQueue: SETTINGS.maxConcurrency.default, queues: 2 } as const;

/** What one client's measured CPU per delivery allows. */
export interface CapacityRow {
  readonly label: string;
  readonly subscriptions: number;
  readonly cpuMicrosPerDelivery: number;
  /** 10⁶ ÷ CPU µs per delivery. */
  readonly perVcpuSecond: number;
  /** Deliveries per second of one container, by memory size in MB. */
  readonly perContainer: Readonly<Record<(typeof CAPACITY_MEMORY_MB)[number], number>>;
  /** Deliveries per second of the default stack's events-queue containers together (new events). */
  readonly defaultStack: number;
  /** The same with the retry queue's containers too: the stack's whole ceiling. */
  readonly defaultStackBothQueues: number;
}

/**
 * The ceiling a CPU cost per delivery sets, if the container did nothing but deliver: deliveries
 * per vCPU-second, then per container at each memory size (its share of a vCPU) and for the
 * default stack. Receivers' latency costs wall time on top of it, not CPU.
 */
export function capacityRow(label: string, subscriptions: number, cpuMicrosPerDelivery: number): CapacityRow {
  const perVcpuSecond = 1e6 / cpuMicrosPerDelivery;
  const atMemory = (memoryMb: number): number => (perVcpuSecond * Math.min(memoryMb, MB_PER_VCPU)) / MB_PER_VCPU;
  return {
    label,
    subscriptions,
    cpuMicrosPerDelivery,
    perVcpuSecond,
    perContainer: Object.fromEntries(CAPACITY_MEMORY_MB.map((memoryMb) => [memoryMb, atMemory(memoryMb)])) as CapacityRow['perContainer'],
    defaultStack: DEFAULT_STACK.containersPerQueue * atMemory(DEFAULT_STACK.memoryMb),
    defaultStackBothQueues: DEFAULT_STACK.queues * DEFAULT_STACK.containersPerQueue * atMemory(DEFAULT_STACK.memoryMb),
  };
}

/**
 * The capacity table of a run: our handler at every size of section 1, then, at each size of
 * section 9, the handler with each HTTP client compared and each client alone, and at those sizes
 * the other alternatives of section 1 (a bare undici Pool, the naive baseline, our work without
 * HTTP). autocannon is left out: it parses responses with its own code, so its CPU is not a client's.
 */
export function benchCapacity(dispatch: readonly DispatchRow[], clientChoice: readonly ClientChoiceRow[]): CapacityRow[] {
  const rows = dispatch.map((row) => capacityRow('ours', row.subscriptions, row.results.handler.cpuMicrosPerDelivery));
  for (const subscriptions of [...new Set(clientChoice.map((row) => row.subscriptions))]) {
    for (const row of clientChoice.filter((r) => r.subscriptions === subscriptions)) {
      rows.push(capacityRow(`handler with ${HTTP_CLIENTS[row.client].label}`, subscriptions, row.handler.cpuMicrosPerDelivery));
    }
    for (const row of clientChoice.filter((r) => r.subscriptions === subscriptions)) {
      rows.push(capacityRow(`${HTTP_CLIENTS[row.client].label} alone`, subscriptions, row.alone.cpuMicrosPerDelivery));
    }
    const same = dispatch.find((row) => row.subscriptions === subscriptions);
    if (same !== undefined) {
      rows.push(capacityRow('bare undici Pool.request (b)', subscriptions, same.results.pool.cpuMicrosPerDelivery));
      rows.push(capacityRow('naive', subscriptions, same.results.naive.cpuMicrosPerDelivery));
      rows.push(capacityRow('our work without HTTP', subscriptions, same.results.work.cpuMicrosPerDelivery));
    }
  }
  return rows;
}
