// Fuzzing: random text and mutations of real scripts (the conformance corpus, samples, test
// scripts) never make the parser throw, and every diagnostic and node range stays inside the file.
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { parseSnippet, parseStudio } from '../../language/parse.js';

const root = fileURLToPath(new URL('../..', import.meta.url));

function filesUnder(dir: string, out: string[] = []): string[] {
  let names: string[];
  try {
    names = readdirSync(dir);
  } catch {
    return out;
  }
  for (const n of names) {
    const p = join(dir, n);
    if (statSync(p).isDirectory()) filesUnder(p, out);
    else if (n.endsWith('.snip') || n.endsWith('.studio')) out.push(p);
  }
  return out;
}

const cases = JSON.parse(readFileSync(join(root, 'test/fixtures/conformance-cases.json'), 'utf8')) as { code: string; kind: string }[];
const corpus: string[] = [
  ...cases.filter((c) => c.kind === 'snippet' && c.code).map((c) => c.code),
  ...['samples', 'test/scripts', 'test/fixtures'].flatMap((d) => filesUnder(join(root, d))).map((f) => readFileSync(f, 'utf8')),
];

const PIECES = ['{', '}', '(', ')', '[', ']', '"', "'", '$"', '#"', '\\', '\n', ' ', '=', '==', '->', '.', ',', 'IF', 'ELSE', 'CASE', 'FOR', 'TO', '//', '{x}', '!', '&&', 'Global:', 'x', '1'];

/** A mutation: delete, duplicate or insert a piece at a position. */
const mutation = fc.tuple(fc.nat(), fc.nat(), fc.constantFrom('delete', 'insert', 'duplicate', 'swap'), fc.constantFrom(...PIECES));

function mutate(src: string, muts: [number, number, string, string][]): string {
  let s = src;
  for (const [a, b, op, piece] of muts) {
    const i = s.length ? a % s.length : 0;
    const len = (b % 8) + 1;
    if (op === 'delete') s = s.slice(0, i) + s.slice(i + len);
    else if (op === 'insert') s = s.slice(0, i) + piece + s.slice(i);
    else if (op === 'duplicate') s = s.slice(0, i) + s.slice(i, i + len) + s.slice(i);
    else s = s.slice(0, i) + s.slice(i + len, i + 2 * len) + s.slice(i, i + len) + s.slice(i + 2 * len);
  }
  return s;
}

/** Parses both ways and checks the invariants that must hold for any input. */
function check(src: string): void {
  for (const r of [parseSnippet(src), parseStudio(src)]) {
    for (const d of r.diagnostics) {
      expect(d.range.start.offset).toBeGreaterThanOrEqual(0);
      expect(d.range.end.offset).toBeLessThanOrEqual(src.length);
      expect(d.range.start.offset).toBeLessThanOrEqual(d.range.end.offset);
      expect(Number.isFinite(d.range.start.line) && Number.isFinite(d.range.start.column)).toBe(true);
      expect(d.code).toMatch(/^SNIP1\d{3}$/);
      expect(d.message).not.toContain('internal error');
    }
    walk(r.value, src.length);
  }
}

/** Every node has a finite, ordered range within the file. */
function walk(node: unknown, length: number): void {
  const stack: unknown[] = [node];
  while (stack.length) {
    const n = stack.pop();
    if (n === null || typeof n !== 'object') continue;
    const o = n as Record<string, unknown>;
    const range = o['range'] as { start: { offset: number }; end: { offset: number } } | undefined;
    if (range && typeof o['kind'] === 'string') {
      if (!(range.start.offset >= 0 && range.start.offset <= range.end.offset && range.end.offset <= length)) {
        throw new Error(`bad range on ${String(o['kind'])}: ${JSON.stringify(range)}`);
      }
    }
    for (const v of Object.values(o)) if (v !== null && typeof v === 'object') stack.push(v);
  }
}

describe('parser fuzzing', () => {
  it('has a corpus to mutate', () => {
    expect(corpus.length).toBeGreaterThan(40);
  });

  it('survives 5,000 mutations of real scripts', () => {
    fc.assert(
      fc.property(fc.nat(corpus.length - 1), fc.array(mutation, { minLength: 1, maxLength: 6 }), (which, muts) => {
        check(mutate(corpus[which]!, muts));
      }),
      { numRuns: 5000, seed: 20261123 },
    );
  });

  it('survives 4,000 random texts over the language alphabet', () => {
    fc.assert(
      fc.property(fc.array(fc.constantFrom(...PIECES), { maxLength: 60 }), (parts) => {
        check(parts.join(''));
      }),
      { numRuns: 4000, seed: 7 },
    );
  });

  it('survives 1,000 arbitrary unicode strings', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'binary', maxLength: 200 }), (s) => {
        check(s);
      }),
      { numRuns: 1000, seed: 11 },
    );
  });

  it('handles deep nesting without failing', () => {
    const deep = `x = ${'('.repeat(90)}1${')'.repeat(90)}\n${'IF a {\n'.repeat(150)}${'}\n'.repeat(150)}`;
    const r = parseSnippet(deep);
    expect(r.diagnostics).toEqual([]);
    expect(r.value.body).toHaveLength(2);
  });

  it.each([
    ['blocks', 'IF a {\n'.repeat(20000)],
    ['missing braces', 'IF x\n  y = 1\n'.repeat(5000) + '}'],
    ['parentheses', `x = ${'('.repeat(20000)}1`],
    ['unary minus', `x = ${'-'.repeat(20000)}1`],
    ['powers', `x = ${'2^'.repeat(20000)}2`],
    ['calls', `x = ${'f('.repeat(20000)}1`],
  ])('refuses absurd nesting (%s) with SNIP1028 (or SNIP1029 when 100 errors come first), not a crash', (_name, source) => {
    const r = parseSnippet(source);
    expect(r.diagnostics.some((d) => d.code === 'SNIP1028' || d.code === 'SNIP1029')).toBe(true);
    expect(r.diagnostics.filter((d) => d.message.includes('internal error'))).toEqual([]);
  });
});
