// The test-file model: `*.test.json` files beside the scripts they test. A file names a script, an
// optional hub definition and cassette, placeholder variables, and cases (inputs, expectations,
// faults). Loading checks the shape and reports problems as SNIP7001 errors that name the field.
import { promises as fs } from 'node:fs';
import path from 'node:path';
import { SnipError } from '../errors.js';
import type { Fault } from './faults.js';
import { parseFaults } from './faults.js';

/** What a case expects; every part is optional, and only what is listed is checked. */
export interface Expectations {
  /** Output variables at END (listed keys only): exact JSON or matchers (`{"$match": "re"}` ...). */
  outputs?: Record<string, unknown>;
  /** Variables at the end of the run (listed keys only), same rules as `outputs`. */
  variables?: Record<string, unknown>;
  /** Action labels in order; `label:Branch` also checks the branch taken. */
  path?: string[];
  /** The run's error code (`SNIP3012` ...), or `null`/absent for a run that ends normally. */
  error?: string | null;
  /** The HTTP exchanges the run makes, as `METHOD url` in cassette form (placeholders). */
  requests?: string[];
}

/** One case of a test file. */
export interface TestCase {
  name: string;
  /** The script, relative to the test file (defaults to the file's `script`). */
  script: string;
  inputs: Record<string, unknown>;
  expect: Expectations;
  faults: Fault[];
}

/** A loaded test file, with paths resolved. */
export interface TestFile {
  /** Absolute path of the `.test.json` file. */
  file: string;
  /** Folder of the test file: scripts, hub and cassette paths are relative to it. */
  dir: string;
  /** Hub definition (templates, connections, secrets, requests) seeded into a temporary hub. */
  hub?: string;
  /** Cassette file (absolute). */
  cassette: string;
  /** Placeholders: `{{NAME}}` in cassettes, `${NAME}` in hub secrets. Values may be overridden. */
  vars: Record<string, string>;
  cases: TestCase[];
}

/** Test files end with this. */
export const TEST_FILE_SUFFIX = '.test.json';

function fail(file: string, message: string): never {
  throw new SnipError('SNIP7001', `${file}: ${message}`);
}

function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function optString(file: string, o: Record<string, unknown>, key: string, where: string): string | undefined {
  const v = o[key];
  if (v === undefined) return undefined;
  if (typeof v !== 'string' || v === '') fail(file, `${where}.${key} must be a non-empty string`);
  return v;
}

function stringList(file: string, v: unknown, where: string): string[] | undefined {
  if (v === undefined) return undefined;
  if (!Array.isArray(v) || v.some((x) => typeof x !== 'string')) fail(file, `${where} must be a list of strings`);
  return v as string[];
}

function parseExpect(file: string, v: unknown, where: string): Expectations {
  if (v === undefined) return {};
  if (!isRecord(v)) fail(file, `${where} must be an object`);
  const known = new Set(['outputs', 'variables', 'path', 'error', 'requests']);
  for (const k of Object.keys(v)) if (!known.has(k)) fail(file, `${where}.${k} is not a known expectation (outputs, variables, path, error, requests)`);
  const out: Expectations = {};
  for (const k of ['outputs', 'variables'] as const) {
    if (v[k] === undefined) continue;
    if (!isRecord(v[k])) fail(file, `${where}.${k} must be an object of variable names to expected values`);
    out[k] = v[k];
  }
  const p = stringList(file, v.path, `${where}.path`);
  if (p) out.path = p;
  const r = stringList(file, v.requests, `${where}.requests`);
  if (r) out.requests = r;
  if (v.error !== undefined) {
    if (v.error !== null && (typeof v.error !== 'string' || !/^SNIP\d{4}$/.test(v.error))) fail(file, `${where}.error must be an error code like SNIP3012, or null`);
    out.error = v.error as string | null;
  }
  return out;
}

/**
 * Parses the text of a test file. `file` is its absolute path (for messages and relative paths).
 * @throws SnipError SNIP7001 naming the bad field.
 */
