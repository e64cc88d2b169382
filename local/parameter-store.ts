import { applyPut } from './apply-put';
import { ParameterNotFoundError } from './errors';
import type { SsmError } from './errors';
import { FaultInjector } from './fault-injector';
import type { FaultPlan } from './fault-injector';
import { ParameterDataFile } from './parameter-data-file';
import { compileParameterFilters } from './parameter-filters';
import { isUnderPath, normalizePath } from './parameter-names';
import { toMetadataView, toParameterView } from './parameter-shapes';
import type {
  DescribeQuery,
  ParameterMetadataView,
  ParameterView,
  PathQuery,
  PutParameterInput,
} from './parameter-shapes';
import { paginate, resolveMaxResults } from './pagination';
import type { Page } from './pagination';
import { checkNameList, REQUEST_LIMITS } from './request-limits';
import type { StoredParameter } from './stored-parameter';

/** Options of {@link ParameterStore.open}. */
export interface ParameterStoreOptions {
  /** JSON file loaded at start and rewritten atomically after each change; omit to stay in memory. */
  readonly dataFile?: string;
  /** Region used in ARNs; default `us-east-1`. */
  readonly region?: string;
  /** Clock for LastModifiedDate; default `() => new Date()`. */
  readonly now?: () => Date;
}

/**
 * The Parameter Store stand-in's state, free of HTTP: SSM's semantics over a map of parameters,
 * listed in name order. Errors are the `SsmError`s of `./errors`, which the protocol layer sends
 * as SSM does. Mutations resolve once the change is persisted (when there is a data file).
 */
export class ParameterStore {
  readonly #parameters = new Map<string, StoredParameter>();
  readonly #faults = new FaultInjector();
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

  private constructor(
    options: ParameterStoreOptions,
    dataFile: ParameterDataFile | undefined,
    loaded: readonly StoredParameter[],
  ) {
    this.#dataFile = dataFile;
    this.#region = options.region ?? 'us-east-1';
    this.#now = options.now ?? (() => new Date());
    for (const parameter of loaded) this.#parameters.set(parameter.name, parameter);
  }

  /**
   * Creates or overwrites a parameter and returns its new version.
   * @throws what {@link applyPut} throws: SsmValidationError, HierarchyLevelLimitExceededError,
   *   ParameterAlreadyExistsError.
   * @throws ParameterDataFileError when the change cannot be written (it stays in memory).
   */
  async put(input: PutParameterInput): Promise<{ version: number }> {
    const parameter = applyPut(this.#parameters.get(input.name), input, this.#now().getTime());
    this.#parameters.set(parameter.name, parameter);
    await this.#persist();
    return { version: parameter.version };
  }

  /**
   * Reads one parameter; a SecureString's value only `withDecryption`.
   * @throws ParameterNotFoundError when `name` does not exist.
   */
  get(name: string, withDecryption = false): ParameterView {
    const parameter = this.#parameters.get(name);
    if (parameter === undefined) throw new ParameterNotFoundError(name);
    return toParameterView(parameter, this.#region, withDecryption);
  }

  /**
   * Reads up to 10 parameters; names that do not exist come back in `invalidParameters`.
   * @throws SsmValidationError when `names` is empty or longer than 10.
   */
  getMany(
    names: readonly string[],
    withDecryption = false,
  ): { parameters: ParameterView[]; invalidParameters: string[] } {
    const unique = checkNameList(names);
    const found = unique.flatMap((name) => this.#parameters.get(name) ?? []);
    return {
      parameters: found.map((parameter) => toParameterView(parameter, this.#region, withDecryption)),
      invalidParameters: unique.filter((name) => !this.#parameters.has(name)),
    };
  }

  /**
   * One page of the parameters under `query.path`: direct children only, unless `recursive`.
   * @throws SsmValidationError on a bad path or `maxResults` outside 1–10.
   * @throws InvalidNextTokenError on a token this store did not issue.
   */
  getByPath(query: PathQuery): Page<ParameterView> {
    const path = normalizePath(query.path);
    const { maxPathResults } = REQUEST_LIMITS;
    const maxResults = resolveMaxResults(query.maxResults, maxPathResults, maxPathResults);
    const recursive = query.recursive === true;
    const matching = this.#sorted().filter((parameter) => isUnderPath(parameter.name, path, recursive));
    const page = paginate(matching, (parameter) => parameter.name, maxResults, query.nextToken);
    const withDecryption = query.withDecryption === true;
    return { ...page, items: page.items.map((parameter) => toParameterView(parameter, this.#region, withDecryption)) };
  }

  /**
   * One page of parameter metadata (no values), optionally filtered by Name, Path or Type.
   * @throws SsmValidationError on an unsupported filter or `maxResults` outside 1–50.
   * @throws InvalidNextTokenError on a token this store did not issue.
   */
  describe(query: DescribeQuery = {}): Page<ParameterMetadataView> {
    const accepts = compileParameterFilters(query.filters ?? []);
    const { maxDescribeResults, defaultDescribeResults } = REQUEST_LIMITS;
    const maxResults = resolveMaxResults(query.maxResults, maxDescribeResults, defaultDescribeResults);
    const page = paginate(this.#sorted().filter(accepts), (parameter) => parameter.name, maxResults, query.nextToken);
    return { ...page, items: page.items.map((parameter) => toMetadataView(parameter, this.#region)) };
  }

  /**
   * Deletes one parameter (a later put starts again at version 1).
   * @throws ParameterNotFoundError when `name` does not exist.
   */
  async delete(name: string): Promise<void> {
    if (!this.#parameters.delete(name)) throw new ParameterNotFoundError(name);
    await this.#persist();
  }

  /**
   * Deletes up to 10 parameters; names that do not exist come back in `invalidParameters`.
   * @throws SsmValidationError when `names` is empty or longer than 10.
   */
  async deleteMany(names: readonly string[]): Promise<{ deletedParameters: string[]; invalidParameters: string[] }> {
    const unique = checkNameList(names);
    const deletedParameters = unique.filter((name) => this.#parameters.delete(name));
    const invalidParameters = unique.filter((name) => !deletedParameters.includes(name));
    if (deletedParameters.length > 0) await this.#persist();
    return { deletedParameters, invalidParameters };
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

  /** For the protocol layer: the error a request for `operation` must fail with, if a fault is due. */
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
}
