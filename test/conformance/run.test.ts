// Every runnable `kind: "snippet"` case of the shared conformance file through the public API:
// inputs preset, each `expect` path (`x`, `Persons[1].Name`, `heroes[1]`) read back as text.
import { createServer, type Server } from 'node:http';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { compile } from '../../runtime/compile.js';

interface Case {
  id: string;
  title: string;
  code: string;
  inputs: Record<string, string>;
  expect?: Record<string, string>;
  expectError: boolean;
  kind: string;
}

const here = path.dirname(fileURLToPath(import.meta.url));
const cases = (JSON.parse(readFileSync(path.join(here, '../fixtures/conformance-cases.json'), 'utf8')) as Case[]).filter(
  (c) => c.kind === 'snippet',
);

/** Reads `a.b[2].c` from the plain variables (names case-insensitive, members exact, 1-based). */
function readPath(vars: Record<string, unknown>, p: string): string {
  const steps = p.match(/[^.[\]]+|\[\d+\]/g) ?? [];
  const first = steps.shift()!;
  const key = Object.keys(vars).find((k) => k.toLowerCase() === first.toLowerCase());
  let cur: unknown = key === undefined ? '' : vars[key];
  for (const s of steps) {
    if (s.startsWith('[')) {
      const i = Number(s.slice(1, -1));
      if (Array.isArray(cur)) cur = cur[i - 1];
      else if (typeof cur === 'string') cur = cur.split('|')[i - 1];
      else cur = undefined;
    } else cur = cur !== null && typeof cur === 'object' ? (cur as Record<string, unknown>)[s] : undefined;
  }
  return cur === undefined || cur === null ? '' : typeof cur === 'string' ? cur : JSON.stringify(cur);
}

let server: Server;
let url = '';
beforeAll(async () => {
  server = createServer((req, res) => {
    req.resume();
    req.on('end', () => {
      res.writeHead(201, { 'content-type': 'application/json' });
      res.end('{"created":true}');
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const addr = server.address();
  url = typeof addr === 'object' && addr ? `http://127.0.0.1:${addr.port}/items` : '';
});
afterAll(() => new Promise<void>((r) => server.close(() => r())));

/** Inputs a case needs beyond its own (CE-79 posts to a real local server). */
function extraInputs(c: Case): Record<string, string> {
  if (c.id === 'CE-79') return { URI: url, jsonbody: '{"a":1}', token: 'Bearer t' };
  return {};
}

/**
 * Expected-error cases that `snip check` rejects, so `compile()` refuses them: a wrong argument count
 * is a compile error (Functions page); `__type` is a reserved member name (SNIPPET page).
 */
const COMPILE_ERRORS: Record<string, string> = { 'CE-13': 'SNIP2004', 'CE-62': 'SNIP2007' };

describe('conformance (snippet cases)', () => {
  for (const c of cases) {
    it(`${c.id} ${c.title}`, async () => {
      const { diagnostics, program } = compile(c.code, { fileName: `${c.id}.snip` });
      const errors = diagnostics.filter((d) => d.severity === 'error').map((d) => d.code);
      if (COMPILE_ERRORS[c.id] !== undefined) {
        // The documents settle these as compile errors: one verdict, so the snippet never runs.
        expect(c.expectError).toBe(true);
        expect(errors).toEqual([COMPILE_ERRORS[c.id]]);
        expect(program).toBeUndefined();
        return;
      }
      expect(errors).toEqual([]);
      const { variables, error } = await program!.run({ inputs: { ...c.inputs, ...extraInputs(c) }, random: () => 0.58 });
      if (c.expectError) {
        expect(error).toBeDefined();
        expect(readPath(variables, '_ERR')).not.toBe('');
        return;
      }
      expect(error).toBeUndefined();
      for (const [p, v] of Object.entries(c.expect ?? {})) expect(readPath(variables, p), p).toBe(v);
      if (c.id === 'CE-11') expect(readPath(variables, 'skill')).toMatch(/^\d+$/);
      if (c.id === 'CE-70') expect(error).toBeUndefined();
    });
  }
});
