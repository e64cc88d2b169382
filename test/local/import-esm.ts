import { constants, Script } from 'node:vm';

/** Node's own `process` (jest's sandbox has a copy), where Node emits its warnings. */
const nodeProcess = new Script('process').runInThisContext() as NodeJS.Process;

/**
 * A native `import()` for jest tests: jest compiles `import()` to `require()`, which cannot load an
 * ESM-only package such as fauxqs, and its sandbox refuses native dynamic imports. A function
 * compiled with Node's main-context loader imports as a plain Node script would. Node flags that
 * loader as experimental; the notice is kept out of the test output while the import runs.
 */
export function importEsm<T>(specifier: string): Promise<T> {
  const emitWarning = nodeProcess.emitWarning;
  nodeProcess.emitWarning = ((warning: string | Error, ...rest: unknown[]) => {
    if (String(warning).includes('USE_MAIN_CONTEXT_DEFAULT_LOADER')) return;
    (emitWarning as (...args: unknown[]) => void).call(nodeProcess, warning, ...rest);
  }) as NodeJS.Process['emitWarning'];
  const load = new Script('(specifier) => import(specifier)', {
    importModuleDynamically: constants.USE_MAIN_CONTEXT_DEFAULT_LOADER,
  }).runInThisContext() as (specifier: string) => Promise<T>;
  return load(specifier).finally(() => {
    nodeProcess.emitWarning = emitWarning;
  });
}
