import { randomBytes } from 'node:crypto';

/** Random bytes in a generated secret (docs/design.md §2 allows 24 to 64). */
export const GENERATED_SECRET_BYTES = 32;

/** A new Standard Webhooks secret: `whsec_` + base64 of 32 random bytes. */
export function generateSecret(random: (size: number) => Buffer = randomBytes): string {
  return `whsec_${random(GENERATED_SECRET_BYTES).toString('base64')}`;
}
