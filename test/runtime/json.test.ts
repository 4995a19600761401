import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { parseJsonToDyn, parseJsonValue, toJsonText, truncateUtf8 } from '../../runtime/json.js';
import { Dyn, SnipDate, toPlain, toText, type Value } from '../../runtime/values.js';

const limits = { maxDynamicBytes: 32768 };

function errorOf(f: () => unknown): { code: string; message: string } {
  try {
    f();
  } catch (e) {
    return e as { code: string; message: string };
  }
  throw new Error('no error');
}

describe('JSON <-> dynamic objects', () => {
  it('keeps types: objects, arrays, numbers, booleans, null', () => {
    const o = parseJsonToDyn('{"n":1.5,"b":false,"z":null,"s":"x","a":[1,{"k":"v"}]}');
    expect(o.members.get('n')).toBe(1.5);
    expect(o.members.get('b')).toBe(false);
    expect(o.members.get('z')).toBeNull();
    const a = o.members.get('a') as Dyn;
    expect(a.isArray).toBe(true);
    expect((a.items![1] as Dyn).members.get('k')).toBe('v');
  });

  it('writes every scalar as a string, in insertion order, without spacing (CE-61)', () => {
    const o = new Dyn();
    o.members.set('count', 5);
    o.members.set('active', true);
    expect(toJsonText(o, limits)).toBe('{"count":"5","active":"true"}');
  });

  it('round-trips structure and text through asjson', () => {
    const text = '{"a":"1","b":{"c":["x","y"],"d":"é\\n\\"q\\""},"e":[]}';
    expect(toJsonText(parseJsonToDyn(text), limits)).toBe(text);
    expect(toPlain(parseJsonToDyn(toJsonText(parseJsonToDyn(text), limits)))).toEqual(toPlain(parseJsonToDyn(text)));
  });

  it('decodes escapes including \\u sequences and surrogate pairs', () => {
    expect(parseJsonValue('"a\\u00e9\\ud83d\\ude00\\t"')).toBe('aé😀\t');
  });

  it('drops the reserved __type member while parsing', () => {
    expect([...parseJsonToDyn('{"__type":"T:X","a":1}').members.keys()]).toEqual(['a']);
  });

  it.each([
    ['{"a":1,}', '1:8'],
    ['{\n  "a": tru\n}', '2:8'],
    ['[1, 2', '1:6'],
    ['{"a" 1}', '1:6'],
    ['"abc', '1:1'],
    ['{"a":1} x', '1:9'],
    ['', '1:1'],
  ])('reports malformed JSON %j with its line:col %s (SNIP3007)', (text, pos) => {
    const e = errorOf(() => parseJsonToDyn(text));
    expect(e.code).toBe('SNIP3007');
    expect(e.message).toContain(`at ${pos}:`);
  });

  it('refuses text over the byte limit with SNIP3016 and absurd nesting with SNIP3007', () => {
    expect(errorOf(() => parseJsonToDyn('{"a":"' + 'x'.repeat(100) + '"}', 50)).code).toBe('SNIP3016');
    expect(errorOf(() => parseJsonToDyn('['.repeat(1000) + ']'.repeat(1000))).code).toBe('SNIP3007');
  });

  it('keeps text order for digit-led member names and accepts nesting up to the limit', () => {
    const o = parseJsonToDyn('{"b":1,"2":2,"1":{"x":[3]},"__proto__":4}');
    expect([...o.members.keys()]).toEqual(['b', '2', '1', '__proto__']);
    expect(toPlain(o.members.get('1')!)).toEqual({ x: ['3'] });
    const deep = '['.repeat(257) + ']'.repeat(257);
    expect(parseJsonToDyn(deep)).toBeInstanceOf(Dyn);
    expect(errorOf(() => parseJsonToDyn('[' + deep + ']')).message).toMatch(/nested more than 256/);
    expect(errorOf(() => parseJsonToDyn('{"a": [1, 2,]}')).message).toMatch(/^Invalid JSON at 1:13/);
  });

  it('writes digit-led and __proto__ member names in insertion order, and truncates at the byte limit', () => {
    const o = new Dyn();
    o.members.set('b', 1);
    o.members.set('2', 'two');
    o.members.set('__proto__', true);
    expect(toJsonText(o, limits)).toBe('{"b":"1","2":"two","__proto__":"true"}');
    const p = new Dyn();
    p.members.set('q', 'say "hi"\n');
    p.members.set('n', null);
    expect(toJsonText(p, limits)).toBe('{"q":"say \\"hi\\"\\n","n":""}');
    expect(toJsonText(p, { maxDynamicBytes: 9 })).toBe('{"q":"say');
  });

  it('writes a self-containing object without looping', () => {
    const o = new Dyn();
    o.members.set('self', o);
    expect(toJsonText(o, limits)).toBe('{"self":"{Dynamic}"}');
  });

  // Issue 12, item 4: the writer goes straight from dynamic objects to text. The reference below is
  // the documented rule spelled out with JSON.stringify per piece, then truncated as a whole.
  it('writes the same text as the documented rule on generated objects, truncated or not', () => {
    const reference = (x: Value, open: Dyn[] = []): string => {
      if (!(x instanceof Dyn)) return JSON.stringify(toText(x));
      if (open.includes(x)) return '"{Dynamic}"';
      const inner = [...open, x];
      if (x.isArray) {
        const items = x.items as Value[];
        return `[${items.flatMap((v, i) => (i in items ? [reference(v, inner)] : [])).join(',')}]`;
      }
      return `{${[...x.members].map(([k, v]) => `${JSON.stringify(k)}:${reference(v, inner)}`).join(',')}}`;
    };
    const scalar = fc.oneof(
      fc.string(),
      fc.string({ unit: 'binary' }),
      fc.integer(),
      fc.double({ noNaN: false }),
      fc.boolean(),
      fc.constant(null),
      fc.integer({ min: 0, max: 60000 }).map((d) => new SnipDate(d)),
    );
    const key = fc.oneof(fc.string(), fc.constantFrom('__proto__', '2', '10', 'a"b', 'line\nbreak', '\ud800'));
    const { tree } = fc.letrec<{ tree: Value }>((tie) => ({
      tree: fc.oneof(
        { depthSize: 'small', withCrossShrink: true },
        scalar,
        fc.array(fc.tuple(key, tie('tree')), { maxLength: 5 }).map((entries) => {
          const d = new Dyn();
          for (const [k, v] of entries) d.members.set(k, v);
          return d as Value;
        }),
        fc.array(tie('tree'), { maxLength: 5 }).map((items) => {
          const d = new Dyn();
          d.items = items;
          return d as Value;
        }),
      ),
    }));
    fc.assert(
      fc.property(tree, fc.integer({ min: 0, max: 400 }), (v, max) => {
        if (v instanceof Dyn && v.members.size > 0) v.members.set('self', v);
        const whole = reference(v);
        expect(toJsonText(v, limits)).toBe(truncateUtf8(whole, limits.maxDynamicBytes));
        expect(toJsonText(v, { maxDynamicBytes: max })).toBe(truncateUtf8(whole, max));
      }),
      { numRuns: 400, seed: 12 },
    );
  });
});
