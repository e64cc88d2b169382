import type { DeadLetterRecord } from '../../lambda/core/inbound/messages';
import { CONNECTION_ERRORS, FITTING_ERRORS } from './receiver-behaviour';
import type { SoakSubscription } from './soak-plan';
import type { ObservedRequest } from './soak-receivers';

/**
 * Why a dead-letter record does not fit what its subscription's receiver did, or `undefined` when
 * it fits: a 404 receiver's deliveries fail `permanent` with HTTP 404, a gone receiver's with
 * HTTP 410, and a flaky receiver's only `exhausted`, after every attempt, with the error its last
 * attempt met (an HTTP status it answered, or a connection error). Any receiver's deliveries may
 * end `exhausted` on a connection error after every attempt: the client never read the answer.
 * @param requests the receiver's requests for the record's delivery id.
 */
export function misfitOf(
  record: DeadLetterRecord,
  subscription: SoakSubscription,
  eventId: string,
  requests: readonly ObservedRequest[],
  maxAttempts: number,
): string | undefined {
  const { behaviour, name } = subscription;
  const got = `${record.reason} "${record.error}" after ${record.attempts} attempts`;
  if (record.subscription !== name || (record.event as { id?: unknown } | undefined)?.id !== eventId) return `${got} names another pair`;
  // Every attempt ended before the answer was read (a busy machine, a pooled connection closed under
  // it): the schedule ran out on connection errors, whatever the receiver would have answered.
  if (record.reason === 'exhausted' && record.attempts === maxAttempts && CONNECTION_ERRORS.test(record.error)) return undefined;
  switch (behaviour.kind) {
    case 'not-found':
      return record.reason === 'permanent' && FITTING_ERRORS['http-404']?.test(record.error) ? undefined : `${got}, but ${name} always answers 404`;
    case 'gone':
      return record.reason === 'permanent' && FITTING_ERRORS['http-410']?.test(record.error) ? undefined : `${got}, but ${name} answers 200 or 410`;
    case 'idle':
      return `${got}, but ${name} is idle: its filter keeps every event out`;
    case 'flaky': {
      if (record.reason !== 'exhausted' || record.attempts !== maxAttempts) return `${got}, but ${name} only fails retryably (expected exhausted after ${maxAttempts})`;
      const last = requests.filter((request) => request.attempt === record.attempts);
      return last.some((request) => FITTING_ERRORS[request.reply]?.test(record.error)) ? undefined : `${got}, but attempt ${record.attempts} was answered ${last.map((r) => r.reply).join(', ') || 'never'}`;
    }
  }
}
