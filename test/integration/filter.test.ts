import { PutParameterCommand } from '@aws-sdk/client-ssm';
import { useHandlerTestStack } from '../support/handler-harness';
import { drain, send } from '../support/queues';

/**
 * Payload filters (docs/design.md §10) through the real handler: fauxqs, the Parameter Store
 * stand-in and a loopback receiver, driven by the local event-source poller.
 */

const PATH = '/platform-webhooks/filter-tests';

const stack = useHandlerTestStack({ name: 'filter', path: PATH });

async function subscribe(name: string, value: object): Promise<void> {
  await stack.ssm.send(new PutParameterCommand({ Name: `${PATH}${stack.testNumber}/${name}`, Value: JSON.stringify(value), Type: 'String', Overwrite: true }));
}

function experimentSucceeded(id: string, project: string) {
  return { type: 'experiments.succeeded', id, timestamp: '2026-11-27T10:00:00.000Z', data: { experiment: { id: 42, name: 'resnet-sweep-3', project } } };
}

async function publish(event: object): Promise<void> {
  await send(stack.sqs, stack.queues.queueUrl, event);
}

async function deadLetters(): Promise<unknown[]> {
  return drain(stack.sqs, stack.queues.dlqUrl);
}

/** Polls until `count` messages were handled (a retry appears after its SQS delay), up to a generous cap. */
async function pollUntilHandled(count: number, capMs = 20_000): Promise<void> {
  const until = Date.now() + capMs;
  let handled = 0;
  while (handled < count) {
    if (Date.now() > until) throw new Error(`expected ${count} messages to be handled within ${capMs} ms, got ${handled}`);
    handled += (await stack.harness.poller.pollOnce()).received;
    if (handled < count) await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

const visionOnly = { data: { experiment: { project: ['vision'] } } };

describe('payload filters through the handler', () => {
  it('delivers an event that matches the filter and keeps out one that does not, without dead-lettering it', async () => {
    // Prepare
    const filtered = `/vision-${stack.testNumber}`;
    const unfiltered = `/all-${stack.testNumber}`;
    await subscribe('vision', { url: stack.receiver.url(filtered), events: ['experiments.*'], filter: visionOnly });
    await subscribe('all', { url: stack.receiver.url(unfiltered), events: ['experiments.*'] });
    await publish(experimentSucceeded(`evt_vision_${stack.testNumber}`, 'vision'));
    await publish(experimentSucceeded(`evt_nlp_${stack.testNumber}`, 'nlp'));

    // Act
    await pollUntilHandled(2);

    // Assess
    expect(stack.receiver.requests(filtered).map((request) => JSON.parse(request.body).id)).toEqual([`evt_vision_${stack.testNumber}`]);
    expect(stack.receiver.requests(unfiltered).map((request) => JSON.parse(request.body).id).sort()).toEqual([`evt_nlp_${stack.testNumber}`, `evt_vision_${stack.testNumber}`]);
    expect(stack.harness.log.lines).toContainEqual({
      level: 'info',
      message: "event filtered out by the subscription's filter",
      fields: expect.objectContaining({ audit: 'delivery', outcome: 'filtered', eventId: `evt_nlp_${stack.testNumber}`, eventType: 'experiments.succeeded', subscription: 'vision' }),
    });
    expect(await deadLetters()).toEqual([]);
    expect(await drain(stack.sqs, stack.queues.queueUrl)).toEqual([]);
  });

  it('matches the delivered standard body: the type as well as the data', async () => {
    // Prepare
    const path = `/failures-${stack.testNumber}`;
    await subscribe('failures', { url: stack.receiver.url(path), events: ['*'], filter: { type: [{ suffix: '.failed' }], data: { job: { attempt: [{ numeric: ['>=', 3] }] } } } });
    await publish({ type: 'jobs.failed', id: `evt_third_${stack.testNumber}`, data: { job: { id: 7, attempt: 3 } } });
    await publish({ type: 'jobs.failed', id: `evt_first_${stack.testNumber}`, data: { job: { id: 8, attempt: 1 } } });
    await publish({ type: 'jobs.succeeded', id: `evt_ok_${stack.testNumber}`, data: { job: { id: 9, attempt: 5 } } });

    // Act
    await pollUntilHandled(3);

    // Assess
    expect(stack.receiver.requests(path).map((request) => JSON.parse(request.body).id)).toEqual([`evt_third_${stack.testNumber}`]);
    expect(await deadLetters()).toEqual([]);
  });

  it('skips a stored subscription whose filter is invalid, naming the parameter and the bad part, and delivers to the others', async () => {
    // Prepare
    const path = `/good-${stack.testNumber}`;
    await subscribe('good', { url: stack.receiver.url(path), events: ['*'], filter: visionOnly });
    await subscribe('bad', { url: stack.receiver.url(`/bad-${stack.testNumber}`), events: ['*'], filter: { data: { experiment: { project: 'vision' } } } });
    await publish(experimentSucceeded(`evt_${stack.testNumber}`, 'vision'));

    // Act
    await pollUntilHandled(1);

    // Assess
    expect(stack.receiver.requests(path)).toHaveLength(1);
    expect(stack.receiver.requests(`/bad-${stack.testNumber}`)).toHaveLength(0);
    const skipped = stack.harness.log.lines.find((line) => line.message === 'invalid subscription parameter skipped');
    expect(skipped?.fields).toEqual({
      parameter: `${PATH}${stack.testNumber}/bad`,
      errors: ['subscription "bad": filter.data.experiment.project: must be a list of values to match, e.g. ["vision"], or an object of fields; got a string'],
    });
  });

  it('retries a delivery the filter still lets through', async () => {
    // Prepare
    const path = `/flaky-${stack.testNumber}`;
    stack.receiver.script(path, { status: 503 }, { status: 200 });
    await subscribe('flaky', { url: stack.receiver.url(path), events: ['*'], filter: visionOnly });
    await publish(experimentSucceeded(`evt_${stack.testNumber}`, 'vision'));
    await pollUntilHandled(1);

    // Act: the retry appears after its one-second delay
    await pollUntilHandled(1);

    // Assess
    expect(stack.receiver.requests(path).map((request) => request.headers['webhook-attempt'])).toEqual(['1', '2']);
    expect(await deadLetters()).toEqual([]);
  });

  it('applies the filter as stored when the retry runs: an event the changed filter keeps out is not retried, nor dead-lettered', async () => {
    // Prepare: the first attempt fails while the filter lets the event through
    const path = `/moved-${stack.testNumber}`;
    stack.receiver.script(path, { status: 503 });
    await subscribe('moved', { url: stack.receiver.url(path), events: ['*'], filter: visionOnly });
    await publish(experimentSucceeded(`evt_${stack.testNumber}`, 'vision'));
    await pollUntilHandled(1);
    await subscribe('moved', { url: stack.receiver.url(path), events: ['*'], filter: { data: { experiment: { project: ['nlp'] } } } });

    // Act
    await pollUntilHandled(1);

    // Assess
    expect(stack.receiver.requests(path)).toHaveLength(1);
    expect(stack.harness.log.lines).toContainEqual(expect.objectContaining({ message: 'delivery dropped', fields: expect.objectContaining({ outcome: 'dropped', subscription: 'moved', reason: expect.stringMatching(/^its filter keeps the event out/) }) }));
    expect(await deadLetters()).toEqual([]);
    expect(await drain(stack.sqs, stack.queues.queueUrl)).toEqual([]);
  });
});
