/** The `fauxqs` package (ESM-only), as loaded by {@link loadFauxqs}. */
export type FauxqsModule = typeof import('fauxqs', { with: { 'resolution-mode': 'import' } });

/**
 * Loads the SQS emulator. `fauxqs` is ESM-only and this project is CommonJS, so it is loaded with a
 * dynamic `import()`, which tsx (`npm start`) keeps native. Jest turns `import()` into `require()`;
 * tests pass their own loader to `startLocalStack` instead.
 */
export function loadFauxqs(): Promise<FauxqsModule> {
  return import('fauxqs');
}
