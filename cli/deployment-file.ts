import { readFile } from 'node:fs/promises';
import { resolve } from 'node:path';
import { isNode, isSeq, LineCounter, parseDocument } from 'yaml';
import { describe, isPlainObject } from '../lambda/core/inbound/envelope';
import { isSafeToQuote } from '../lambda/core/secrets/redaction';
import type { EventCatalogue } from '../lambda/core/inbound/events';
import { isValidSecret, parseSubscription, SUBSCRIPTION_LIMITS } from '../lambda/core/subscriptions/subscriptions';
import type { Subscription } from '../lambda/core/subscriptions/subscriptions';
import { DeploymentConfigError } from './errors';
import { scrubSecrets } from './mask-secrets';
import { isKmsKeyId, KMS_KEY_ID_HINT } from './subscription-store';

/** Keys of one subscription in the deployment config file (README.md, "The deployment config file"). */
export const DEPLOYMENT_FILE_KEYS = ['name', 'url', 'events', 'filter', 'maxPerSecond', 'secretEnv', 'format', 'routingKeyEnv', 'headers', 'enabled', 'description', 'timeoutMs', 'kmsKeyId'] as const;

/** Credential fields that may not be written in the file, and what to write instead. */
const FORBIDDEN_KEYS: Readonly<Record<string, string>> = {
  secret: 'do not write the secret in the file; put it in an environment variable and name that with "secretEnv: OPS_WEBHOOK_SECRET"',
  routingKey: 'do not write the PagerDuty routing key in the file; put it in an environment variable and name that with "routingKeyEnv: PAGERDUTY_ROUTING_KEY"',
  previousSecret: '"previousSecret" is managed by "webhooks rotate-secret"; remove it from the file',
  previousSecretExpiresAt: '"previousSecretExpiresAt" is managed by "webhooks rotate-secret"; remove it from the file',
};

/** How to make a secret, for messages. */
const SECRET_HINT = '"whsec_$(openssl rand -base64 32)"';
const ENV_NAME = /^[A-Za-z_][A-Za-z0-9_]*$/;

/** One subscription the file declares, validated, with its secret read from the environment. */
export interface DesiredSubscription {
  readonly subscription: Subscription;
  /** The KMS key its SecureString parameter is encrypted with, when the file names one. */
  readonly kmsKeyId?: string;
  /** Line of its list item in the file, from 1. */
  readonly line: number;
}

/**
 * Reads and validates a deployment config file (`file` relative to `cwd`, and named as given in
 * messages), its event patterns against `catalogue` (the deployment's; default the built-in events).
 * @throws {DeploymentConfigError} with every problem, each prefixed with `file:line:`.
 */
export async function readDeploymentFile(file: string, env: NodeJS.ProcessEnv, cwd = process.cwd(), catalogue?: EventCatalogue): Promise<DesiredSubscription[]> {
  let text: string;
  try {
    text = await readFile(resolve(cwd, file), 'utf8');
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    throw new DeploymentConfigError(`cannot read ${file} (${code ?? (error as Error).message}); ${code === 'ENOENT' ? 'check the path given to -f' : 'check its permissions'}`, { cause: error });
  }
  return parseDeploymentFile(text, file, env, catalogue);
}

/**
 * Parses the YAML text of a deployment config file: a list of subscriptions whose secrets are
 * named by `secretEnv` (never written in the file).
 * @throws {DeploymentConfigError} with every problem, each prefixed with `file:line:`.
 */
export function parseDeploymentFile(text: string, file: string, env: NodeJS.ProcessEnv, catalogue?: EventCatalogue): DesiredSubscription[] {
  const lineCounter = new LineCounter();
  const document = parseDocument(text, { lineCounter });
  if (document.errors.length > 0) {
    // yaml's message ends "at line L, column C:" before an excerpt; the position goes up front instead.
    // The message may quote the text it stopped at: masked as every output is.
    throw new DeploymentConfigError(document.errors.map((error) => {
      const [start] = error.linePos ?? [];
      const message = scrubSecrets(error.message.replace(/ at line \d+, column \d+:[\s\S]*$/, ''));
      return `${file}:${start?.line ?? 1}: invalid YAML${start === undefined ? '' : ` at column ${start.col}`}: ${message}`;
    }));
  }
  if (document.contents === null) {
    throw new DeploymentConfigError(`${file} is empty; list the subscriptions in it (write [] to declare none, e.g. to remove them all with --prune)`);
  }
  let contents: unknown;
  try {
    contents = document.toJS();
  } catch (error) {
    // An alias whose anchor is missing, say: the message names the alias, which may be anything.
    throw new DeploymentConfigError(`${file}: ${scrubSecrets((error as Error).message.split('\n')[0] ?? '')}; fix the YAML`, { cause: error });
  }
  if (!isSeq(document.contents)) {
    throw new DeploymentConfigError(`${file}: expected a YAML list of subscriptions ("- name: ops" items), got ${described(contents)}`);
  }
  const lines = document.contents.items.map((item) => lineCounter.linePos(isNode(item) ? (item.range?.[0] ?? 0) : 0).line);
  const values = contents as unknown[];
  const errors: string[] = [];
  const desired: DesiredSubscription[] = [];
  const firstLine = new Map<string, number>();
  values.forEach((value, index) => {
    const line = lines[index] ?? 1;
    const name = isPlainObject(value) && typeof value.name === 'string' ? value.name : undefined;
    const earlier = name === undefined ? undefined : firstLine.get(name);
    if (name !== undefined && earlier !== undefined) {
      errors.push(`${file}:${line}: subscription "${name}" is listed twice (first at line ${earlier}); give each subscription a unique name`);
      return;
    }
    if (name !== undefined) firstLine.set(name, line);
    const result = parseEntry(value, index, env, catalogue);
    if ('errors' in result) errors.push(...result.errors.map((error) => `${file}:${line}: ${error}`));
    else desired.push({ subscription: result.subscription, line, ...(result.kmsKeyId !== undefined && { kmsKeyId: result.kmsKeyId }) });
  });
  if (errors.length > 0) throw new DeploymentConfigError(errors);
  return desired;
}

