// Reads hub files once per process: each file's parsed result is kept with the file's identity
// (inode, size, modification and change times in ns) and reused until a `stat` says it changed. A
// folder's listing is kept the same way. Atomic writes replace the inode, hand edits move mtime, so
// one cheap stat per file per access sees every change. File times tick coarsely (a few ms) and
// inode numbers are reused, so as git does with "racily clean" entries, a file that changed less
// than a second before it was read is read again on every access until it has been quiet that long.
import { statSync } from 'node:fs';
import { readdir, readFile } from 'node:fs/promises';

/** Changes closer than this to the moment of reading are not trusted to show in a later stat. */
export const RACY_MS = 1000;

/** Identity of a file's current content, or undefined when it does not exist. */
export async function signatureOf(path: string): Promise<string | undefined> {
  return (await identityOf(path))?.sig;
}

/** A file's signature and when it last changed (ms), or undefined when it does not exist. */
export async function identityOf(path: string): Promise<{ sig: string; changedMs: number } | undefined> {
  return identityNow(path);
}

const MAX_REMEMBERED = 10_000;
const lastIdentity = new Map<string, { ino: number; size: number; mtimeMs: number; ctimeMs: number; id: { readonly sig: string; readonly changedMs: number } }>();

/** `identityOf`, synchronously (for checks that must not wait a turn). The result is shared: do not change it. */
export function identityNow(path: string): { readonly sig: string; readonly changedMs: number } | undefined {
  try {
    // Plain (not bigint) stat: times as fractional ms are precise to well under a tick, and cheaper.
    // Synchronous: a metadata look-up of a local file costs microseconds, far less than the
    // thread-pool round trip of the async call, and it runs on every hub access.
    const s = statSync(path, { throwIfNoEntry: false });
    if (s === undefined) return undefined;
    // The same stat as last time gives the same identity object: formatting the times as text
    // costs as much as the stat itself.
    const last = lastIdentity.get(path);
    if (last !== undefined && last.ino === s.ino && last.size === s.size && last.mtimeMs === s.mtimeMs && last.ctimeMs === s.ctimeMs) return last.id;
    const id = { sig: `${s.ino}:${s.size}:${s.mtimeMs}:${s.ctimeMs}`, changedMs: Math.max(s.mtimeMs, s.ctimeMs) };
    if (lastIdentity.size >= MAX_REMEMBERED) lastIdentity.clear();
    lastIdentity.set(path, { ino: s.ino, size: s.size, mtimeMs: s.mtimeMs, ctimeMs: s.ctimeMs, id });
    return id;
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT' || (e as NodeJS.ErrnoException).code === 'ENOTDIR') return undefined;
    throw e;
  }
}

interface Entry {
  sig: string;
  /** Whether the file had been quiet long enough when read for its signature to be trusted. */
  settled: boolean;
  /** What `parse` returned, or the error it threw (a broken file stays broken until it changes). */
  outcome: { ok: true; value: unknown } | { ok: false; error: unknown };
}

/** Where a cache takes a file's identity from: a stat (`identityNow`), or a watcher's memory of one. */
export type IdentitySource = (path: string) => { readonly sig: string; readonly changedMs: number } | undefined;

/** A per-process cache of parsed files and folder listings, keyed by path. */
export class FileCache {
  /** @param identity how a file's identity is taken (default: a stat each time) */
  constructor(readonly identity: IdentitySource = identityNow) {}

  /** Per path, per kind of parse (the same file may be read as a record and as plain JSON). */
  private readonly files = new Map<string, Map<string, Entry>>();
  private readonly folders = new Map<string, { sig: string; settled: boolean; names: string[] }>();

  /**
   * `parse(text)` of `path`, reused while the file is unchanged; undefined when it does not exist.
   * Also returns the signature, so callers can key derived data on it. `kind` tells apart
   * different parses of one file.
   */
  async read<T>(path: string, parse: (text: string) => T, kind = 'record'): Promise<{ value: T; sig: string } | undefined> {
    const id = this.identity(path);
    if (id === undefined) {
      this.files.delete(path);
      return undefined;
    }
    const sig = id.sig;
    let kinds = this.files.get(path);
    if (!kinds) this.files.set(path, (kinds = new Map()));
    let entry = kinds.get(kind);
    if (!entry || entry.sig !== sig || !entry.settled) {
      const settled = Date.now() - id.changedMs > RACY_MS;
      let text: string;
      try {
        text = await readFile(path, 'utf8');
      } catch (e) {
        if ((e as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
        throw e;
      }
      try {
        entry = { sig, settled, outcome: { ok: true, value: parse(text) } };
      } catch (error) {
        entry = { sig, settled, outcome: { ok: false, error } };
      }
      kinds.set(kind, entry);
    }
    if (!entry.outcome.ok) throw entry.outcome.error;
    return { value: entry.outcome.value as T, sig };
  }

  /** The names in folder `path` (unsorted), reused while the folder is unchanged; [] when missing. */
  async list(path: string): Promise<string[]> {
    return (await this.listing(path)).names;
  }

  /** `list` with the folder's identity (undefined when it does not exist). */
  async listing(path: string): Promise<{ names: string[]; id: { readonly sig: string; readonly changedMs: number } | undefined }> {
    const id = this.identity(path);
    if (id === undefined) {
      this.folders.delete(path);
      return { names: [], id };
    }
    const hit = this.folders.get(path);
    if (hit && hit.sig === id.sig && hit.settled) return { names: hit.names, id };
    const settled = Date.now() - id.changedMs > RACY_MS;
    const names = await readdir(path);
    this.folders.set(path, { sig: id.sig, settled, names });
    return { names, id };
  }
}
