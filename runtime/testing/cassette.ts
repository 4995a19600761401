// Cassettes: the HTTP exchanges of each case, in the placeholder form of placeholders.ts, one JSON
// file per test file (keyed by case name, so cases replay independently and in parallel). Replay
// matches a request on method, URL, the recorded headers and the body (JSON compared as data).
import { promises as fs } from 'node:fs';
import path from 'node:path';
import { writeFileAtomic } from '../atomic-write.js';
import { SnipError } from '../errors.js';

/** A request as a cassette holds it (placeholders instead of secrets, tokens and origins). */
export interface CassetteRequest {
  method: string;
  url: string;
  headers?: Record<string, string>;
  body?: string;
}

/** A recorded answer, or the transport failure the real upstream gave. */
export interface CassetteResponse {
  status: number;
  headers?: Record<string, string>;
  body?: string;
}

export interface Exchange {
  request: CassetteRequest;
  response?: CassetteResponse;
  /** The upstream did not answer: replayed as the same failure. */
  error?: 'timeout' | 'refused';
}

export interface Cassette {
  version: 1;
  cases: Record<string, Exchange[]>;
}

/** Response headers worth keeping: the ones a script or the hub acts on. */
export const KEPT_RESPONSE_HEADERS = ['content-type', 'retry-after', 'location', 'www-authenticate'];

/** Reads a cassette; a missing file is an empty cassette. @throws SnipError SNIP7004. */
export async function readCassette(file: string): Promise<Cassette> {
  let text: string;
  try {
    text = await fs.readFile(file, 'utf8');
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') return { version: 1, cases: {} };
    throw new SnipError('SNIP7004', `cannot read cassette ${path.basename(file)}: ${(e as NodeJS.ErrnoException).code ?? 'error'}`);
  }
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch (e) {
    throw new SnipError('SNIP7004', `cassette ${path.basename(file)} is not valid JSON: ${(e as Error).message}`);
  }
  const c = data as Partial<Cassette>;
  if (!c || c.version !== 1 || typeof c.cases !== 'object' || c.cases === null) {
    throw new SnipError('SNIP7004', `cassette ${path.basename(file)} must be {"version": 1, "cases": {...}}`);
  }
  for (const [name, list] of Object.entries(c.cases)) {
    if (!Array.isArray(list) || list.some((x) => !x || typeof x.request?.method !== 'string' || typeof x.request?.url !== 'string')) {
      throw new SnipError('SNIP7004', `cassette ${path.basename(file)}: case '${name}' must be a list of {request: {method, url}, response}`);
    }
  }
  return c as Cassette;
}

/** Writes a cassette atomically, cases in the order given. */
export async function writeCassette(file: string, cassette: Cassette): Promise<void> {
  await fs.mkdir(path.dirname(file), { recursive: true });
  await writeFileAtomic(file, JSON.stringify(cassette, null, 2) + '\n');
}

/** `METHOD url`: how requests are named in faults, expectations and messages. */
export function shownRequest(r: CassetteRequest): string {
  return `${r.method} ${r.url}`;
}

function sameBody(a: string | undefined, b: string | undefined): boolean {
  if ((a ?? '') === (b ?? '')) return true;
  try {
    return JSON.stringify(sortKeys(JSON.parse(a ?? ''))) === JSON.stringify(sortKeys(JSON.parse(b ?? '')));
  } catch {
    return false;
  }
}

function sortKeys(v: unknown): unknown {
  if (Array.isArray(v)) return v.map(sortKeys);
  if (v && typeof v === 'object') return Object.fromEntries(Object.keys(v).sort().map((k) => [k, sortKeys((v as Record<string, unknown>)[k])]));
  return v;
}

/** The differences between a recorded request and the one made, one line each (empty when equal). */
export function requestDiff(recorded: CassetteRequest, actual: CassetteRequest): string[] {
  const out: string[] = [];
  if (recorded.method !== actual.method) out.push(`method: expected ${recorded.method}, got ${actual.method}`);
  if (recorded.url !== actual.url) out.push(`url: expected ${recorded.url}\n       got      ${actual.url}`);
  const rh = recorded.headers ?? {};
  const ah = actual.headers ?? {};
  for (const k of new Set([...Object.keys(rh), ...Object.keys(ah)])) {
    if (rh[k] !== ah[k]) out.push(`header ${k}: expected ${rh[k] === undefined ? '(none)' : JSON.stringify(rh[k])}, got ${ah[k] === undefined ? '(none)' : JSON.stringify(ah[k])}`);
  }
  if (!sameBody(recorded.body, actual.body)) out.push(`body: expected ${JSON.stringify(recorded.body ?? '')}\n      got      ${JSON.stringify(actual.body ?? '')}`);
  return out;
}

/**
 * Finds the exchange for a request: the first unused identical one, else a used identical one (a
 * script may repeat a call); undefined with the closest candidate's differences otherwise.
 */
export function findExchange(
  exchanges: readonly Exchange[],
  used: boolean[],
  actual: CassetteRequest,
): { index: number } | { index: undefined; diff: string[]; closest?: CassetteRequest } {
  let reuse: number | undefined;
  for (let i = 0; i < exchanges.length; i++) {
    if (requestDiff(exchanges[i]!.request, actual).length > 0) continue;
    if (!used[i]) return { index: i };
    reuse ??= i;
  }
  if (reuse !== undefined) return { index: reuse };
  // The closest: same method and path first, then the next unused one.
  const pathOf = (u: string) => u.split('?')[0];
  const closest =
    exchanges.find((e, i) => !used[i] && e.request.method === actual.method && pathOf(e.request.url) === pathOf(actual.url)) ??
    exchanges.find((e) => e.request.method === actual.method && pathOf(e.request.url) === pathOf(actual.url)) ??
    exchanges.find((_, i) => !used[i]);
  if (!closest) return { index: undefined, diff: [`no recorded exchange left for ${shownRequest(actual)} (record with --record)`] };
  return { index: undefined, diff: requestDiff(closest.request, actual), closest: closest.request };
}
