// The value model's conversions: text of numbers and dates, numbers of text, truthiness, comparison.
import { describe, expect, it } from 'vitest';
import { Dyn, SnipDate, compareValues, formatNumber, isTruthy, toNumber, toPlain, toText } from '../../runtime/values.js';

describe('toText', () => {
  it.each([
    [579, '579'],
    [0.1 + 0.2, '0.3'],
    [-1.5, '-1.5'],
    [true, 'true'],
    [null, ''],
  ] as const)('%s -> %s', (v, text) => {
    expect(toText(v)).toBe(text);
  });

  it('prints dates on the 24-hour clock, also before 30 Dec 1899 (.NET keeps the time positive)', () => {
    expect(toText(new SnipDate(1.25))).toBe('12/31/1899 06:00:00');
    expect(toText(new SnipDate(-1.25))).toBe('12/29/1899 06:00:00');
  });

  it('never prints exponents for ordinary numbers', () => {
    expect(formatNumber(1e20)).toBe('100000000000000000000');
    expect(formatNumber(123456.789)).toBe('123456.789');
  });
});

describe('toNumber and truthiness', () => {
  it('reads only wholly numeric text', () => {
    expect(toNumber(' 42 ')).toBe(42);
    expect(Number.isNaN(toNumber('12abc'))).toBe(true);
    expect(Number.isNaN(toNumber(null))).toBe(true);
  });

  it('treats true, non-zero numbers and their text as true', () => {
    expect([true, 1, '1', 'TRUE', '2.5'].map(isTruthy)).toEqual([true, true, true, true, true]);
    expect([false, 0, '0', '', 'yes', null].map(isTruthy)).toEqual([false, false, false, false, false, false]);
  });

  it('compares numeric text numerically and other text ordinally', () => {
    expect(compareValues('201', 201)).toBe(0);
    expect(compareValues('10', '9')).toBeGreaterThan(0);
    expect(compareValues('a', 'B')).toBeGreaterThan(0);
  });
});

describe('toPlain', () => {
  it('keeps prototype names as plain members', () => {
    const d = new Dyn();
    d.members.set('__proto__', 'x');
    d.members.set('constructor', 'y');
    const plain = toPlain(d) as Record<string, unknown>;
    expect(Object.keys(plain)).toEqual(['__proto__', 'constructor']);
    expect(Object.getPrototypeOf(plain)).toBe(Object.prototype);
  });
});
