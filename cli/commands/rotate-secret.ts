import { Command, InvalidArgumentError, Option } from 'commander';
import { parseDuration } from '../../lambda/core/delivery/retry-policy';
import { parseSubscription, subscriptionValue } from '../../lambda/core/subscriptions/subscriptions';
import type { Subscription } from '../../lambda/core/subscriptions/subscriptions';
import type { CommandRuntime } from '../command-context';
import { examples, jsonOption } from '../command-context';
import { SubscriptionValidationError, UsageError } from '../errors';
import { generateSecret } from '../generate-secret';
import { maskSecret } from '../mask-secrets';
import { createSubscriptionStore } from '../subscription-store';

/** How long the previous secret keeps signing unless `--expires-in` says otherwise (as Svix does). */
export const DEFAULT_ROTATION_WINDOW = '24h';

const DAY_MS = 86_400_000;

/** The longest window `--expires-in` takes; longer is "never" in practice, and a date far enough away does not exist. */
const MAX_WINDOW_DAYS = 365;

/** How long the previous secret keeps signing: milliseconds (0: it stops at once), or until the next rotation. */
export type RotationWindow = number | 'never';

interface RotateOptions {
  readonly secret?: string;
  readonly expiresIn: RotationWindow;
}

/**
 * `webhooks rotate-secret NAME`: a new secret signs from now on; the current one moves to
 * `previousSecret` and keeps signing (a second `v1,` signature) until the window ends, so
 * receivers can switch without dropping a delivery. The new secret is printed once.
 */
export function rotateSecretCommand(runtime: CommandRuntime): Command {
  return new Command('rotate-secret')
    .description('replace a subscription\'s secret; the old one keeps signing for a while (24h by default)')
    .argument('<name>', 'subscription name')
    .option('--secret <value>', 'the new secret (default: a generated whsec_ secret, printed once)')
    .addOption(new Option('--expires-in <duration>', 'how long the old secret keeps signing: e.g. 1h, 24h, 7d; 0 drops it now (leaked secret); "never" keeps it until the next rotation')
      .argParser(parseWindow)
      .default(parseWindow(DEFAULT_ROTATION_WINDOW), DEFAULT_ROTATION_WINDOW))
    .addOption(jsonOption())
    .addHelpText('after', examples('webhooks rotate-secret ops', 'webhooks rotate-secret ops --expires-in 7d', 'webhooks rotate-secret ops --expires-in 0   # the old secret leaked: stop signing with it now'))
    .action(async (name: string, options: RotateOptions, command: Command) => {
      const { out, aws } = runtime.contextFor(command);
      const catalogue = await aws.eventCatalogue();
      const store = createSubscriptionStore(aws.ssm, await aws.subscriptionsPath(), catalogue);
      const { subscription: current } = await store.getValid(name);
      const generated = options.secret === undefined ? generateSecret() : undefined;
      const secret = generated ?? options.secret ?? '';
      if (secret === current.secret) throw new UsageError('--secret is the current secret; give a new one, or omit --secret to generate one');
      const now = Date.now();
      const rotated = rotate(current, secret, options.expiresIn, now);
      const result = parseSubscription(name, subscriptionValue(rotated), catalogue);
      if (!result.ok) throw new SubscriptionValidationError(result.errors);
      await store.put(result.subscription, { overwrite: true });

      const previous = result.subscription.previousSecret;
      const expiresAt = result.subscription.previousSecretExpiresAt;
      if (out.json) {
        out.data({ name, ...(generated !== undefined && { secret: generated }), ...(previous !== undefined && { previousSecret: maskSecret(previous) }), ...(expiresAt !== undefined && { previousSecretExpiresAt: expiresAt }) });
        return;
      }
      out.line(`Rotated the secret of subscription "${name}": deliveries are signed with the new secret from now on.`);
      if (current.secret === undefined) out.line('It had no secret before: deliveries were unsigned until now.');
      else if (previous === undefined) out.line(`The previous secret (${maskSecret(current.secret)}) no longer signs.`);
      else out.line(`The previous secret (${maskSecret(previous)}) also signs ${expiresAt === undefined ? 'until the next rotation' : `until ${expiresAt}`}: update the receiver before then.`);
      if (current.previousSecret !== undefined && current.previousSecret !== previous) out.note(`note: the secret rotated out earlier (${maskSecret(current.previousSecret)}) no longer signs.`);
      if (generated !== undefined) {
        out.line(`secret: ${generated}`);
        out.line('Save this secret now: it will not be shown again (the CLI only ever shows it masked).');
      }
    });
}

/** The subscription after a rotation at `now`: `secret` new, the current one previous for `window` (0: dropped). */
export function rotate(current: Subscription, secret: string, window: RotationWindow, now: number): Subscription {
  const { previousSecret: _previous, previousSecretExpiresAt: _expiresAt, ...rest } = current;
  if (current.secret === undefined || window === 0) return { ...rest, secret };
  return {
    ...rest,
    secret,
    previousSecret: current.secret,
    ...(window !== 'never' && { previousSecretExpiresAt: new Date(now + window).toISOString() }),
  };
}

/**
 * `24h`, `7d`, `0` or `never`. Not `null` for "never": commander stores a parser's `null` as `''`.
 * @throws {InvalidArgumentError} for anything else.
 */
function parseWindow(text: string): RotationWindow {
  if (text.trim() === 'never') return 'never';
  const days = /^\s*(\d+)\s*d\s*$/.exec(text);
  let window: number;
  try {
    window = days ? Number(days[1]) * DAY_MS : parseDuration(text);
  } catch {
    throw new InvalidArgumentError('expected a duration such as 1h, 24h or 7d, 0 (drop the old secret now) or "never"');
  }
  if (window > MAX_WINDOW_DAYS * DAY_MS) throw new InvalidArgumentError(`expected at most ${MAX_WINDOW_DAYS}d; use "never" to keep the old secret signing until the next rotation`);
  return window;
}
