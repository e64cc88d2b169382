/**
 * The events every format is rendered from in the golden-file tests (one per case the formats
 * must handle), named `<case>` in `golden/<format>-<case>.json`.
 */
import type { PlatformEvent } from '../../lambda/core/inbound/events';

const TIMESTAMP = '2026-11-27T10:00:00.000Z';

/** 3,000 characters including the three Slack control characters and mention attempts. */
const LONG_VALUE = `<!channel> @everyone & ${'x'.repeat(2975)}`;

export const FORMAT_CASES = {
  'experiment-succeeded': {
    id: 'evt_01JDQ6X1V4K3M8',
    type: 'experiments.succeeded',
    timestamp: TIMESTAMP,
    data: {
      experiment: {
        id: 42,
        name: 'resnet-sweep-3',
        project: 'vision',
        status: 'succeeded',
        user: 'alice',
        tags: ['resnet', 'sweep'],
        html_url: 'https://platform.example.com/vision/experiments/42',
      },
    },
  },
  'job-failed': {
    id: 'evt_01JDQ6X1V4K3M9',
    type: 'jobs.failed',
    timestamp: TIMESTAMP,
    data: {
      job: {
        id: 'job_7f3a',
        name: 'preprocess-imagenet',
        project: 'vision',
        status: 'failed',
        exit_code: 137,
        message: 'OOMKilled: the container exceeded its memory limit',
        url: 'https://platform.example.com/vision/jobs/job_7f3a',
      },
    },
  },
  'build-stopped': {
    id: 'evt_01JDQ6X1V4K3MA',
    type: 'builds.stopped',
    timestamp: TIMESTAMP,
    data: { build: { id: 318, name: 'cuda-12-base', project: 'infra', status: 'stopped', stoppedBy: 'bob' } },
  },
  'group-done': {
    id: 'evt_01JDQ6X1V4K3MB',
    type: 'groups.done',
    timestamp: TIMESTAMP,
    data: {
      group: { id: 9, name: 'lr-search', project: 'vision', search_algorithm: 'hyperband', experiments: 24, html_url: 'https://platform.example.com/vision/groups/9' },
    },
  },
  'no-entity': {
    id: 'evt_01JDQ6X1V4K3MC',
    type: 'experiments.failed',
    timestamp: TIMESTAMP,
    data: { reason: 'node preempted', cluster: 'gpu-a', details: { node: 'ip-10-0-1-7' } },
  },
  // Data written by someone who wants the channel to show a link, a mention or a heading: every
  // format must render it as plain text.
  'hostile-name': {
    id: 'evt_01JDQ6X1V4K3ME',
    type: 'experiments.failed',
    timestamp: TIMESTAMP,
    data: {
      experiment: {
        id: 44,
        name: '[Action required: re-authenticate](https://evil.example/login)',
        project: '# Outage',
        user: '@everyone <@123456789012345678> @here @channel <!here>',
        note: '**urgent** ||hidden|| `code` ~~gone~~ <https://evil.example/auto>\n> quoted\n- listed\n1. numbered\n[see][r]\n\n[r]: https://evil.example/ref',
        html_url: 'https://platform.example.com/vision/experiments/44',
      },
    },
  },
  // Extra event types (docs/design.md §10): an action of a built-in entity, and a new entity.
  'job-deleted': {
    id: 'evt_01JDQ6X1V4K3MF',
    type: 'jobs.deleted',
    timestamp: TIMESTAMP,
    data: { job: { id: 'job_7f3a', name: 'preprocess-imagenet', project: 'vision', status: 'failed', deleted_by: 'carol' } },
  },
  'model-registered': {
    id: 'evt_01JDQ6X1V4K3MG',
    type: 'models.registered',
    timestamp: TIMESTAMP,
    data: { model: { id: 'mdl_12', name: 'resnet50-v2', project: 'vision', version: 3, stage: 'staging', html_url: 'https://platform.example.com/vision/models/mdl_12' } },
  },
  oversized: {
    id: 'evt_01JDQ6X1V4K3MD',
    type: 'experiments.failed',
    timestamp: TIMESTAMP,
    data: {
      experiment: {
        id: 43,
        name: `resnet-${'very-long-name-'.repeat(140)}end`,
        project: 'vision',
        url: 'https://platform.example.com/vision/experiments/43',
        ...Object.fromEntries(Array.from({ length: 30 }, (_, index) => [`metric_${index + 1}`, LONG_VALUE])),
      },
    },
  },
} as const satisfies Record<string, PlatformEvent>;

export type FormatCase = keyof typeof FORMAT_CASES;
