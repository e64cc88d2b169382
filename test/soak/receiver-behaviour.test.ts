import { replyFor } from '../../bench/soak/receiver-behaviour';
import type { ReplyKind } from '../../bench/soak/receiver-behaviour';

const request = (webhookId: string, attempt = 1, seq = 0) => ({ seed: 7, webhookId, attempt, seq });

describe('replyFor', () => {
  it('answers the same request the same way, whatever the order requests arrive in', () => {
    const behaviour = { kind: 'flaky', failureRate: 0.5, slowRate: 0.1 } as const;
    const ids = Array.from({ length: 50 }, (_, index) => `msg_${index}`);

    const forwards = ids.map((id) => replyFor(behaviour, request(id)));
    const backwards = [...ids].reverse().map((id) => replyFor(behaviour, request(id))).reverse();

    expect(backwards).toEqual(forwards);
  });

  it('fails a flaky receiver at about its failure rate, with every kind of retryable failure', () => {
    const behaviour = { kind: 'flaky', failureRate: 0.4, slowRate: 0.05 } as const;

    const replies = Array.from({ length: 4000 }, (_, index) => replyFor(behaviour, request(`msg_${index}`, 1 + (index % 3))));

    const share = (kinds: ReplyKind[]) => replies.filter((reply) => kinds.includes(reply)).length / replies.length;
    expect(share(['http-500', 'http-429', 'timeout', 'reset'])).toBeCloseTo(0.4, 1);
    expect(share(['slow'])).toBeCloseTo(0.05, 1);
    expect(new Set(replies)).toEqual(new Set(['ok', 'slow', 'http-500', 'http-429', 'timeout', 'reset']));
  });

  it('answers 200 before the gone receiver goes away and 410 after; 404 always for the not-found one', () => {
    const gone = { kind: 'gone', fromSeq: 10 } as const;

    expect(replyFor(gone, request('msg_a', 1, 9))).toBe('ok');
    expect(replyFor(gone, request('msg_b', 1, 10))).toBe('http-410');
    expect(replyFor({ kind: 'not-found' }, request('msg_c', 4))).toBe('http-404');
  });
});
