import { HierarchyLevelLimitExceededError, SsmValidationError } from './errors';

/**
 * SSM's naming limits, enforced as far as they catch real mistakes.
 * @see https://docs.aws.amazon.com/systems-manager/latest/userguide/sysman-paramstore-su-create.html
 */
export const NAME_LIMITS = {
  /** Characters in a fully qualified name (or path). */
  maxLength: 2048,
  /** Levels of a hierarchy name, `/a/b/…`. */
  maxDepth: 15,
} as const;

/** The account in ARNs; the stand-in has no account, so it uses LocalStack's conventional zeros. */
export const LOCAL_ACCOUNT_ID = '000000000000';

const ALLOWED_CHARACTERS = /^[A-Za-z0-9_.\-/]+$/;
// AWS reserves these prefixes, case-insensitively, with or without the leading slash.
const RESERVED_PREFIX = /^\/?(aws|ssm)/i;

/**
 * Checks a parameter name as PutParameter does.
 * @throws SsmValidationError when the name is empty, too long, has other characters than letters,
 *   digits, `_ . - /`, is a hierarchy not starting with `/`, has an empty segment, or a reserved prefix.
 * @throws HierarchyLevelLimitExceededError when it nests deeper than {@link NAME_LIMITS.maxDepth}.
 */
export function validateParameterName(name: string): void {
  checkShape(name, 'Parameter name');
  if (name.includes('/') && !name.startsWith('/')) {
    throw new SsmValidationError(
      `Parameter name "${name}" is a hierarchy name and must be fully qualified: start it with "/".`,
    );
  }
  if (name.endsWith('/')) {
    throw new SsmValidationError(`Parameter name "${name}" ends with "/"; remove the trailing slash.`);
  }
  if (RESERVED_PREFIX.test(name)) {
    throw new SsmValidationError(`Parameter name "${name}" starts with "aws" or "ssm", which AWS reserves.`);
  }
}

/**
 * Checks a GetParametersByPath path and returns it without a trailing slash (`/` stays `/`).
 * @throws SsmValidationError when the path does not start with `/` or is malformed.
 * @throws HierarchyLevelLimitExceededError when it nests deeper than {@link NAME_LIMITS.maxDepth}.
 */
export function normalizePath(path: string): string {
  if (!path.startsWith('/')) {
    throw new SsmValidationError(`Path "${path}" must start with "/", e.g. "/platform-webhooks/subscriptions".`);
  }
  if (path === '/') return path;
  const trimmed = path.endsWith('/') ? path.slice(0, -1) : path;
  checkShape(trimmed, 'Path');
  return trimmed;
}

/**
 * Whether `name` lies under `path` (normalized): anywhere below it when `recursive`,
 * otherwise only as a direct child (`/a/b` is under `/a`, `/a/b/c` only recursively).
 * Names without a leading slash belong to no hierarchy and are under no path.
 */
export function isUnderPath(name: string, path: string, recursive: boolean): boolean {
  const prefix = path === '/' ? '/' : `${path}/`;
  if (!name.startsWith(prefix)) return false;
  return recursive || !name.slice(prefix.length).includes('/');
}

/** The ARN AWS gives a parameter: the name's leading slash is dropped after `parameter/`. */
export function parameterArn(region: string, name: string): string {
  return `arn:aws:ssm:${region}:${LOCAL_ACCOUNT_ID}:parameter/${name.replace(/^\//, '')}`;
}

function checkShape(name: string, what: string): void {
  if (name.length === 0) {
    throw new SsmValidationError(`${what} must not be empty.`);
  }
  if (name.length > NAME_LIMITS.maxLength) {
    throw new SsmValidationError(
      `${what} is ${name.length} characters long; the limit is ${NAME_LIMITS.maxLength}.`,
    );
  }
  if (!ALLOWED_CHARACTERS.test(name)) {
    throw new SsmValidationError(
      `${what} "${name}" may contain only letters, digits and the symbols "_", ".", "-" and "/".`,
    );
  }
  if (name.includes('//')) {
    throw new SsmValidationError(`${what} "${name}" has an empty level ("//"); remove the doubled slash.`);
  }
  const depth = name.split('/').filter(Boolean).length;
  if (depth > NAME_LIMITS.maxDepth) {
    throw new HierarchyLevelLimitExceededError(
      `${what} "${name}" has ${depth} levels; a hierarchy can have at most ${NAME_LIMITS.maxDepth}.`,
    );
  }
}
