import { applyPut, checkTags } from './apply-put';
import type { PutParameterInput } from './apply-put';
import { invalid, SsmError } from './errors';
import { FaultInjector } from './fault-injector';
import type { FaultPlan, OperationCounts } from './fault-injector';
import { ParameterDataFile } from './parameter-data-file';
import { compileFilter, paginate } from './parameter-listing';
import type { Page, PageQuery, ParameterFilter } from './parameter-listing';
import { isUnderPath, normalizePath } from './parameter-names';
import type { ParameterVersion, StoredParameter } from './stored-parameter';

/**
 * What a SecureString reads as without `WithDecryption`. AWS returns the KMS ciphertext there;
 * there is no KMS locally, so an opaque marker stands in for it, and never the plaintext.
 */
export const SECURE_STRING_PLACEHOLDER = 'local-ssm-ciphertext:read-with-WithDecryption-true';

/** The KMS key of a SecureString created without KeyId: the account's AWS managed key for SSM. */
const DEFAULT_KEY_ID = 'alias/aws/ssm';

// SSM's limits: names per GetParameters or DeleteParameters call, versions kept per parameter, and
// page sizes as [largest MaxResults, default].
// https://docs.aws.amazon.com/systems-manager/latest/APIReference/API_GetParametersByPath.html
// https://docs.aws.amazon.com/systems-manager/latest/userguide/sysman-paramstore-versions.html
const MAX_NAMES = 10;
const MAX_VERSIONS = 100;
const PAGE_SIZES = { path: [10, 10], describe: [50, 10], history: [50, 50] } as const;

/** A parameter as GetParameter(s) and GetParametersByPath return it; `selector` is `:<version>` when one was asked for. */
export type ParameterView = ReturnType<typeof parameterView> & { readonly selector?: string };

/** A parameter as DescribeParameters returns it: metadata, no value. */
export type ParameterMetadataView = ReturnType<typeof metadataView>;

/** Options of {@link ParameterStore.open}. */
export interface ParameterStoreOptions {
  /** JSON file loaded at start and rewritten atomically after each change; omit to stay in memory. */
  readonly dataFile?: string;
  /** Region used in ARNs; default `us-east-1`. */
  readonly region?: string;
  /** Clock for LastModifiedDate and the read quota; default `() => new Date()`. */
  readonly now?: () => Date;
}

/**
 * The Parameter Store stand-in's state, free of HTTP: SSM's semantics over a map of parameters,
 * listed in name order, each with its earlier versions and its tags. Errors are `SsmError`s, which the
 * protocol layer sends as SSM does. Mutations resolve once the change is persisted (when there is a
 * data file).
 */
export class ParameterStore {
  readonly #parameters = new Map<string, StoredParameter>();
  readonly #faults: FaultInjector;
  readonly #dataFile: ParameterDataFile | undefined;
  readonly #region: string;
  readonly #now: () => Date;

  /**
   * Opens a store, loading `options.dataFile` when it exists.
   * @throws ParameterDataFileError when the data file is unreadable or malformed.
   */
  static async open(options: ParameterStoreOptions = {}): Promise<ParameterStore> {
    const dataFile = options.dataFile === undefined ? undefined : new ParameterDataFile(options.dataFile);
    return new ParameterStore(options, dataFile, (await dataFile?.load()) ?? []);
  }

  private constructor(options: ParameterStoreOptions, dataFile: ParameterDataFile | undefined, loaded: readonly StoredParameter[]) {
    this.#dataFile = dataFile;
    this.#region = options.region ?? 'us-east-1';
    this.#now = options.now ?? (() => new Date());
    this.#faults = new FaultInjector(() => this.#now().getTime());
    for (const parameter of loaded) this.#parameters.set(parameter.name, parameter);
  }

