import { QueueUrlMap } from '../../local/queue-url-map';

const INTERNAL = 'http://sqs.us-east-1.localhost:80/000000000000/platform-webhooks-events';
const PUBLIC = 'http://127.0.0.1:4566/000000000000/platform-webhooks-events';

describe('QueueUrlMap', () => {
  it("hands out the endpoint's origin with the queue's path", () => {
    // Prepare
    const urls = new QueueUrlMap('http://127.0.0.1:4566');

    // Act
    const created = urls.rewriteResponse('CreateQueue', JSON.stringify({ QueueUrl: INTERNAL }));
    const listed = urls.rewriteResponse('ListQueues', JSON.stringify({ QueueUrls: [INTERNAL] }));

    // Assess
    expect(JSON.parse(created)).toEqual({ QueueUrl: PUBLIC });
    expect(JSON.parse(listed)).toEqual({ QueueUrls: [PUBLIC] });
  });

  it('translates a known queue URL back, whatever host names the endpoint', () => {
    // Prepare
    const urls = new QueueUrlMap('http://127.0.0.1:4566');
    urls.toPublic(INTERNAL);

    // Act
    const fromPublic = urls.rewriteRequest(JSON.stringify({ QueueUrl: PUBLIC, MessageBody: 'x' }));
    const fromLocalhost = urls.toInternal('http://localhost:4566/000000000000/platform-webhooks-events');

    // Assess
    expect(JSON.parse(fromPublic)).toEqual({ QueueUrl: INTERNAL, MessageBody: 'x' });
    expect(fromLocalhost).toBe(INTERNAL);
  });

  it('leaves unknown queues, other operations and bodies that are not JSON as they are', () => {
    // Prepare
    const urls = new QueueUrlMap('http://127.0.0.1:4566');
    const receive = JSON.stringify({ Messages: [{ Body: INTERNAL }] });

    // Act
    const unknown = urls.toInternal('http://127.0.0.1:4566/000000000000/nope');

    // Assess
    expect(unknown).toBe('http://127.0.0.1:4566/000000000000/nope');
    expect(urls.rewriteResponse('ReceiveMessage', receive)).toBe(receive);
    expect(urls.rewriteRequest('not json')).toBe('not json');
  });
});
