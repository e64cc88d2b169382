/**
 * The repository's modules and what each imports and exports, read from the source text with
 * TypeScript's parser (no type check), for the architecture tests: `import type`, re-exports,
 * dynamic `import()` and `require()` all count.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import ts from 'typescript';

export const ROOT = resolve(__dirname, '../..');
const AREAS = ['lambda', 'cli', 'local', 'infra', 'lib', 'bench', 'test', 'scripts', 'bin'] as const;

/** One import of a repository file: the names it takes, or every name (`*`: a namespace, dynamic import or require). */
export interface ModuleImport {
  readonly file: string;
  readonly names: readonly string[] | '*';
}

export interface SourceModule {
  /** Path from the repository root, e.g. `lambda/core/errors.ts`. */
  readonly path: string;
  readonly imports: readonly ModuleImport[];
  /** The packages it imports, by specifier. */
  readonly packages: readonly string[];
  /** The names it exports (declarations and `export { … }` lists, re-exports included). */
  readonly exports: readonly string[];
  /** The exported names the module itself uses beyond declaring them (in a signature, a call, a type). */
  readonly usedInFile: readonly string[];
}

/** Every module of the repository's areas (node_modules and golden files left out). */
export function readSourceGraph(): Map<string, SourceModule> {
  const paths = AREAS.flatMap((area) => walk(join(ROOT, area)));
  const known = new Set(paths.map((path) => relative(ROOT, path)));
  return new Map(paths.map((absolute) => {
    const module = readModule(absolute, known);
    return [module.path, module];
  }));
}

function readModule(absolute: string, known: ReadonlySet<string>): SourceModule {
  const source = ts.createSourceFile(absolute, readFileSync(absolute, 'utf8'), ts.ScriptTarget.Latest, true);
  const imports: ModuleImport[] = [];
  const packages: string[] = [];
  const exports: string[] = [];
  const add = (specifier: string, names: readonly string[] | '*'): void => {
    if (!specifier.startsWith('.')) {
      packages.push(specifier);
      return;
    }
    const file = resolveRelative(dirname(absolute), specifier, known);
    if (file !== undefined) imports.push({ file, names });
  };
  const visit = (node: ts.Node): void => {
    if (ts.isImportDeclaration(node) && ts.isStringLiteral(node.moduleSpecifier)) {
      add(node.moduleSpecifier.text, importedNames(node.importClause));
    } else if (ts.isExportDeclaration(node)) {
      if (node.exportClause === undefined) {
        if (node.moduleSpecifier && ts.isStringLiteral(node.moduleSpecifier)) add(node.moduleSpecifier.text, '*');
      } else if (ts.isNamedExports(node.exportClause)) {
        for (const element of node.exportClause.elements) exports.push(element.name.text);
        if (node.moduleSpecifier && ts.isStringLiteral(node.moduleSpecifier)) {
          add(node.moduleSpecifier.text, node.exportClause.elements.map((element) => (element.propertyName ?? element.name).text));
        }
      }
    } else if (ts.isImportEqualsDeclaration(node) && ts.isExternalModuleReference(node.moduleReference) && ts.isStringLiteral(node.moduleReference.expression)) {
      add(node.moduleReference.expression.text, '*');
    } else if (ts.isCallExpression(node) && node.arguments.length >= 1 && ts.isStringLiteralLike(node.arguments[0] as ts.Expression)) {
      const callee = node.expression;
      const isImport = callee.kind === ts.SyntaxKind.ImportKeyword;
      const isRequire = ts.isIdentifier(callee) && callee.text === 'require';
      const isJestModule = ts.isPropertyAccessExpression(callee) && ts.isIdentifier(callee.expression) && callee.expression.text === 'jest';
      if (isImport || isRequire || isJestModule) add((node.arguments[0] as ts.StringLiteralLike).text, '*');
    }
    if (node.parent === source && isExported(node)) exports.push(...declaredNames(node));
    ts.forEachChild(node, visit);
  };
  visit(source);
  const mentions = new Map<string, number>();
  const count = (node: ts.Node): void => {
    if (ts.isIdentifier(node)) mentions.set(node.text, (mentions.get(node.text) ?? 0) + 1);
    ts.forEachChild(node, count);
  };
  count(source);
  // A declared export is mentioned once by its declaration; a name in an `export { … }` list twice.
  const usedInFile = exports.filter((name) => (mentions.get(name) ?? 0) > 1);
  return { path: relative(ROOT, absolute), imports, packages, exports, usedInFile };
}

function importedNames(clause: ts.ImportClause | undefined): readonly string[] | '*' {
  if (clause === undefined) return [];
  const names: string[] = clause.name ? ['default'] : [];
  const bindings = clause.namedBindings;
  if (bindings && ts.isNamespaceImport(bindings)) return '*';
  if (bindings) for (const element of bindings.elements) names.push((element.propertyName ?? element.name).text);
  return names;
}

function isExported(node: ts.Node): boolean {
  return ts.canHaveModifiers(node) && (ts.getModifiers(node) ?? []).some((modifier) => modifier.kind === ts.SyntaxKind.ExportKeyword);
}

function declaredNames(node: ts.Node): string[] {
  if (ts.isVariableStatement(node)) return node.declarationList.declarations.flatMap((declaration) => (ts.isIdentifier(declaration.name) ? [declaration.name.text] : []));
  const name = (node as ts.DeclarationStatement).name;
  return name !== undefined && ts.isIdentifier(name) ? [name.text] : ['default'];
}

/** A relative specifier as the repository file it names (`./x` → `x.ts`, `x/index.ts`; `./x.js` → `x.ts`). */
function resolveRelative(from: string, specifier: string, known: ReadonlySet<string>): string | undefined {
  const base = relative(ROOT, resolve(from, specifier));
  const stem = base.replace(/\.(m?js|ts)$/, '');
  return [base, `${stem}.ts`, `${stem}.mts`, `${stem}.mjs`, `${stem}.js`, `${base}/index.ts`].find((candidate) => known.has(candidate));
}

function walk(directory: string): string[] {
  let entries;
  try {
    entries = readdirSync(directory, { withFileTypes: true });
  } catch {
    return [];
  }
  return entries.flatMap((entry) => {
    const path = join(directory, entry.name);
    if (entry.isDirectory()) return entry.name === 'node_modules' || entry.name === 'golden' ? [] : walk(path);
    return /\.(ts|mts|mjs|js|cjs)$/.test(entry.name) && !entry.name.endsWith('.d.ts') ? [path] : [];
  });
}
