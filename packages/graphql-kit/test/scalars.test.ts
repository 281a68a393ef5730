import { Kind } from 'graphql';
import { LargePaiseScalar } from '../src';

describe('LargePaise', () => {
  it('serializes whole paise beyond a 32-bit Int, from numbers, bigints and numeric text', () => {
    expect(LargePaiseScalar.serialize(3_000_000_000)).toBe(3_000_000_000);
    expect(LargePaiseScalar.serialize(16_000_000_000n)).toBe(16_000_000_000);
    expect(LargePaiseScalar.serialize('-42')).toBe(-42);
    expect(LargePaiseScalar.serialize(Number.MAX_SAFE_INTEGER)).toBe(Number.MAX_SAFE_INTEGER);
  });

  it('refuses fractions, text and what a JSON number cannot hold exactly', () => {
    for (const bad of [1.5, Number.NaN, 'ten', 2n ** 60n, Number.MAX_SAFE_INTEGER + 1, null]) expect(() => LargePaiseScalar.serialize(bad)).toThrow(/LargePaise/);
    expect(() => LargePaiseScalar.parseValue(0.5)).toThrow(/whole number/);
    expect(LargePaiseScalar.parseValue(4_000_000_000)).toBe(4_000_000_000);
    expect(LargePaiseScalar.parseLiteral({ kind: Kind.INT, value: '4000000000' })).toBe(4_000_000_000);
    expect(() => LargePaiseScalar.parseLiteral({ kind: Kind.FLOAT, value: '1.5' })).toThrow(/whole number/);
  });
});
