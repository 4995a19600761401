// The hub of a test file: a hub definition (templates, connections, secrets, requests as JSON, the
// format of samples/hub/demo-hub.json) seeded into a temporary file hub, with `${NAME}` in secret
// values taken from the test file's vars. Secrets stay encrypted at rest like in any hub.
import { promises as fs } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { SnipError } from '../errors.js';
import { FileHubStore } from '../hub/file-store.js';
import { expandVars, seedHub, type HubDefinition } from '../hub/seed.js';

/** A seeded temporary hub; `dispose()` removes it. */
export interface HubFixture {
  store: FileHubStore;
  /** The hub folder (its key file is inside). */
  dir: string;
  /** Every secret of every connection, by name (for cassette placeholders). */
  secrets: Map<string, string>;
  dispose(): Promise<void>;
}

/**
 * Seeds a temporary hub from a definition file; without one the hub is empty (REST API actions
 * still need the run's hub: its HTTP client is the one a replay controls).
 * @throws SnipError SNIP7003 when the file cannot be read or seeded.
 */
export async function openHubFixture(file: string | undefined, vars: Readonly<Record<string, string>>): Promise<HubFixture> {
  let def: HubDefinition = { templates: [], connections: [] };
  try {
    if (file !== undefined) def = JSON.parse(await fs.readFile(file, 'utf8')) as HubDefinition;
    if (!Array.isArray(def.templates) || !Array.isArray(def.connections)) throw new Error('needs "templates" and "connections" lists');
  } catch (e) {
    throw new SnipError('SNIP7003', `hub definition ${path.basename(file ?? '')}: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}`);
  }
  const temp = await fs.mkdtemp(path.join(tmpdir(), 'snip-test-hub-'));
  const secrets = new Map<string, string>();
  try {
    const store = new FileHubStore({ dir: path.join(temp, 'hub'), env: {} });
    await store.init();
    for (const c of def.connections) {
      for (const [name, raw] of Object.entries(c.secrets ?? {})) {
        const value = expandVars(raw, vars);
        secrets.set(name, value);
        c.secrets![name] = value;
      }
    }
    await seedHub(store, def);
    return { store, dir: path.join(temp, 'hub'), secrets, dispose: () => fs.rm(temp, { recursive: true, force: true }) };
  } catch (e) {
    await fs.rm(temp, { recursive: true, force: true });
    if (e instanceof SnipError && e.code === 'SNIP7003') throw e;
    throw new SnipError('SNIP7003', `hub definition ${path.basename(file ?? '(none)')}: ${e instanceof SnipError ? `${e.code} ${e.message}` : (e as Error).message}`);
  }
}
