import fc from 'fast-check';

const base62 = (min: number, max: number) => fc.stringMatching(new RegExp(`^[A-Za-z0-9]{${min},${max}}$`));
const mixed = (min: number, max: number) => base62(min, max).filter((text) => /[A-Za-z]/.test(text) && /\d/.test(text));

/**
 * Credentials of the shapes README "Security model" says are masked wherever they are pasted, for
 * the property tests of the function's output and of the CLI's.
 */
export const credentialToken = fc.oneof(
  fc.uint8Array({ minLength: 24, maxLength: 64 }).map((bytes) => `whsec_${Buffer.from(bytes).toString('base64')}`),
  base62(24, 40).map((body) => `sk_live_${body}`),
  base62(32, 32),
  mixed(16, 48),
  fc.tuple(fc.integer({ min: 1000, max: 99999 }), base62(24, 24)).map(([team, body]) => `xoxb-${team}-${body}`),
  fc.tuple(base62(10, 20), base62(10, 30), base62(16, 43)).map(([a, b, c]) => `eyJ${a}.eyJ${b}.${c}`),
  fc.uuid(),
);
