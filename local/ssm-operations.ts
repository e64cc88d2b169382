import { SsmValidationError } from './errors';
import type { ParameterFilter } from './parameter-filters';
import type { ParameterMetadataView, ParameterView } from './parameter-shapes';
import type { ParameterStore } from './parameter-store';
import {
  optionalBoolean,
  optionalNumber,
  optionalObjectList,
  optionalString,
  requiredString,
  requiredStringList,
} from './ssm-input';
import type { JsonObject } from './ssm-input';
import type { SsmOperation } from './ssm-operation-names';
import { isParameterType, PARAMETER_TYPES } from './stored-parameter';
import type { ParameterType } from './stored-parameter';

type OperationHandler = (store: ParameterStore, input: JsonObject) => JsonObject | Promise<JsonObject>;

// Each operation reads SSM's PascalCase members, calls the store, and answers in SSM's shapes.
// https://docs.aws.amazon.com/systems-manager/latest/APIReference/API_Operations.html
const OPERATIONS: Record<SsmOperation, OperationHandler> = {
  PutParameter: async (store, input) => {
    const { version } = await store.put({
      name: requiredString(input, 'Name'),
      value: requiredString(input, 'Value'),
      type: parameterType(optionalString(input, 'Type')),
      overwrite: optionalBoolean(input, 'Overwrite'),
      description: optionalString(input, 'Description'),
    });
    return { Version: version, Tier: 'Standard' };
  },
  GetParameter: (store, input) => {
    const parameter = store.get(requiredString(input, 'Name'), optionalBoolean(input, 'WithDecryption'));
    return { Parameter: wireParameter(parameter) };
  },
  GetParameters: (store, input) => {
    const names = requiredStringList(input, 'Names');
    const result = store.getMany(names, optionalBoolean(input, 'WithDecryption'));
    return { Parameters: result.parameters.map(wireParameter), InvalidParameters: result.invalidParameters };
  },
  GetParametersByPath: (store, input) => {
    if (optionalObjectList(input, 'ParameterFilters')?.length) {
      throw new SsmValidationError(
        'ParameterFilters on GetParametersByPath are not supported by the local Parameter Store; ' +
          'filter the result instead.',
      );
    }
    const page = store.getByPath({
      path: requiredString(input, 'Path'),
      recursive: optionalBoolean(input, 'Recursive'),
      withDecryption: optionalBoolean(input, 'WithDecryption'),
      maxResults: optionalNumber(input, 'MaxResults'),
      nextToken: optionalString(input, 'NextToken'),
    });
    return { Parameters: page.items.map(wireParameter), ...nextToken(page.nextToken) };
  },
  DeleteParameter: async (store, input) => {
    await store.delete(requiredString(input, 'Name'));
    return {};
  },
  DeleteParameters: async (store, input) => {
    const result = await store.deleteMany(requiredStringList(input, 'Names'));
    return { DeletedParameters: result.deletedParameters, InvalidParameters: result.invalidParameters };
  },
  DescribeParameters: (store, input) => {
    if (optionalObjectList(input, 'Filters')?.length) {
      throw new SsmValidationError(
        'Filters (deprecated) are not supported by the local Parameter Store; use ParameterFilters.',
      );
    }
    const page = store.describe({
      filters: optionalObjectList(input, 'ParameterFilters')?.map(parameterFilter),
      maxResults: optionalNumber(input, 'MaxResults'),
      nextToken: optionalString(input, 'NextToken'),
    });
    return { Parameters: page.items.map(wireMetadata), ...nextToken(page.nextToken) };
  },
};

/**
 * Runs one SSM operation against `store` and returns the JSON response body.
 * Members the stand-in does not model (Tags, KeyId, Tier, AllowedPattern, …) are ignored.
 * @throws SsmError subclasses, as SSM would answer the request.
 */
export async function runSsmOperation(
  store: ParameterStore,
  operation: SsmOperation,
  input: JsonObject,
): Promise<JsonObject> {
  return OPERATIONS[operation](store, input);
}

function parameterType(type: string | undefined): ParameterType | undefined {
  if (type === undefined || isParameterType(type)) return type;
  throw new SsmValidationError(`Type "${type}" is not a parameter type; use one of ${PARAMETER_TYPES.join(', ')}.`);
}

function parameterFilter(filter: JsonObject): ParameterFilter {
  const option = optionalString(filter, 'Option');
  return {
    key: requiredString(filter, 'Key'),
    ...(option === undefined ? {} : { option }),
    values: requiredStringList(filter, 'Values'),
  };
}

function nextToken(token: string | undefined): JsonObject {
  return token === undefined ? {} : { NextToken: token };
}

function wireParameter(parameter: ParameterView): JsonObject {
  return { ...wireMetadataBase(parameter), Value: parameter.value };
}

function wireMetadata(parameter: ParameterMetadataView): JsonObject {
  const description = parameter.description === undefined ? {} : { Description: parameter.description };
  return { ...wireMetadataBase(parameter), Tier: parameter.tier, ...description };
}

// AWS JSON 1.1 sends timestamps as epoch seconds (a JSON number, fractional).
function wireMetadataBase(parameter: Omit<ParameterView, 'value'>): JsonObject {
  return {
    Name: parameter.name,
    Type: parameter.type,
    Version: parameter.version,
    LastModifiedDate: parameter.lastModifiedDate.getTime() / 1000,
    ARN: parameter.arn,
    DataType: parameter.dataType,
  };
}
