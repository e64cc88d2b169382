import { invalid, SsmError } from './errors';
import { validateParameterName } from './parameter-names';
import type { ParameterType, StoredParameter } from './stored-parameter';

/** Parameter tiers a PutParameter may ask for; Intelligent-Tiering picks Advanced only when needed. */
export const PARAMETER_TIERS = ['Standard', 'Advanced', 'Intelligent-Tiering'] as const;

/**
 * SSM's limits on one parameter: characters of a value per tier, of a description and an allowed
 * pattern, and tags per parameter (keys up to 128 characters, values up to 256).
 * @see https://docs.aws.amazon.com/systems-manager/latest/APIReference/API_PutParameter.html
 * @see https://docs.aws.amazon.com/systems-manager/latest/userguide/parameter-store-advanced-parameters.html
 */
const PARAMETER_LIMITS = {
  maxValueLength: { Standard: 4096, Advanced: 8192 },
  maxDescriptionLength: 1024,
  maxPatternLength: 1024,
  maxTags: 50,
} as const;

/** PutParameter's input. On overwrite, an omitted type, description, tier, key or pattern is kept. */
export interface PutParameterInput {
  readonly name: string;
  readonly value: string;
  /** Required to create. A type change on overwrite is accepted, as AWS accepts it. */
  readonly type?: ParameterType;
  readonly overwrite?: boolean;
  readonly description?: string;
  readonly tier?: (typeof PARAMETER_TIERS)[number];
  /** A SecureString's KMS key; any key id, ARN or alias is accepted (there is no KMS locally). */
  readonly keyId?: string;
  readonly allowedPattern?: string;
  /** Only when creating: AWS refuses tags together with Overwrite. */
  readonly tags?: Readonly<Record<string, string>>;
}

/**
 * PutParameter's rules as a pure function: the parameter that replaces `existing` (undefined when the
 * name is new) at time `now` (epoch ms), without `history` (the store keeps that). Version counts up
 * from 1; tags stay with the parameter.
 * @throws SsmError ParameterAlreadyExists when the name exists and `overwrite` is not set;
 *   ParameterPatternMismatchException when the value does not match the allowed pattern;
 *   InvalidAllowedPatternException when that is not a regular expression; TooManyTagsError;
 *   HierarchyLevelLimitExceededException; ValidationException on any other bad member.
 */
export function applyPut(existing: StoredParameter | undefined, input: PutParameterInput, now: number): StoredParameter {
  const { name, value } = input;
  validateParameterName(name);
  if (value.length === 0) throw invalid(`The value of ${name} must not be empty.`);
  if ((input.description?.length ?? 0) > PARAMETER_LIMITS.maxDescriptionLength) {
    throw invalid(`The description of ${name} is longer than ${PARAMETER_LIMITS.maxDescriptionLength} characters.`);
  }
  if (input.overwrite === true && input.tags !== undefined) {
    throw invalid(`Tags and Overwrite cannot be used together (${name}): tag an existing parameter with AddTagsToResource.`);
  }
  if (existing !== undefined && input.overwrite !== true) {
    throw new SsmError('ParameterAlreadyExists', `Parameter ${name} already exists. To overwrite its value, set Overwrite to true.`);
  }
  const type = input.type ?? existing?.type;
  if (type === undefined) {
    throw invalid(`A parameter type is required when you create a parameter; set Type of ${name} to String, StringList or SecureString.`);
  }
  if (input.keyId !== undefined && type !== 'SecureString') {
    throw invalid(`KeyId applies only to SecureString parameters; remove it from ${name} or set Type to SecureString.`);
  }
  const allowedPattern = input.allowedPattern ?? existing?.allowedPattern;
  if (allowedPattern !== undefined) checkPattern(name, value, allowedPattern);
  if (input.tags !== undefined) checkTags(name, input.tags);
  return {
    name,
    type,
    value,
    version: (existing?.version ?? 0) + 1,
    lastModified: now,
    description: input.description ?? existing?.description,
    tier: resolveTier(existing, input) === 'Advanced' ? 'Advanced' : undefined,
    keyId: type === 'SecureString' ? (input.keyId ?? existing?.keyId) : undefined,
    allowedPattern,
    tags: input.tags ?? existing?.tags,
  };
}

/**
 * Checks the tags a parameter would have.
 * @throws SsmError TooManyTagsError over 50 tags; ValidationException on an empty, `aws:` or too long key,
 *   or a value over 256 characters.
 */
export function checkTags(name: string, tags: Readonly<Record<string, string>>): void {
  const keys = Object.keys(tags);
  if (keys.length > PARAMETER_LIMITS.maxTags) {
    throw new SsmError('TooManyTagsError', `${name} would have ${keys.length} tags; a parameter can have at most ${PARAMETER_LIMITS.maxTags}.`);
  }
  for (const key of keys) {
    if (key.length === 0 || key.length > 128 || /^aws:/i.test(key)) {
      throw invalid(`Tag keys of ${name} must be 1 to 128 characters long and must not start with "aws:".`);
    }
    if ((tags[key]?.length ?? 0) > 256) throw invalid(`The tag ${key} of ${name} has a value longer than 256 characters.`);
  }
}

// The tier is kept on overwrite unless asked for, and never goes back from Advanced to Standard.
function resolveTier(existing: StoredParameter | undefined, input: PutParameterInput): 'Standard' | 'Advanced' {
  const current = existing === undefined ? undefined : (existing.tier ?? 'Standard');
  const { maxValueLength } = PARAMETER_LIMITS;
  const tier =
    input.tier === 'Intelligent-Tiering'
      ? current === 'Advanced' || input.value.length > maxValueLength.Standard ? 'Advanced' : 'Standard'
      : (input.tier ?? current ?? 'Standard');
  if (current === 'Advanced' && tier === 'Standard') {
    throw invalid(
      `${input.name} is an Advanced parameter, and a parameter cannot go back to the Standard tier; ` +
        'leave Tier out or set it to Advanced, or delete the parameter and create it again.',
    );
  }
  if (input.value.length > maxValueLength[tier]) {
    const hint = tier === 'Standard' ? `; set Tier to Advanced for up to ${maxValueLength.Advanced}` : '';
    throw invalid(
      `The value of ${input.name} is ${input.value.length} characters long; ` +
        `${tier === 'Advanced' ? 'an' : 'a'} ${tier} tier parameter holds at most ${maxValueLength[tier]}${hint}.`,
    );
  }
  return tier;
}

function checkPattern(name: string, value: string, pattern: string): void {
  if (pattern.length > PARAMETER_LIMITS.maxPatternLength) {
    throw invalid(`The AllowedPattern of ${name} is longer than ${PARAMETER_LIMITS.maxPatternLength} characters.`);
  }
  let regex: RegExp;
  try {
    regex = new RegExp(pattern);
  } catch (error) {
    throw new SsmError('InvalidAllowedPatternException', `The AllowedPattern of ${name} is not a valid regular expression.`, { cause: error });
  }
  if (!regex.test(value)) {
    throw new SsmError('ParameterPatternMismatchException', `The value of ${name} does not match its AllowedPattern ${pattern}.`);
  }
}
