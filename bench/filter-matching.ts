/**
 * What payload filters cost (README, "Traffic control"): matches per second of compiled event
 * patterns on typical and hostile events, compiles per second, and the filter check the dispatcher
 * makes per (event, subscription). CPU only, in this process: run `npx tsx bench/filter-matching.ts`.
 */
import { performance } from 'node:perf_hooks';
import { compileEventPattern } from '../lambda/core/subscriptions/event-pattern';
import type { EventPattern } from '../lambda/core/subscriptions/event-pattern';
import { filterProblems, passesFilter } from '../lambda/core/subscriptions/subscription-filter';
import type { PlatformEvent } from '../lambda/core/inbound/events';

const WARM_UP_MS = 200;
const MEASURE_MS = 1000;

/** Runs `work` for about WARM_UP_MS, then in growing rounds for about MEASURE_MS; returns operations per second. */
function opsPerSecond(work: () => unknown): number {
  const warmUpUntil = performance.now() + WARM_UP_MS;
  while (performance.now() < warmUpUntil) work();
  let operations = 0;
  let round = 1;
  const started = performance.now();
  let elapsed = 0;
  while (elapsed < MEASURE_MS) {
    for (let i = 0; i < round; i++) work();
    operations += round;
    round = Math.min(round * 2, 10_000);
    elapsed = performance.now() - started;
  }
  return (operations / elapsed) * 1000;
}

function compiled(source: unknown): EventPattern {
  const result = compileEventPattern(source);
  if (!result.ok) throw new Error(JSON.stringify(result.issues));
  return result.pattern;
}

const event: PlatformEvent = {
  id: 'evt_01JTEST',
  type: 'experiments.succeeded',
  timestamp: '2026-11-27T10:00:00.000Z',
  data: {
    experiment: {
      id: 4242, name: 'resnet-sweep-3', project: 'vision', status: 'succeeded', user: 'ada', tags: ['gpu', 'nightly', 'sweep'],
      metrics: { accuracy: 0.9412, loss: 0.173, epochs: 90 }, queue: 'prod-gpu', durationSeconds: 5123.5,
    },
  },
};
const body = { id: event.id, type: event.type, timestamp: event.timestamp, data: event.data };

const simple = { data: { experiment: { project: ['vision', 'nlp'] } } };
const rich = {
  type: [{ suffix: '.succeeded' }],
  data: {
    experiment: {
      project: [{ 'equals-ignore-case': 'VISION' }],
      tags: ['nightly'],
      queue: [{ 'anything-but': { prefix: 'test-' } }],
      metrics: { accuracy: [{ numeric: ['>=', 0.9, '<=', 1] }], loss: [{ numeric: ['<', 0.2] }] },
      user: [{ exists: true }],
      parent: [{ exists: false }],
    },
  },
};
const runs = { data: { runs: { status: ['failed'], gpu: [{ numeric: ['>', 4] }] } } };
const hundredRuns = { data: { runs: Array.from({ length: 100 }, (_, i) => ({ id: i, status: i === 99 ? 'failed' : 'succeeded', gpu: 8 })) } };
/** As many prefix matchers as fit in 4 KiB, against an event array of 20,000 strings none of them match: the costliest list. */
const prefixes = { data: { names: Array.from({ length: 220 }, (_, i) => ({ prefix: `p${i}-` })) } };
const hostile = { data: { names: Array.from({ length: 20_000 }, (_, i) => `n${i}`) } };

/** A 256 KiB event of empty objects where the README example looks for a field: the step limit ends each match. */
const empties = { data: { experiment: Array.from({ length: 87_000 }, () => ({})) } };

const simplePattern = compiled(simple);
const richPattern = compiled(rich);
const runsPattern = compiled(runs);
const prefixPattern = compiled(prefixes);
const rows: [string, number][] = [
  ['match: 1 field, 2 values (the README example)', opsPerSecond(() => simplePattern.matches(body))],
  ['match: 8 fields, every operator', opsPerSecond(() => richPattern.matches(body))],
  ['match: 2 fields in one of 100 array elements', opsPerSecond(() => runsPattern.matches(hundredRuns))],
  ['passesFilter (the dispatcher\'s check): the README example', opsPerSecond(() => passesFilter(simple, event))],
  ['passesFilter without a filter', opsPerSecond(() => passesFilter(undefined, event))],
  ['compile: 8 fields, every operator', opsPerSecond(() => compileEventPattern(rich))],
  ['filterProblems (validation on write and load): 8 fields', opsPerSecond(() => filterProblems(rich))],
  [`hostile: the README example × ${empties.data.experiment.length.toLocaleString('en-US')} empty objects (step limit)`, opsPerSecond(() => simplePattern.matches(empties))],
  [`hostile: ${prefixes.data.names.length} prefixes (${JSON.stringify(prefixes).length} B) × ${hostile.data.names.length} strings`, opsPerSecond(() => prefixPattern.matches(hostile))],
];

const width = Math.max(...rows.map(([name]) => name.length));
console.log(`filter matching, node ${process.version}, ${MEASURE_MS} ms per row`);
for (const [name, rate] of rows) {
  const perOp = 1e6 / rate;
  console.log(`  ${name.padEnd(width)}  ${Math.round(rate).toLocaleString('en-US').padStart(12)}/s  ${perOp < 1 ? `${(perOp * 1000).toFixed(0)} ns` : `${perOp.toFixed(1)} µs`}`);
}
