// A file hub as a bundle (templates, connections as stored, secrets as their encrypted records) and
// back: what `snip hub export` / `import` move between a hub folder, a JSON file and PostgreSQL.
// Secrets are copied as envelopes: nothing here decrypts, so no value can reach an output. The
// envelope's associated data is the connection and secret name, which a move keeps, so the same
// key (the hub folder's `.hubkey` or SNIP_HUB_KEY) reads them at the destination.
import { promises as fs } from 'node:fs';
import path from 'node:path';
import { SnipError } from '../../runtime/errors.js';
import { writeFileAtomic } from '../../runtime/atomic-write.js';
import { parseJsonFile, readConnection, readSecretsFile, readTemplate, toJsonText } from '../../runtime/hub/file-format.js';
import { FileHubStore } from '../../runtime/hub/file-store.js';
import { withHubLock } from '../../runtime/hub/hub-lock.js';
import { STATE_FILE } from '../../runtime/hub/hub-state.js';
import { slugOf } from '../../runtime/hub/model.js';
import { checkBundle, type HubBundle } from '../../service/pg/hub-bundle.js';

export type { HubBundle };

const jsonFiles = async (dir: string): Promise<string[]> => {
  try {
    return (await fs.readdir(dir)).filter((n) => n.endsWith('.json') && !n.startsWith('.')).sort();
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') return [];
    throw e;
  }
};

/**
 * Reads a hub folder as a bundle. A hub with files that do not load is refused (fix them first:
 * `snip hub connection list` names them), so a move never drops a record silently.
 */
export async function readFileBundle(store: FileHubStore): Promise<HubBundle> {
  const problems = await store.problems();
  if (problems.length) throw new SnipError('SNIP4001', `the hub has files that do not load; fix them first:\n  ${problems.map((p) => p.error.message).join('\n  ')}`);
  const rel = (f: string) => path.join(store.shown, path.relative(store.dir, f));
  const read = async (f: string) => parseJsonFile(await fs.readFile(f, 'utf8'), rel(f));
  const bundle: HubBundle = { format: 1, templates: [], connections: [], secrets: {} };
  const tdir = path.join(store.dir, 'templates');
  for (const n of await jsonFiles(tdir)) bundle.templates.push(readTemplate(await read(path.join(tdir, n)), rel(path.join(tdir, n))));
  const cdir = path.join(store.dir, 'connections');
  for (const n of await jsonFiles(cdir)) {
    if (n.endsWith('.secrets.json')) continue;
    const file = path.join(cdir, n);
    const c = readConnection(await read(file), rel(file));
    const sfile = file.replace(/\.json$/, '.secrets.json');
    let records: HubBundle['secrets'][string] = [];
    try {
      const sf = readSecretsFile(await read(sfile), rel(sfile));
      if (sf.connection !== c.name) throw new SnipError('SNIP4001', `${rel(sfile)}: connection "${sf.connection}" does not match "${c.name}"`);
      records = sf.records;
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== 'ENOENT') throw e;
    }
    c.secrets = records.map((r) => r.name);
    bundle.connections.push(c);
    if (records.length) bundle.secrets[c.name] = records;
  }
  bundle.templates.sort((a, b) => a.name.localeCompare(b.name));
  bundle.connections.sort((a, b) => a.name.localeCompare(b.name));
  return bundle;
}

/**
 * Writes a bundle into a hub folder under the hub's lock, after checking every rule.
 * @throws SnipError SNIP4051 when the hub already has templates or connections and `replace` is not set.
 */
export async function writeFileBundle(store: FileHubStore, bundle: HubBundle, replace: boolean): Promise<void> {
  checkBundle(bundle);
  await store.init();
  await withHubLock(store.dir, store.shown, async () => {
    const tdir = path.join(store.dir, 'templates');
    const cdir = path.join(store.dir, 'connections');
    const existing = [...(await jsonFiles(tdir)).map((n) => path.join(tdir, n)), ...(await jsonFiles(cdir)).map((n) => path.join(cdir, n))];
    if (existing.length) {
      if (!replace) throw new SnipError('SNIP4051', `the hub ${store.shown} already has templates or connections; pass --replace to overwrite it`);
      for (const f of existing) await fs.rm(f, { force: true });
      await fs.rm(path.join(store.dir, STATE_FILE), { force: true });
    }
    const used = new Set<string>();
    const fileFor = (folder: string, name: string) => {
      const slug = slugOf(name);
      for (let i = 1; ; i++) {
        const f = path.join(folder, `${i === 1 ? slug : `${slug}-${i}`}.json`);
        if (!used.has(f)) {
          used.add(f);
          return f;
        }
      }
    };
    for (const t of bundle.templates) await writeFileAtomic(fileFor(tdir, t.name), toJsonText(t));
    for (const c of bundle.connections) {
      const records = bundle.secrets[c.name] ?? [];
      const file = fileFor(cdir, c.name);
      await writeFileAtomic(file, toJsonText({ ...c, secrets: records.map((r) => r.name) }));
      if (records.length) await writeFileAtomic(file.replace(/\.json$/, '.secrets.json'), toJsonText({ connection: c.name, records }));
    }
  });
}

/** Reads a bundle file (what `export --to FILE` wrote), checking its shape. */
export async function readBundleFile(file: string, shown: string): Promise<HubBundle> {
  const json = parseJsonFile(await fs.readFile(file, 'utf8'), shown) as Partial<HubBundle>;
  if (!json || json.format !== 1 || !Array.isArray(json.templates) || !Array.isArray(json.connections) || typeof json.secrets !== 'object' || json.secrets === null) {
    throw new SnipError('SNIP4001', `${shown}: not a hub bundle (expected {"format": 1, "templates": [...], "connections": [...], "secrets": {...}})`);
  }
  const bundle: HubBundle = {
    format: 1,
    templates: json.templates.map((t, i) => readTemplate(t, `${shown} templates[${i}]`)),
    connections: json.connections.map((c, i) => readConnection(c, `${shown} connections[${i}]`)),
    secrets: {},
  };
  for (const [name, records] of Object.entries(json.secrets)) {
    bundle.secrets[name] = readSecretsFile({ connection: name, records }, `${shown} secrets."${name}"`).records;
  }
  return bundle;
}
