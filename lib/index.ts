/**
 * `platform-webhooks`, the package's root export: what a publisher or a receiver written in
 * TypeScript uses. The event catalogue and types (docs/design.md §1), publishing to the events queue
 * with the function's own checks, and the subscription schema (docs/design.md §2). Only the public
 * API: each name here is a promise to the package's users (README, "Publish from TypeScript").
 */
export { EVENT_CATALOGUE, EVENT_TYPES } from '../lambda/core/inbound/events';
export type { EventType, PlatformEvent } from '../lambda/core/inbound/events';
export type { EventEnvelope } from '../lambda/core/inbound/envelope';
export { publishEvent, publishEvents } from './publish-events';
export type { PublishOptions, PublishedEvent } from './publish-events';
export { InvalidEventError, PublishEventsError } from './errors';
export type { UnpublishedEvent } from './errors';
export { parseSubscription } from '../lambda/core/subscriptions/subscriptions';
export type { Subscription, SubscriptionResult, SubscriptionValue } from '../lambda/core/subscriptions/subscriptions';
