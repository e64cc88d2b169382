import { readSourceGraph } from './source-graph';

/**
 * Every export is used: imported by another module (a test counts), or used in its own module (an
 * options type in an exported function's signature). An export neither uses is dead code that reads
 * as a contract. The entries are exported for callers outside the repository's sources.
 */
const ENTRIES: Readonly<Record<string, string>> = {
  'lambda/handler.ts': 'the function handler Lambda calls (scripts/build-handler.js bundles it)',
  'lib/index.ts': "the package's main entry (package.json exports '.')",
  'lib/cdk.ts': "the package's CDK entry (package.json exports './cdk')",
  'bench/floor/floor-handler.ts': "the floor handler the cold-start bench starts as a function's handler",
};

const graph = readSourceGraph();

/** Every name another module imports, per module; `*` when one takes them all (a namespace, dynamic import, require). */
function importedNames(): Map<string, ReadonlySet<string> | '*'> {
  const imported = new Map<string, Set<string> | '*'>();
  for (const module of graph.values()) {
    for (const { file, names } of module.imports) {
      const seen = imported.get(file);
      if (names === '*' || seen === '*') {
        imported.set(file, '*');
      } else {
        const set = seen ?? new Set<string>();
        for (const name of names) set.add(name);
        imported.set(file, set);
      }
    }
  }
  return imported;
}

describe('exports', () => {
  it('reads the exports and their uses', () => {
    // Assess: a scan that found nothing would make the rule below pass trivially.
    const settings = graph.get('lambda/settings.ts');
    expect(settings?.exports).toContain('SETTINGS');
    expect(importedNames().get('lambda/settings.ts')).toEqual(expect.any(Set));
    expect(graph.get('lambda/core/errors.ts')?.usedInFile).toContain('PlatformWebhooksError');
  });

  it('exports nothing that no module imports or uses, outside the entries', () => {
    // Prepare
    const imported = importedNames();

    // Act
    const unused = [...graph.values()]
      .filter((module) => !module.path.startsWith('test/') && ENTRIES[module.path] === undefined)
      .flatMap((module) => {
        const names = imported.get(module.path);
        if (names === '*') return [];
        return module.exports
          .filter((name) => !names?.has(name) && !module.usedInFile.includes(name))
          .map((name) => `${module.path}: ${name} is exported, but no module imports it and its own does not use it`);
      });

    // Assess
    expect(unused).toEqual([]);
  });

  it('lists only entries that exist', () => {
    expect(Object.keys(ENTRIES).filter((path) => !graph.has(path))).toEqual([]);
  });
});
