// What the language server knows of the integration hub: names only (connections, their requests,
// secret names and allowed verbs). Read from the hub's JSON files; secret values are never read.
import { readFile } from 'node:fs/promises';
import { findFiles } from './find-files.js';

/** A request of a connection, as completion and diagnostics need it. */
export interface HubRequestName {
  name: string;
  active: boolean;
  trigger: 'manual' | 'studio';
}

/** A connection: its name, secret names, requests and the verbs its template allows. */
export interface HubConnectionName {
  name: string;
  template: string;
  secrets: string[];
  requests: HubRequestName[];
  /** Upper-case verbs of the connection's template; undefined when the template was not found. */
  verbs: string[] | undefined;
}

/** The hub as names. */
export interface HubNames {
  connections: HubConnectionName[];
}

type Obj = Record<string, unknown>;

const isObj = (v: unknown): v is Obj => typeof v === 'object' && v !== null && !Array.isArray(v);
const strings = (v: unknown): string[] => (Array.isArray(v) ? v.filter((x): x is string => typeof x === 'string') : []);

const jsonFiles = (dir: string): Promise<string[]> => findFiles(dir, { accept: (n) => n.endsWith('.json'), maxDepth: 4 });

/**
 * Reads the names of a hub directory. Files are recognised by shape (connection, template,
 * secrets file) so the reader does not depend on the store's folder layout; of a secrets file only
 * the record names are taken. Returns undefined when the directory holds no connection.
 */
export async function loadHubNames(dir: string): Promise<HubNames | undefined> {
  const connections: HubConnectionName[] = [];
  const templates = new Map<string, string[]>();
  const extraSecrets = new Map<string, string[]>();
  for (const file of await jsonFiles(dir)) {
    let json: unknown;
    try {
      json = JSON.parse(await readFile(file, 'utf8'));
    } catch {
      continue;
    }
    if (!isObj(json)) continue;
    if (typeof json.connection === 'string' && Array.isArray(json.records)) {
      const names = json.records.flatMap((r) => (isObj(r) && typeof r.name === 'string' ? [r.name] : []));
      extraSecrets.set(json.connection.toLowerCase(), names);
    } else if (typeof json.name === 'string' && typeof json.template === 'string') {
      const requests = (Array.isArray(json.requests) ? json.requests : []).flatMap((r): HubRequestName[] =>
        isObj(r) && typeof r.name === 'string'
          ? [{ name: r.name, active: r.active !== false, trigger: r.trigger === 'manual' ? 'manual' : 'studio' }]
          : [],
      );
      connections.push({ name: json.name, template: json.template, secrets: strings(json.secrets), requests, verbs: undefined });
    } else if (typeof json.name === 'string' && Array.isArray(json.verbs)) {
      templates.set(json.name.toLowerCase(), strings(json.verbs).map((v) => v.toUpperCase()));
    }
  }
  if (connections.length === 0) return undefined;
  for (const c of connections) {
    c.verbs = templates.get(c.template.toLowerCase());
    for (const s of extraSecrets.get(c.name.toLowerCase()) ?? []) if (!c.secrets.includes(s)) c.secrets.push(s);
  }
  connections.sort((a, b) => a.name.localeCompare(b.name));
  return { connections };
}

/** The connection of this name (connection names compare case-insensitively). */
export function findConnection(hub: HubNames, name: string): HubConnectionName | undefined {
  const key = name.trim().toLowerCase();
  return hub.connections.find((c) => c.name.toLowerCase() === key);
}