function parseEntry(value: unknown, index: number, env: NodeJS.ProcessEnv, catalogue: EventCatalogue | undefined): { subscription: Subscription; kmsKeyId?: string } | { errors: string[] } {
  if (!isPlainObject(value)) return { errors: [`item ${index + 1} must be a mapping with name, url and events, got ${described(value)}`] };
  const { name, secretEnv, routingKeyEnv, kmsKeyId, ...fields } = value;
  if (typeof name !== 'string' || name === '') return { errors: [`item ${index + 1} needs a "name" (1 to ${SUBSCRIPTION_LIMITS.nameMaxLength} characters of A-Z a-z 0-9 _ . -)`] };
  const prefix = `subscription "${name}":`;
  const errors: string[] = [];
  const known: Record<string, unknown> = {};
  for (const [key, field] of Object.entries(fields)) {
    const forbidden = FORBIDDEN_KEYS[key];
    if (forbidden !== undefined) errors.push(`${prefix} ${forbidden}`);
    else if (!(DEPLOYMENT_FILE_KEYS as readonly string[]).includes(key)) errors.push(`${prefix} ${fieldName(key)} is not a known field (known: ${DEPLOYMENT_FILE_KEYS.join(', ')})`);
    else known[key] = field;
  }
  const secret = readFromEnv(secretEnv, 'secretEnv', env, prefix, errors);
  if (secret !== undefined && !isValidSecret(secret)) {
    errors.push(`${prefix} the secret in ${String(secretEnv)} must be "whsec_" followed by base64 of ${SUBSCRIPTION_LIMITS.secretMinBytes} to ${SUBSCRIPTION_LIMITS.secretMaxBytes} random bytes, e.g. ${SECRET_HINT}`);
  }
  const routingKey = readFromEnv(routingKeyEnv, 'routingKeyEnv', env, prefix, errors);
  if (kmsKeyId !== undefined && (typeof kmsKeyId !== 'string' || !isKmsKeyId(kmsKeyId))) errors.push(`${prefix} kmsKeyId must be ${KMS_KEY_ID_HINT}`);
  const result = parseSubscription(name, { ...known, ...(secret !== undefined && { secret }), ...(routingKey !== undefined && { routingKey }) }, catalogue);
  // A credential that could not be read is already reported; the subscription's own rules about it (e.g. routingKey for pagerduty) would repeat it.
  const unreported = result.ok ? [] : result.errors.filter((error) => !(routingKeyEnv !== undefined && routingKey === undefined && error.includes('routingKey')));
  if (errors.length > 0 || unreported.length > 0) return { errors: [...errors, ...unreported] };
  return result.ok ? { subscription: result.subscription, ...(typeof kmsKeyId === 'string' && { kmsKeyId }) } : { errors };
}

/** What a message says instead of a value that may be a credential (README "Security model", What is masked). */
function hidden(text: string): string {
  return `${text.length} characters, not shown in case it is a credential`;
}

/** A field name as a message may quote it: a pasted credential is described, not shown. */
function fieldName(key: string): string {
  return isSafeToQuote(key) ? `"${key}"` : `a field name (${hidden(key)})`;
}

/** A value as a message may show it: {@link describe}, but a string that may be a credential described. */
function described(value: unknown): string {
  return typeof value === 'string' && !isSafeToQuote(value) ? `a value of ${hidden(value)}` : describe(value);
}

/** The value of the environment variable a `…Env` key names; problems go to `errors`. */
function readFromEnv(variable: unknown, key: string, env: NodeJS.ProcessEnv, prefix: string, errors: string[]): string | undefined {
  if (variable === undefined) return undefined;
  const example = key === 'secretEnv' ? 'OPS_WEBHOOK_SECRET' : 'PAGERDUTY_ROUTING_KEY';
  if (typeof variable !== 'string' || !ENV_NAME.test(variable)) {
    errors.push(`${prefix} ${key} must name an environment variable, e.g. ${example}, got ${described(variable)}`);
    return undefined;
  }
  const value = env[variable];
  if (value === undefined || value === '') {
    if (!isSafeToQuote(variable)) {
      errors.push(`${prefix} ${key} names no environment variable that is set, and may hold the credential itself (${hidden(variable)}); put the credential in a variable and name that, e.g. ${key}: ${example}`);
      return undefined;
    }
    const hint = key === 'secretEnv' ? SECRET_HINT : '<the integration key>';
    errors.push(`${prefix} the environment variable ${variable} (${key}) is not set; export it, e.g. export ${variable}=${hint}`);
    return undefined;
  }
  return value;
}
