import { readSourceGraph } from './source-graph';

/**
 * The house rules on dependencies (README "Layout"): cli/, local/, infra/ and bench/ use lambda/;
 * local/ may use cli/, never the reverse; the core takes its I/O as arguments; nothing imports a
 * test; and no cycle, not even a type-only one. Read with TypeScript's parser (`source-graph.ts`),
 * so `import type`, re-exports and dynamic `import()` all count.
 */
const sources = [...readSourceGraph().values()].map((module) => ({ ...module, files: module.imports.map((entry) => entry.file) }));
const byPath = new Map(sources.map((source) => [source.path, source]));

describe('dependencies', () => {
  it('finds the sources and their imports', () => {
    // Assess: a scan that found nothing would make every rule below pass trivially.
    expect(byPath.get('lambda/handler.ts')?.files).toContain('lambda/core/errors.ts');
    expect(byPath.get('lambda/handler.ts')?.packages).toContain('@aws-sdk/client-sqs');
    expect(sources.filter((source) => source.path.startsWith('cli/')).length).toBeGreaterThan(10);
  });

  it('has no import cycle, type-only imports included', () => {
    expect(cycles().map((files) => `import cycle among: ${files.join(', ')}`)).toEqual([]);
  });

  it.each([
    ['lambda', ['lambda']],
    ['infra', ['lambda', 'infra']],
    ['cli', ['lambda', 'cli', 'infra/stack-outputs.ts']],
    ['local', ['lambda', 'cli', 'local']],
    ['lib', ['lambda', 'infra', 'lib']],
    ['bench', ['lambda', 'local', 'cli', 'bench', 'scripts/build-handler.js']],
    ['scripts', ['lambda', 'cli', 'infra', 'scripts']],
  ])('%s/ imports only from %j', (area, allowed) => {
    const offending = edgesFrom(area).filter(([, to]) => !allowed.some((prefix) => to === prefix || to.startsWith(`${prefix}/`)));
    expect(offending.map(([from, to]) => `${from} → ${to}`)).toEqual([]);
  });

  it('keeps the core pure: no AWS SDK, no adapters, no sockets', () => {
    const core = sources.filter((source) => source.path.startsWith('lambda/core/'));
    const impure = core.flatMap((source) => [
      ...source.packages.filter((name) => /^(@aws-sdk\/|@aws-lambda-powertools\/|node:(http|https|net|tls|dns|dgram|fs|child_process))/.test(name)),
      ...source.files.filter((file) => !file.startsWith('lambda/core/')),
    ].map((to) => `${source.path} → ${to}`));
    expect(impure).toEqual([]);
  });

  it('keeps the CLI free of the CDK', () => {
    const cdk = sources
      .filter((source) => source.path.startsWith('cli/'))
      .flatMap((source) => source.packages.filter((name) => name === 'aws-cdk-lib' || name.startsWith('aws-cdk-lib/') || name === 'constructs').map((to) => `${source.path} → ${to}`));
    expect(cdk).toEqual([]);
  });
});

function edgesFrom(area: string): Array<[string, string]> {
  return sources.filter((source) => source.path.startsWith(`${area}/`)).flatMap((source) => source.files.map((to): [string, string] => [source.path, to]));
}

/** Every strongly connected component of more than one file, or a file importing itself (Tarjan). */
function cycles(): string[][] {
  const index = new Map<string, number>();
  const low = new Map<string, number>();
  const stack: string[] = [];
  const onStack = new Set<string>();
  const found: string[][] = [];
  let counter = 0;
  const visit = (path: string): void => {
    index.set(path, counter);
    low.set(path, counter++);
    stack.push(path);
    onStack.add(path);
    for (const next of byPath.get(path)?.files ?? []) {
      if (!index.has(next)) {
        visit(next);
        low.set(path, Math.min(low.get(path) as number, low.get(next) as number));
      } else if (onStack.has(next)) {
        low.set(path, Math.min(low.get(path) as number, index.get(next) as number));
      }
    }
    if (low.get(path) === index.get(path)) {
      const component: string[] = [];
      let member: string;
      do {
        member = stack.pop() as string;
        onStack.delete(member);
        component.push(member);
      } while (member !== path);
      if (component.length > 1 || byPath.get(path)?.files.includes(path)) found.push(component.sort());
    }
  };
  for (const { path } of sources) if (!index.has(path)) visit(path);
  return found;
}
