// Issue 12: masking is cheaper but the same. A text without escape characters (% \ & +) is masked
// with an expression of plain values and base64 forms; every other text with the full one of every
// encoding. Property: for any values and any text, the redactor gives exactly what the full
// expression alone gives (the reference below is built from `valuePattern`, the hardening's patterns).
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { MASK, MIN_MASKED_LENGTH, Redactor, base64Forms, valuePattern } from '../../../runtime/hub/redact.js';

function reference(values: string[], text: string): string {
  const set = [...new Set(values.filter((v) => v.length >= MIN_MASKED_LENGTH))];
  if (set.length === 0 || !text) return text;
  const sorted = set.sort((a, b) => b.length - a.length || (a < b ? -1 : a > b ? 1 : 0));
  return text.replace(new RegExp(sorted.map(valuePattern).join('|'), 'gi'), MASK);
}

/** Texts made of noise and the values themselves, upper-cased, percent-, JSON-, HTML- or base64-encoded. */
function textAround(values: string[]): fc.Arbitrary<string> {
  const forms = values.flatMap((v) => [
    v,
    v.toUpperCase(),
    encodeURIComponent(v),
    JSON.stringify(v).slice(1, -1),
    JSON.stringify(JSON.stringify(v)),
    v.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`),
    Buffer.from(`user:${v}`).toString('base64'),
    ...base64Forms(v),
  ]);
  const piece = fc.oneof(fc.string({ maxLength: 6 }), fc.constantFrom(...forms), fc.constantFrom('%', '\\', '&', '+', ' ', '"', '/'));
  return fc.array(piece, { maxLength: 8 }).map((parts) => parts.join(''));
}

const value = fc.oneof(
  fc.string({ minLength: 1, maxLength: 12 }),
  fc.constantFrom('s3cr3t-Ab9', 'p@ss w/rd&x', 'tok+en/=', 'über-geheim', 'a"b\\c', 'AbCdEf'),
);

describe('masking without escapes takes the plain expression, with the same result', () => {
  it('equals the full expression on any text, with and without escape characters', () => {
    fc.assert(
      fc.property(
        fc.array(value, { minLength: 1, maxLength: 4 }).chain((values) => fc.tuple(fc.constant(values), textAround(values))),
        ([values, text]) => {
          const r = new Redactor(values);
          expect(r.mask(text)).toBe(reference(values, text));
          // Escape-free texts as well (the plain path), from the same material.
          const plain = text.replace(/[%\\&+]/g, '');
          expect(r.mask(plain)).toBe(reference(values, plain));
        },
      ),
      { numRuns: 400 },
    );
  });

  it('masks plain, upper-cased and base64 forms in a text without escapes, and every encoding otherwise', () => {
    const r = new Redactor(['Sk-Live-9f3a', 'hunter22']);
    expect(r.mask('{"key":"SK-LIVE-9F3A","b":"' + Buffer.from('hunter22').toString('base64') + '"}')).toBe('{"key":"****","b":"****"}');
    expect(r.mask('q=Sk%2DLive%2D9f3a&x=hunter22')).toBe('q=****&x=****');
    expect(r.mask('&#83;k-Live-9f3a')).toBe('****');
    expect(r.mask('nothing secret here')).toBe('nothing secret here');
  });

  it('two redactors of the same values share one compiled expression and stay independent', () => {
    const a = new Redactor(['alpha-secret']);
    const b = new Redactor(['alpha-secret']);
    b.add('beta-secret');
    expect(a.mask('alpha-secret beta-secret')).toBe('**** beta-secret');
    expect(b.mask('alpha-secret beta-secret')).toBe('**** ****');
    expect(a.mask('alpha-secret beta-secret')).toBe('**** beta-secret');
  });
});
