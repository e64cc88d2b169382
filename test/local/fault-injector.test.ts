import { FaultInjector } from '../../local/fault-injector';

const throttling = expect.objectContaining({ name: 'SsmError', code: 'ThrottlingException' });

describe('FaultInjector', () => {
  it('throttles the next N requests of any operation, then none', () => {
    // Prepare
    const faults = new FaultInjector();
    faults.inject({ throttle: 2 });

    // Act
    const taken = ['GetParameter', 'PutParameter', 'GetParameter'].map((operation) => faults.take(operation));

    // Assess
    expect(taken[0]).toEqual(throttling);
    expect(taken[1]).toMatchObject({ code: 'ThrottlingException', message: 'Rate exceeded', statusCode: 400 });
    expect(taken[2]).toBeUndefined();
    expect(faults.pending).toBe(0);
  });

  it('adds plans up, each counting only its own operations', () => {
    // Prepare
    const faults = new FaultInjector();
    faults.inject({ throttle: 1, operations: ['GetParametersByPath'] });
    faults.inject({ throttle: 1, operations: ['PutParameter'] });

    // Act
    const put = faults.take('PutParameter');
    const get = faults.take('GetParameter');
    const remaining = faults.pending;

    // Assess
    expect(put).toEqual(throttling);
    expect(get).toBeUndefined();
    expect(remaining).toBe(1);
  });

  it('clears pending faults', () => {
    // Prepare
    const faults = new FaultInjector();
    faults.inject({ throttle: 5 });

    // Act
    faults.clear();

    // Assess
    expect(faults.take('GetParameter')).toBeUndefined();
  });

  it.each([
    [{ throttle: -1 }, 'Expected `throttle` to be a non-negative integer, got -1.'],
    [{ throttle: 1.5 }, 'Expected `throttle` to be a non-negative integer, got 1.5.'],
    [{ throttle: 1, operations: ['GetParamter'] }, 'Unknown operation(s) GetParamter in `operations`'],
  ])('refuses the plan %p', (plan, message) => {
    // Prepare
    const faults = new FaultInjector();

    // Act
    const inject = () => faults.inject(plan as never);

    // Assess
    expect(inject).toThrow(TypeError);
    expect(inject).toThrow(message);
  });
});