  /**
   * Creates or overwrites a parameter and returns its new version and tier; the replaced version stays
   * in its history (the last 100 versions are kept).
   * @throws SsmError as {@link applyPut} does.
   * @throws ParameterDataFileError when the change cannot be written (it stays in memory).
   */
  async put(input: PutParameterInput): Promise<{ version: number; tier: 'Standard' | 'Advanced' }> {
    const existing = this.#parameters.get(input.name);
    const parameter = applyPut(existing, input, this.#now().getTime());
    const history = existing && [...(existing.history ?? []), versionOf(existing)].slice(1 - MAX_VERSIONS);
    this.#parameters.set(parameter.name, { ...parameter, history });
    await this.#persist();
    return { version: parameter.version, tier: parameter.tier ?? 'Standard' };
  }

  /**
   * Reads one parameter, or one of its versions as `name:version`; a SecureString's value only `withDecryption`.
   * @throws SsmError ParameterNotFound, ParameterVersionNotFound, or ValidationException for a label selector.
   */
  get(reference: string, withDecryption = false): ParameterView {
    const { version, selector } = this.#find(reference);
    return { ...parameterView(version, this.#region, withDecryption), selector };
  }

  /**
   * Reads up to 10 parameters (or versions, `name:version`); the ones that do not exist come back in
   * `invalidParameters`.
   * @throws SsmError ValidationException when `names` is empty or longer than 10, or for a label selector.
   */
  getMany(names: readonly string[], withDecryption = false): { parameters: ParameterView[]; invalidParameters: string[] } {
    const result = { parameters: [] as ParameterView[], invalidParameters: [] as string[] };
    for (const name of uniqueNames(names)) {
      try {
        result.parameters.push(this.get(name, withDecryption));
      } catch (error) {
        if (!(error instanceof SsmError) || error.code === 'ValidationException') throw error;
        result.invalidParameters.push(name);
      }
    }
    return result;
  }

  /**
   * One page of the parameters under `query.path`: direct children only, unless `recursive`.
   * @throws SsmError ValidationException on a bad path or `maxResults`; InvalidNextToken.
   */
  getByPath(query: PageQuery & { path: string; recursive?: boolean; withDecryption?: boolean }): Page<ParameterView> {
    const path = normalizePath(query.path);
    const matching = this.#sorted().filter((parameter) => isUnderPath(parameter.name, path, query.recursive === true));
    const page = paginate(matching, (parameter) => parameter.name, query, PAGE_SIZES.path);
    return { ...page, items: page.items.map((parameter) => parameterView(parameter, this.#region, query.withDecryption === true)) };
  }

  /**
   * One page of a parameter's versions, oldest first.
   * @throws SsmError ParameterNotFound; ValidationException on `maxResults`; InvalidNextToken.
   */
  history(name: string, query: PageQuery & { withDecryption?: boolean } = {}) {
    const parameter = this.#get(name);
    const versions = [...(parameter.history ?? []), parameter];
    const page = paginate(versions, (version) => String(version.version).padStart(12, '0'), query, PAGE_SIZES.history);
    const { withDecryption = false } = query;
    // No labels: the stand-in does not implement LabelParameterVersion.
    const items = page.items.map((version) => ({
      ...metadataView(version, this.#region),
      value: parameterView(version, this.#region, withDecryption).value,
      labels: [],
    }));
    return { ...page, items };
  }

  /**
   * One page of parameter metadata (no values), optionally filtered by Name, Path or Type.
   * @throws SsmError ValidationException on an unsupported filter or `maxResults`; InvalidNextToken.
   */
  describe(query: PageQuery & { readonly filters?: readonly ParameterFilter[] } = {}): Page<ParameterMetadataView> {
    const predicates = (query.filters ?? []).map(compileFilter);
    const matching = this.#sorted().filter((parameter) => predicates.every((accepts) => accepts(parameter)));
    const page = paginate(matching, (parameter) => parameter.name, query, PAGE_SIZES.describe);
    return { ...page, items: page.items.map((parameter) => metadataView(parameter, this.#region)) };
  }

  /**
   * Deletes one parameter with its history and tags (a later put starts again at version 1).
   * @throws SsmError ParameterNotFound.
   */
  async delete(name: string): Promise<void> {
    this.#parameters.delete(this.#get(name).name);
    await this.#persist();
  }

  /**
   * Deletes up to 10 parameters; names that do not exist come back in `invalidParameters`.
   * @throws SsmError ValidationException when `names` is empty or longer than 10.
   */
  async deleteMany(names: readonly string[]): Promise<{ deletedParameters: string[]; invalidParameters: string[] }> {
    const unique = uniqueNames(names);
    const deletedParameters = unique.filter((name) => this.#parameters.delete(name));
    if (deletedParameters.length > 0) await this.#persist();
    return { deletedParameters, invalidParameters: unique.filter((name) => !deletedParameters.includes(name)) };
  }

  /**
   * The tags of parameter `name`.
   * @throws SsmError InvalidResourceId when there is no such parameter.
   */
  tags(name: string): Readonly<Record<string, string>> {
    return this.#get(name, 'InvalidResourceId').tags ?? {};
  }

  /**
   * Adds tags to parameter `name` (a new value replaces the old one of its key), or with `remove`, deletes
   * the tags of these keys. No new version.
   * @throws SsmError InvalidResourceId when there is no such parameter; TooManyTagsError over 50 tags;
   *   ValidationException on a bad key or value.
   */
  async tag(name: string, change: { add?: Readonly<Record<string, string>>; remove?: readonly string[] }): Promise<void> {
    const parameter = this.#get(name, 'InvalidResourceId');
    const tags = { ...parameter.tags, ...change.add };
    for (const key of change.remove ?? []) delete tags[key];
    checkTags(name, tags);
    this.#parameters.set(name, { ...parameter, tags });
    await this.#persist();
  }

  /**
   * Makes the next `plan.throttle` requests (for `plan.operations`, default any) fail with HTTP 400
   * `ThrottlingException: Rate exceeded`, for soak tests, e.g.
   * `store.injectFaults({ throttle: 5, operations: ['GetParametersByPath'] })`. SDK retries consume
   * faults too (a client with the default 3 attempts spends up to 3 per call). Plans add up.
   * @throws TypeError when `throttle` is not a non-negative integer or an operation is unknown.
   */
  injectFaults(plan: FaultPlan): void {
    this.#faults.inject(plan);
  }

  /** Drops every pending injected fault. */
  clearFaults(): void {
    this.#faults.clear();
  }

  /**
   * Throttles GetParameter, GetParameters and GetParametersByPath together above `perSecond` requests
   * in each second, as SSM's shared quota does (e.g. 40, its default); `undefined` lifts it.
   * @throws TypeError when `perSecond` is not a positive integer.
   */
  throttleReads(perSecond: number | undefined): void {
    this.#faults.throttleReads(perSecond);
  }

  /** Requests received per operation since the store opened, and how many were throttled. */
  operationCounts(): OperationCounts {
    return this.#faults.counts();
  }

  /** For the protocol layer, once per request: counts it, and returns the error it must fail with, if any. */
  takeFault(operation: string): SsmError | undefined {
    return this.#faults.take(operation);
  }

  /** Resolves when every change so far has been written to the data file (or failed to be). */
  async flush(): Promise<void> {
    await this.#dataFile?.flush();
  }

  async #persist(): Promise<void> {
    await this.#dataFile?.save([...this.#parameters.values()]);
  }

  #sorted(): StoredParameter[] {
    return [...this.#parameters.values()].sort((a, b) => (a.name < b.name ? -1 : 1));
  }

  // Tagging operations call a missing parameter an InvalidResourceId.
  #get(name: string, code: 'ParameterNotFound' | 'InvalidResourceId' = 'ParameterNotFound'): StoredParameter {
    const parameter = this.#parameters.get(name);
    if (parameter !== undefined) return parameter;
    const hint = code === 'InvalidResourceId' ? ' The ResourceId of a parameter is its full name.' : '';
    throw new SsmError(code, `Parameter ${name} not found.${hint}`);
  }

  // `name:version` selects a version; parameter names cannot contain ":".
  #find(reference: string): { version: ParameterVersion; selector?: string } {
    const colon = reference.lastIndexOf(':');
    if (colon === -1) return { version: this.#get(reference) };
    const [name, selector] = [reference.slice(0, colon), reference.slice(colon + 1)];
    const parameter = this.#get(name);
    if (!/^\d+$/.test(selector)) {
      throw invalid(`${reference} selects a label, and the local Parameter Store has no labels; select a version, e.g. ${name}:${parameter.version}.`);
    }
    const version = [...(parameter.history ?? []), parameter].find((candidate) => candidate.version === Number(selector));
    if (version === undefined) {
      const range = `${parameter.history?.[0]?.version ?? parameter.version} to ${parameter.version}`;
      throw new SsmError('ParameterVersionNotFound', `${name} has no version ${selector}; its versions are ${range}.`);
    }
    return { version, selector: `:${selector}` };
  }
}

function uniqueNames(names: readonly string[]): string[] {
  if (names.length > 0 && names.length <= MAX_NAMES) return [...new Set(names)];
  throw invalid(`Names must list 1 to ${MAX_NAMES} parameter names; got ${names.length}.`);
}

function versionOf({ tags: _tags, history: _history, ...version }: StoredParameter): ParameterVersion {
  return version;
}

function parameterView(parameter: ParameterVersion, region: string, withDecryption: boolean) {
  const hidden = parameter.type === 'SecureString' && !withDecryption;
  return {
    name: parameter.name,
    type: parameter.type,
    value: hidden ? SECURE_STRING_PLACEHOLDER : parameter.value,
    version: parameter.version,
    lastModifiedDate: new Date(parameter.lastModified),
    // The ARN drops the name's leading slash after `parameter/`; the account is LocalStack's zeros.
    arn: `arn:aws:ssm:${region}:000000000000:parameter/${parameter.name.replace(/^\//, '')}`,
    dataType: 'text',
  };
}

function metadataView(parameter: ParameterVersion, region: string) {
  const { value: _value, ...common } = parameterView(parameter, region, false);
  return {
    ...common,
    tier: parameter.tier ?? 'Standard',
    keyId: parameter.type === 'SecureString' ? (parameter.keyId ?? DEFAULT_KEY_ID) : undefined,
    description: parameter.description,
    allowedPattern: parameter.allowedPattern,
  };
}
