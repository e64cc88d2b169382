import { SsmError } from './errors';
import type { ParameterStore } from './parameter-store';
import { readSsmInput } from './ssm-api';
import type { JsonObject, SsmInput, SsmOperation, WireTag } from './ssm-api';

type Handlers = { readonly [O in SsmOperation]: (store: ParameterStore, input: SsmInput<O>) => JsonObject | Promise<JsonObject> };

// Each operation calls the store with the members `SSM_API` declares, and answers in SSM's shapes.
const HANDLERS: Handlers = {
  PutParameter: async (store, input) => {
    const tags = input.Tags === undefined ? undefined : Object.fromEntries(input.Tags.map((tag) => [tag.Key, tag.Value]));
    const { version, tier } = await store.put({
      name: input.Name,
      value: input.Value,
      type: input.Type,
      overwrite: input.Overwrite,
      description: input.Description,
      tier: input.Tier,
      keyId: input.KeyId,
      allowedPattern: input.AllowedPattern,
      tags,
    });
    return { Version: version, Tier: tier };
  },
  GetParameter: (store, input) => ({ Parameter: toWire(store.get(input.Name, input.WithDecryption)) }),
  GetParameters: (store, input) => {
    const result = store.getMany(input.Names, input.WithDecryption);
    return { Parameters: result.parameters.map(toWire), InvalidParameters: result.invalidParameters };
  },
  GetParametersByPath: (store, input) => {
    const query = { path: input.Path, recursive: input.Recursive, withDecryption: input.WithDecryption };
    return wirePage('Parameters', store.getByPath({ ...query, maxResults: input.MaxResults, nextToken: input.NextToken }));
  },
  GetParameterHistory: (store, input) => {
    const query = { withDecryption: input.WithDecryption, maxResults: input.MaxResults, nextToken: input.NextToken };
    return wirePage('Parameters', store.history(input.Name, query), ({ arn: _arn, ...version }) => version);
  },
  DescribeParameters: (store, input) => {
    const filters = input.ParameterFilters?.map((filter) => ({ key: filter.Key, option: filter.Option, values: filter.Values ?? [] }));
    return wirePage('Parameters', store.describe({ filters, maxResults: input.MaxResults, nextToken: input.NextToken }));
  },
  DeleteParameter: async (store, input) => {
    await store.delete(input.Name);
    return {};
  },
  DeleteParameters: async (store, input) => {
    const result = await store.deleteMany(input.Names);
    return { DeletedParameters: result.deletedParameters, InvalidParameters: result.invalidParameters };
  },
  AddTagsToResource: async (store, input) => {
    await store.tag(parameterName(input), { add: Object.fromEntries(input.Tags.map((tag) => [tag.Key, tag.Value])) });
    return {};
  },
  RemoveTagsFromResource: async (store, input) => {
    await store.tag(parameterName(input), { remove: input.TagKeys });
    return {};
  },
  ListTagsForResource: (store, input) => {
    const tags = Object.entries(store.tags(parameterName(input)));
    return { TagList: tags.map(([Key, Value]): WireTag => ({ Key, Value })) };
  },
};

/**
 * Runs one SSM operation against `store` and returns the JSON response body.
 * @throws SsmError, as SSM would answer the request.
 */
export async function runSsmOperation(store: ParameterStore, operation: SsmOperation, body: JsonObject): Promise<JsonObject> {
  const handler = HANDLERS[operation] as (store: ParameterStore, input: unknown) => JsonObject | Promise<JsonObject>;
  return handler(store, readSsmInput(operation, body));
}

function parameterName(input: { readonly ResourceType: string; readonly ResourceId: string }): string {
  if (input.ResourceType !== 'Parameter') {
    throw new SsmError('InvalidResourceType', 'The local Parameter Store tags parameters only; set ResourceType to Parameter.');
  }
  return input.ResourceId;
}

function wirePage<T extends object>(
  member: string,
  page: { readonly items: readonly T[]; readonly nextToken?: string },
  pick: (item: T) => object = (item) => item,
): JsonObject {
  return { [member]: page.items.map((item) => toWire(pick(item))), NextToken: page.nextToken };
}

// A store view in SSM's PascalCase members; AWS JSON 1.1 sends timestamps as epoch seconds.
function toWire(view: object): JsonObject {
  const member = (key: string): string => (key === 'arn' ? 'ARN' : `${key[0]?.toUpperCase()}${key.slice(1)}`);
  return Object.fromEntries(Object.entries(view).map(([key, value]) => [member(key), value instanceof Date ? value.getTime() / 1000 : value]));
}
