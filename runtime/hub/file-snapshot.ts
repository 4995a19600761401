// The parsed, validated content of a hub folder at one moment: templates and connections by name,
// the authorization state, and the files that do not load. Built from a FileCache, so only changed
// files are read again. One malformed file is a problem of its own (reported with its path); every
// other template and connection stays usable, and the CLI can still update or delete the broken one.
import { join } from 'node:path';
import { SnipError } from '../errors.js';
import { slugOf, type Connection, type Template } from './model.js';
import { validateConnection, validateTemplate } from './rules.js';
import { parseJsonFile, problemsError, readConnection, readTemplate } from './file-format.js';
import type { FileCache } from './file-cache.js';
import { emptyState, readState, STATE_FILE, type HubState } from './hub-state.js';

/** A record and the file it came from. */
export interface Loaded<T> {
  value: T;
  file: string;
}

/** A hub file that does not load, and what the store could still read of it. */
export interface HubFileProblem {
  /** `templates` or `connections`. */
  folder: 'templates' | 'connections';
  /** Absolute path. */
  file: string;
  /** As shown to the user (under the hub folder as given). */
  shown: string;
  error: SnipError;
  /** The record's `name`, when the file is JSON with a text `name`. */
  name?: string;
  /** The connection as read, when only the hub rules fail (so an update can repair it). */
  connection?: Connection;
}

/** See the module comment. */
export interface HubSnapshot {
  id: string | undefined;
  templates: Map<string, Loaded<Template>>;
  connections: Map<string, Loaded<Connection>>;
  problems: HubFileProblem[];
  state: HubState;
}

/** Secrets files, temporary files and dot files are not records. */
export function isRecordFile(name: string): boolean {
  return name.endsWith('.json') && !name.startsWith('.') && !name.endsWith('.secrets.json');
}

/** Loads the hub folder `dir`; `rel` turns a path into the form shown to the user. */
export async function loadSnapshot(dir: string, rel: (file: string) => string, cache: FileCache): Promise<HubSnapshot> {
  const problems: HubFileProblem[] = [];
  const meta = await cache.read(join(dir, 'hub.json'), (text) => hubIdOf(parseJsonFile(text, rel(join(dir, 'hub.json'))), rel(join(dir, 'hub.json'))));
  const stateRead = await cache.read(join(dir, STATE_FILE), (text) => readState(parseJsonFile(text, rel(join(dir, STATE_FILE))), rel(join(dir, STATE_FILE))));

  const templates = new Map<string, Loaded<Template>>();
  for (const file of await recordFiles(dir, 'templates', cache)) {
    const shown = rel(file);
    try {
      const t = (
        await cache.read(file, (text) => {
          const t = readTemplate(parseJsonFile(text, shown), shown);
          const p = validateTemplate(t);
          if (p.length) throw problemsError(p, shown);
          return t;
        })
      )?.value;
      if (!t) continue;
      const dup = templates.get(t.name);
      if (dup) throw new SnipError('SNIP4001', `${shown}: name "${t.name}" is also used by ${rel(dup.file)}`);
      templates.set(t.name, { value: t, file });
    } catch (e) {
      problems.push(await problemOf('templates', file, shown, e, cache));
    }
  }

  const connections = new Map<string, Loaded<Connection>>();
  for (const file of await recordFiles(dir, 'connections', cache)) {
    const shown = rel(file);
    let c: Connection | undefined;
    try {
      c = (await cache.read(file, (text) => readConnection(parseJsonFile(text, shown), shown)))?.value;
      if (!c) continue;
      const t = templates.get(c.template);
      if (!t) {
        const broken = problems.find((p) => p.folder === 'templates' && p.name === c!.template);
        throw new SnipError('SNIP4001', broken ? `${shown}: template "${c.template}" does not load (${broken.shown})` : `${shown}: template "${c.template}" does not exist in ${rel(join(dir, 'templates'))}`);
      }
      const p = validateConnection(c, t.value);
      if (p.length) throw problemsError(p, shown);
      const dup = connections.get(c.name);
      if (dup) throw new SnipError('SNIP4001', `${shown}: name "${c.name}" is also used by ${rel(dup.file)}`);
      connections.set(c.name, { value: c, file });
    } catch (e) {
      const problem = await problemOf('connections', file, shown, e, cache);
      if (c) problem.connection = c;
      problems.push(problem);
    }
  }
  return { id: meta?.value, templates, connections, problems, state: stateRead?.value ?? emptyState() };
}

/**
 * The problem behind a name that is not among the loaded records: a broken file with that name,
 * or whose file name is the name's slug.
 */
export function problemFor(snapshot: HubSnapshot, folder: 'templates' | 'connections', name: string): HubFileProblem | undefined {
  const inFolder = snapshot.problems.filter((p) => p.folder === folder);
  return inFolder.find((p) => p.name === name) ?? inFolder.find((p) => p.name === undefined && p.file.endsWith(`/${slugOf(name)}.json`));
}

async function recordFiles(dir: string, folder: string, cache: FileCache): Promise<string[]> {
  return (await cache.list(join(dir, folder)))
    .filter(isRecordFile)
    .sort()
    .map((n) => join(dir, folder, n));
}

async function problemOf(folder: HubFileProblem['folder'], file: string, shown: string, e: unknown, cache: FileCache): Promise<HubFileProblem> {
  const error = e instanceof SnipError ? e : new SnipError('SNIP4001', `${shown}: cannot be read (${(e as Error).message})`);
  const problem: HubFileProblem = { folder, file, shown, error };
  // The name, if the file is at least JSON with one: lets `connection delete NAME` find it.
  try {
    const named = await cache.read(file, (text) => JSON.parse(text) as unknown, 'json');
    const name = (named?.value as { name?: unknown } | undefined)?.name;
    if (typeof name === 'string') problem.name = name;
  } catch {
    // Not JSON: only the file name can identify it.
  }
  return problem;
}

function hubIdOf(json: unknown, shown: string): string {
  const id = (json as { id?: unknown })?.id;
  if (typeof id !== 'string' || id === '') throw new SnipError('SNIP4001', `${shown}: id must be a non-empty text`);
  return id;
}
