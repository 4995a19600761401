// A hub described as data (the format of samples/hub/demo-hub.json): templates, connections with
// their authentication, secrets and requests. The demo, the BYOC sample and `snip test` seed
// temporary hubs from such files through the store API, so every rule of the hub still applies and
// secrets are encrypted at rest as in any hub.
import { promises as fs } from 'node:fs';
import type { AuthType } from './model.js';
import type { HubStore } from './store.js';

/** A hub described as data: what `seedHub` creates through the store API. */
export interface HubDefinition {
  templates: { name: string; application: string; authType: AuthType; verbs: string[]; description?: string; authHeaders?: { name: string; required: boolean }[] }[];
  connections: {
    name: string;
    template: string;
    timeoutMs?: number;
    resourceDomain?: string;
    auth?: { url?: string; method?: string; headers?: Record<string, string>; query?: Record<string, string>; mediaType?: string; body?: string };
    secrets?: Record<string, string>;
    requests?: { name: string; trigger: 'manual' | 'studio'; url?: string; method?: string; headers?: Record<string, string>; query?: Record<string, string>; mediaType?: string; body?: string }[];
  }[];
}

/** `${NAME}` in `text` replaced from `vars` (names not in `vars` stay as written). */
export function expandVars(text: string, vars: Readonly<Record<string, string>>): string {
  return text.replace(/\$\{(\w+)\}/g, (m, n: string) => vars[n] ?? m);
}

/** Reads a hub definition, replacing `${NAME}` in secret values from `vars`. */
export async function loadHubDefinition(file: string, vars: Readonly<Record<string, string>>): Promise<HubDefinition> {
  const def = JSON.parse(await fs.readFile(file, 'utf8')) as HubDefinition;
  for (const c of def.connections) {
    for (const [k, v] of Object.entries(c.secrets ?? {})) c.secrets![k] = expandVars(v, vars);
  }
  return def;
}

/** Creates the templates, connections, authentication, secrets and requests of `def` in `store`. */
export async function seedHub(store: HubStore, def: HubDefinition): Promise<void> {
  for (const t of def.templates) await store.createTemplate(t);
  for (const c of def.connections) {
    await store.createConnection({ name: c.name, template: c.template, ...(c.timeoutMs ? { timeoutMs: c.timeoutMs } : {}), ...(c.resourceDomain ? { resourceDomain: c.resourceDomain } : {}) });
    for (const [name, value] of Object.entries(c.secrets ?? {})) await store.setSecret(c.name, name, value);
    if (c.auth) await store.updateConnection(c.name, { auth: { ...c.auth, headers: c.auth.headers ?? {}, query: c.auth.query ?? {} } });
    for (const r of c.requests ?? []) await store.addRequest(c.name, r);
  }
}