export function parseTestFile(text: string, file: string): TestFile {
  const shown = path.basename(file);
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch (e) {
    fail(shown, `not valid JSON: ${(e as Error).message}`);
  }
  if (!isRecord(data)) fail(shown, 'must hold a JSON object');
  const known = new Set(['$schema', 'description', 'script', 'hub', 'cassette', 'vars', 'cases']);
  for (const k of Object.keys(data)) if (!known.has(k)) fail(shown, `'${k}' is not a known field (script, hub, cassette, vars, cases, description)`);
  const dir = path.dirname(file);
  const script = optString(shown, data, 'script', '$');
  const hub = optString(shown, data, 'hub', '$');
  const cassette = optString(shown, data, 'cassette', '$');
  const vars: Record<string, string> = {};
  if (data.vars !== undefined) {
    if (!isRecord(data.vars)) fail(shown, 'vars must be an object of names to text');
    for (const [k, v] of Object.entries(data.vars)) {
      if (!/^[A-Za-z_][A-Za-z0-9_]*$/.test(k) || typeof v !== 'string') fail(shown, `vars.${k} must be a name of letters, digits and _ with a text value`);
      vars[k] = v;
    }
  }
  if (!Array.isArray(data.cases) || data.cases.length === 0) fail(shown, 'cases must be a non-empty list');
  const names = new Set<string>();
  const cases = data.cases.map((c: unknown, i: number): TestCase => {
    const where = `cases[${i}]`;
    if (!isRecord(c)) fail(shown, `${where} must be an object`);
    const caseKnown = new Set(['name', 'script', 'inputs', 'expect', 'faults', 'description']);
    for (const k of Object.keys(c)) if (!caseKnown.has(k)) fail(shown, `${where}.${k} is not a known field (name, script, inputs, expect, faults)`);
    const name = optString(shown, c, 'name', where);
    if (name === undefined) fail(shown, `${where}.name is required`);
    if (names.has(name)) fail(shown, `${where}.name '${name}' is used twice: case names key the cassette`);
    names.add(name);
    const caseScript = optString(shown, c, 'script', where) ?? script;
    if (caseScript === undefined) fail(shown, `${where} has no script (set "script" on the file or the case)`);
    if (c.inputs !== undefined && !isRecord(c.inputs)) fail(shown, `${where}.inputs must be an object`);
    let faults: Fault[];
    try {
      faults = parseFaults(c.faults, `${where}.faults`);
    } catch (e) {
      fail(shown, (e as Error).message);
    }
    return {
      name,
      script: caseScript,
      inputs: (c.inputs as Record<string, unknown> | undefined) ?? {},
      expect: parseExpect(shown, c.expect, `${where}.expect`),
      faults,
    };
  });
  const base = path.basename(file).slice(0, -TEST_FILE_SUFFIX.length) || 'cases';
  return {
    file,
    dir,
    ...(hub !== undefined ? { hub: path.resolve(dir, hub) } : {}),
    cassette: path.resolve(dir, cassette ?? path.join('__cassettes__', `${base}.cassette.json`)),
    vars,
    cases,
  };
}

/** Reads and parses one test file. @throws SnipError SNIP7001. */
export async function loadTestFile(file: string): Promise<TestFile> {
  let text: string;
  try {
    text = await fs.readFile(file, 'utf8');
  } catch (e) {
    throw new SnipError('SNIP7001', `cannot read ${path.basename(file)}: ${(e as NodeJS.ErrnoException).code ?? 'error'}`);
  }
  return parseTestFile(text, file);
}

/** Every `*.test.json` under the given files and folders (sorted; `node_modules` and dot folders skipped). */
export async function findTestFiles(paths: readonly string[]): Promise<string[]> {
  const found = new Set<string>();
  const walk = async (p: string): Promise<void> => {
    const st = await fs.stat(p);
    if (st.isFile()) {
      if (p.endsWith(TEST_FILE_SUFFIX)) found.add(p);
      return;
    }
    for (const e of await fs.readdir(p, { withFileTypes: true })) {
      if (e.name === 'node_modules' || e.name.startsWith('.')) continue;
      const child = path.join(p, e.name);
      if (e.isDirectory()) await walk(child);
      else if (e.name.endsWith(TEST_FILE_SUFFIX)) found.add(child);
    }
  };
  for (const p of paths) await walk(p);
  return [...found].sort();
}
