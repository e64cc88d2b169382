import { MIN_VALUE_LENGTH, fitWithin } from '../../lambda/core/formats/fit-within';
import type { FieldLimits } from '../../lambda/core/formats/fit-within';
import { ELLIPSIS, singleLine, truncate } from '../../lambda/core/formats/truncate';

describe('truncate', () => {
  it('keeps a text that fits as it is', () => {
    // Act & Assess
    expect(truncate('resnet-sweep-3', 14)).toBe('resnet-sweep-3');
  });

  it('cuts a longer text to exactly the limit, ending with an ellipsis', () => {
    // Act
    const cut = truncate('resnet-sweep-3', 10);

    // Assess
    expect(cut).toBe(`resnet-sw${ELLIPSIS}`);
    expect(cut).toHaveLength(10);
  });

  it('never splits a surrogate pair', () => {
    // Prepare: each emoji is two UTF-16 code units
    const text = '🚀'.repeat(10);

    // Act
    const cut = truncate(text, 6);

    // Assess
    expect(cut).toBe(`🚀🚀${ELLIPSIS}`);
    expect(cut.length).toBeLessThanOrEqual(6);
    expect(() => encodeURIComponent(cut)).not.toThrow(); // a lone surrogate would throw
  });

  it('returns nothing for a limit of zero', () => {
    // Act & Assess
    expect(truncate('abc', 0)).toBe('');
  });
});

describe('singleLine', () => {
  it('turns line breaks and control characters into single spaces', () => {
    // Act & Assess
    expect(singleLine(' resnet\r\n sweep\t3\u0000 ')).toBe('resnet sweep 3');
  });
});

describe('fitWithin', () => {
  const render = ({ fields, valueLength }: FieldLimits) => Array.from({ length: fields }, () => 'x'.repeat(valueLength)).join('');

  it('renders once with the starting limits when the payload fits', () => {
    // Prepare
    const tried: FieldLimits[] = [];

    // Act
    const payload = fitWithin((limits) => (tried.push(limits), render(limits)), (text) => text.length, 20_000, { fields: 10, valueLength: 1024 });

    // Assess
    expect(tried).toEqual([{ fields: 10, valueLength: 1024 }]);
    expect(payload).toHaveLength(10_240);
  });

  it('halves the value length until the payload fits the budget', () => {
    // Act
    const payload = fitWithin(render, (text) => text.length, 3000, { fields: 10, valueLength: 1024 });

    // Assess
    expect(payload).toHaveLength(2560); // 1024 → 512 → 256: 10 values of 256
  });

  it('drops fields from the end once values are at their shortest', () => {
    // Prepare
    const tried: FieldLimits[] = [];

    // Act
    const payload = fitWithin((limits) => (tried.push(limits), render(limits)), (text) => text.length, 50, { fields: 5, valueLength: 32 });

    // Assess
    expect(tried).toEqual([
      { fields: 5, valueLength: 32 },
      { fields: 5, valueLength: MIN_VALUE_LENGTH },
      { fields: 4, valueLength: MIN_VALUE_LENGTH },
      { fields: 3, valueLength: MIN_VALUE_LENGTH },
    ]);
    expect(payload).toHaveLength(48);
  });

  it('returns the payload without fields when nothing smaller exists', () => {
    // Act
    const payload = fitWithin((limits) => `${'t'.repeat(100)}${render(limits)}`, (text) => text.length, 50, { fields: 2, valueLength: 16 });

    // Assess
    expect(payload).toBe('t'.repeat(100));
  });
});
