import { applyPut } from '../../local/apply-put';
import type { PutParameterInput } from '../../local/apply-put';
import type { StoredParameter } from '../../local/stored-parameter';

const NOW = Date.parse('2026-11-27T10:00:00.000Z');

/** Matches the `SsmError` with this code. */
function ssmError(code: string): Error {
  return expect.objectContaining({ name: 'SsmError', code }) as Error;
}

function stored(overrides: Partial<StoredParameter> = {}): StoredParameter {
  return {
    name: '/hooks/ops',
    type: 'SecureString',
    value: 'old',
    version: 3,
    lastModified: 0,
    description: 'ops',
    ...overrides,
  };
}

function input(overrides: Partial<PutParameterInput> = {}): PutParameterInput {
  return { name: '/hooks/ops', value: 'new', type: 'String', ...overrides };
}

describe('applyPut', () => {
  it('creates a new parameter at version 1 at the given time', () => {
    // Act
    const parameter = applyPut(undefined, input(), NOW);

    // Assess
    expect(parameter).toEqual({ name: '/hooks/ops', type: 'String', value: 'new', version: 1, lastModified: NOW });
  });

  it('overwrites with the next version, keeping type and description when omitted', () => {
    // Act
    const parameter = applyPut(stored(), { name: '/hooks/ops', value: 'new', overwrite: true }, NOW);

    // Assess
    expect(parameter).toEqual({ ...stored(), value: 'new', version: 4, lastModified: NOW });
  });

  it.each([
    ['an existing name without overwrite', stored(), input(), ssmError('ParameterAlreadyExists')],
    ['a new name without a type', undefined, input({ type: undefined }), ssmError('ValidationException')],
    ['an empty name', undefined, input({ name: '' }), ssmError('ValidationException')],
    ['a hierarchy name without a leading slash', undefined, input({ name: 'hooks/ops' }), ssmError('ValidationException')],
    ['a trailing slash', undefined, input({ name: '/hooks/' }), ssmError('ValidationException')],
    ['a name with a space', undefined, input({ name: '/hooks/o ps' }), ssmError('ValidationException')],
    ['a reserved prefix', undefined, input({ name: '/aws/ops' }), ssmError('ValidationException')],
    ['a name over 2048 characters', undefined, input({ name: `/${'n'.repeat(2048)}` }), ssmError('ValidationException')],
    ['16 levels', undefined, input({ name: '/l'.repeat(16) }), ssmError('HierarchyLevelLimitExceededException')],
    ['an empty value', undefined, input({ value: '' }), ssmError('ValidationException')],
    ['a value over 4096 characters', undefined, input({ value: 'v'.repeat(4097) }), ssmError('ValidationException')],
    ['a description over 1024 characters', undefined, input({ description: 'd'.repeat(1025) }), ssmError('ValidationException')],
  ])('refuses %s', (_case, existing, request, error) => {
    // Act
    const put = () => applyPut(existing, request, NOW);

    // Assess
    expect(put).toThrow(error);
  });

  it('accepts 15 levels and a 4096-character value', () => {
    // Act
    const parameter = applyPut(undefined, input({ name: '/l'.repeat(15), value: 'v'.repeat(4096) }), NOW);

    // Assess
    expect(parameter.version).toBe(1);
  });

  it.each([
    [undefined, input({ name: 'hooks/ops' }), 'Parameter name "hooks/ops" is a hierarchy name and must be fully'],
    [undefined, input({ value: 'v'.repeat(4097) }), 'is 4097 characters long; a Standard tier parameter holds at most'],
    [undefined, input({ type: undefined }), 'set Type of /hooks/ops to String, StringList or SecureString.'],
    [stored(), input(), 'Parameter /hooks/ops already exists. To overwrite its value, set Overwrite to true.'],
  ])('says what was wrong and what to do (%#)', (existing, request, message) => {
    // Act
    const put = () => applyPut(existing, request, NOW);

    // Assess
    expect(put).toThrow(message);
  });
});
