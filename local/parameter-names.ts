import { invalid, SsmError } from './errors';

// SSM's naming limits, as far as they catch real mistakes: characters in a name (or path), levels of
// a hierarchy `/a/b/…`. https://docs.aws.amazon.com/systems-manager/latest/userguide/sysman-paramstore-su-create.html
const NAME_LIMITS = { maxLength: 2048, maxDepth: 15 } as const;

const ALLOWED_CHARACTERS = /^[A-Za-z0-9_.\-/]+$/;
// AWS reserves these prefixes, case-insensitively, with or without the leading slash.
const RESERVED_PREFIX = /^\/?(aws|ssm)/i;

/**
 * Checks a parameter name as PutParameter does.
 * @throws SsmError ValidationException when the name is empty, too long, has other characters than
 *   letters, digits, `_ . - /`, is a hierarchy not starting with `/`, has an empty level or a reserved
 *   prefix; HierarchyLevelLimitExceededException when it nests deeper than 15 levels.
 */
export function validateParameterName(name: string): void {
  checkShape(name, 'Parameter name');
  if (name.includes('/') && !name.startsWith('/')) {
    throw invalid(`Parameter name "${name}" is a hierarchy name and must be fully qualified: start it with "/".`);
  }
  if (name.endsWith('/')) throw invalid(`Parameter name "${name}" ends with "/"; remove the trailing slash.`);
  if (RESERVED_PREFIX.test(name)) throw invalid(`Parameter name "${name}" starts with "aws" or "ssm", which AWS reserves.`);
}

/**
 * Checks a path (GetParametersByPath, a Path filter) and returns it without a trailing slash (`/` stays).
 * @throws SsmError as {@link validateParameterName}, or when the path does not start with `/`.
 */
export function normalizePath(path: string): string {
  if (!path.startsWith('/')) throw invalid(`Path "${path}" must start with "/", e.g. "/platform-webhooks/subscriptions".`);
  if (path === '/') return path;
  const trimmed = path.endsWith('/') ? path.slice(0, -1) : path;
  checkShape(trimmed, 'Path');
  return trimmed;
}

/**
 * Whether `name` lies under `path` (normalized): anywhere below it when `recursive`, otherwise only as
 * a direct child (`/a/b` is under `/a`, `/a/b/c` only recursively). Names without a leading slash
 * belong to no hierarchy and are under no path.
 */
export function isUnderPath(name: string, path: string, recursive: boolean): boolean {
  const prefix = path === '/' ? '/' : `${path}/`;
  return name.startsWith(prefix) && (recursive || !name.slice(prefix.length).includes('/'));
}

function checkShape(name: string, what: string): void {
  if (name.length === 0) throw invalid(`${what} must not be empty.`);
  if (name.length > NAME_LIMITS.maxLength) {
    throw invalid(`${what} is ${name.length} characters long; the limit is ${NAME_LIMITS.maxLength}.`);
  }
  if (!ALLOWED_CHARACTERS.test(name)) {
    throw invalid(`${what} "${name}" may contain only letters, digits and the symbols "_", ".", "-" and "/".`);
  }
  if (name.includes('//')) throw invalid(`${what} "${name}" has an empty level ("//"); remove the doubled slash.`);
  const depth = name.split('/').filter(Boolean).length;
  if (depth > NAME_LIMITS.maxDepth) {
    throw new SsmError(
      'HierarchyLevelLimitExceededException',
      `${what} "${name}" has ${depth} levels; a hierarchy can have at most ${NAME_LIMITS.maxDepth}.`,
    );
  }
}
