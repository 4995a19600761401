// Issue 12 item 4: the lighter member store behaves exactly as the `Map` it replaced. Random
// sequences of sets, deletes and reads (small objects searched by scan, large ones through their
// index, and objects crossing between the two) against a real Map: same answers, same order.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { Members } from '../../runtime/members.js';
import { Dyn, toPlain } from '../../runtime/values.js';
import { toJsonText } from '../../runtime/json.js';

type Op = { op: 'set'; key: string; value: string } | { op: 'delete'; key: string } | { op: 'clear' };

const key = fc.oneof(fc.constantFrom('a', 'A', 'b', 'id', 'name', '__proto__', 'constructor', ''), fc.string({ maxLength: 3 }), fc.nat(40).map((n) => `k${n}`));
const op: fc.Arbitrary<Op> = fc.oneof(
  { weight: 8, arbitrary: fc.record({ op: fc.constant('set' as const), key, value: fc.string({ maxLength: 4 }) }) },
  { weight: 3, arbitrary: fc.record({ op: fc.constant('delete' as const), key }) },
  { weight: 1, arbitrary: fc.constant({ op: 'clear' as const }) },
);

describe('Members, the member store of dynamic objects', () => {
  it('answers like a Map for any sequence of sets, deletes and clears', () => {
    fc.assert(
      fc.property(fc.array(op, { maxLength: 120 }), fc.array(key, { maxLength: 10 }), (ops, probes) => {
        const m = new Members();
        const ref = new Map<string, string>();
        for (const o of ops) {
          if (o.op === 'set') {
            expect(m.set(o.key, o.value)).toBe(m);
            ref.set(o.key, o.value);
          } else if (o.op === 'delete') expect(m.delete(o.key)).toBe(ref.delete(o.key));
          else {
            m.clear();
            ref.clear();
          }
          expect(m.size).toBe(ref.size);
        }
        expect([...m]).toEqual([...ref]);
        expect([...m.keys()]).toEqual([...ref.keys()]);
        expect([...m.values()]).toEqual([...ref.values()]);
        for (const k of [...probes, ...ref.keys()]) {
          expect(m.get(k)).toBe(ref.get(k));
          expect(m.has(k)).toBe(ref.has(k));
        }
        const seen: [string, unknown][] = [];
        m.forEach((v, k) => seen.push([k, v]));
        expect(seen).toEqual([...ref]);
        const each: [string, unknown][] = [];
        m.each((k, v) => void each.push([k, v]));
        expect(each).toEqual([...ref]);
      }),
      { numRuns: 300 },
    );
  });

  it('keeps the place of a member set again, past the scan limit too, and writes the same JSON', () => {
    const d = new Dyn();
    for (let i = 0; i < 20; i++) d.members.set(`m${i}`, String(i));
    d.members.set('m3', 'again');
    d.members.delete('m0');
    d.members.set('m0', 'last');
    expect(d.members.size).toBe(20);
    expect([...d.members.keys()].slice(0, 3)).toEqual(['m1', 'm2', 'm3']);
    expect(d.members.get('m3')).toBe('again');
    const plain = toPlain(d) as Record<string, string>;
    expect(Object.keys(plain).at(-1)).toBe('m0');
    expect(JSON.parse(toJsonText(d, { maxDynamicBytes: 1 << 20 }))).toEqual(plain);
    expect(d.isArray).toBe(false);
  });
});
