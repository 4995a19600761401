// A tenant's routes file: METHOD + path pattern -> script, each public (webhooks that carry their
// own signature) or guarded by a scope. Checked fully at start so a typo fails the start, not a call.
import { promises as fs } from 'node:fs';
import path from 'node:path';
import type { Scope } from './client-store.js';
import { ServiceError } from './errors.js';
import { SCRIPT_NAME } from './script-registry.js';

export type RouteMethod = 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';

/** One script-backed route. */
export interface ScriptRoute {
  method: RouteMethod;
  /** A fastify path pattern below the tenant's prefix, e.g. `/channels/:channelId/messages`. */
  path: string;
  script: string;
  /** `public`, or the scope a bearer token needs (default `run`). */
  auth: 'public' | Scope;
}

const METHODS: readonly RouteMethod[] = ['GET', 'POST', 'PUT', 'PATCH', 'DELETE'];
const PATH = /^\/[A-Za-z0-9._~:/-]*$/;

const bad = (file: string, message: string) => new ServiceError(500, 'SNIP6024', `${path.basename(file)}: ${message}`);

/** Reads and checks a routes file. @throws ServiceError SNIP6024 naming the route. */
export async function loadRoutes(file: string): Promise<ScriptRoute[]> {
  let data: unknown;
  try {
    data = JSON.parse(await fs.readFile(file, 'utf8'));
  } catch (e) {
    throw bad(file, (e as NodeJS.ErrnoException).code ? `cannot read it (${(e as NodeJS.ErrnoException).code})` : 'not valid JSON');
  }
  const list = (data as { routes?: unknown })?.routes;
  if (!Array.isArray(list)) throw bad(file, '"routes" must be a list');
  const seen = new Set<string>();
  return list.map((r: Record<string, unknown>, i) => {
    const where = `routes[${i}]`;
    const method = String(r?.['method'] ?? '').toUpperCase() as RouteMethod;
    if (!METHODS.includes(method)) throw bad(file, `${where}.method must be one of ${METHODS.join(', ')}`);
    const p = r['path'];
    if (typeof p !== 'string' || !PATH.test(p)) throw bad(file, `${where}.path must start with / (letters, digits, :param segments)`);
    const script = r['script'];
    if (typeof script !== 'string' || !SCRIPT_NAME.test(script)) throw bad(file, `${where}.script must be a script name`);
    const auth = r['auth'] ?? 'run';
    if (auth !== 'public' && auth !== 'run' && auth !== 'admin') throw bad(file, `${where}.auth must be public, run or admin`);
    const key = `${method} ${p}`;
    if (seen.has(key)) throw bad(file, `${where}: ${key} is listed twice`);
    seen.add(key);
    return { method, path: p, script, auth };
  });
}
