// Scripts compiled once per file: `runScript(path)` and RUNSUB look a file up by its absolute path and
// reuse the compiled flow while the file's stat (size, modification and change times, inode) is the
// one it was compiled from. A stat is far cheaper than reading and hashing the text on every run,
// and any edit, replacement or deletion shows in it, so the next run sees the change. As git does
// for "racily clean" files, a stat taken within RACY_MS of the file's modification is not trusted
// (timestamps are coarse: two same-size writes can share one): the text is read again and compared.
// Long-lived hosts may pass `watch`: the script's folder is watched (file-watch.ts) and a run of an
// unchanged script stats nothing; a change event makes the next run look at it again, and that look
// stays current until the next event (no quiet time after an edit).
import { promises as fs, statSync } from 'node:fs';
import path from 'node:path';
import { WatchedFiles } from './file-watch.js';
import { LRUCache } from 'lru-cache';
import { compileScript, type CompiledScriptResult, type ScriptKind } from './flow/compile-script.js';

interface Entry {
  stamp: Stat;
  source: string;
  result: CompiledScriptResult;
}

/** How long after a write a file's stat may still hide a second write (coarse file-system clocks). */
const RACY_MS = 2000;

// Keyed by path, name shown in errors and kind: the same file run under two names compiles twice.
const entries = new LRUCache<string, Entry>({ max: 500 });

/** A file that could not be read: the errno code (`ENOENT`, `EACCES` ...) or `error`. */
export interface ReadFailure {
  readFailed: string;
}

// Plain (not bigint) stat, as the hub's file cache: times as fractional ms resolve well under a
// microsecond, far finer than any file-system tick, and the bigint call costs about three times more.
// `look`: in watch mode, which look at the file took the stat (see `compiledNow`).
type Stat = { size: number; mtimeMs: number; ctimeMs: number; ino: number; look?: number };

function stampOf(st: Stat): Stat {
  return st.look === undefined
    ? { size: st.size, mtimeMs: st.mtimeMs, ctimeMs: st.ctimeMs, ino: st.ino }
    : { size: st.size, mtimeMs: st.mtimeMs, ctimeMs: st.ctimeMs, ino: st.ino, look: st.look };
}

// Watch mode: every change of a watched script comes with an event, and an event makes the next
// run look again, so a stat taken since the last event is current until the next one. Each look is
// numbered: two writes within one tick of the file clock still differ, and no quiet time is needed
// after an edit (stat mode re-reads a file changed in the last RACY_MS on every run).
let looks = 0;
const tagged = (st: Stat): Stat => ({ ...st, look: ++looks });

// Stats of script files in watched folders (the `watch` option), kept while no event touched them.
let watched: WatchedFiles<Stat> | undefined;

function statNow(file: string): Stat | undefined {
  const st = statSync(file, { throwIfNoEntry: false });
  return st === undefined ? undefined : stampOf(st);
}

// Watch mode: settled hits by key while the watcher's version is `hitsVersion` (no event since),
// answered without a look-up at all.
const settledHits = new Map<string, CompiledScriptResult>();
let hitsVersion = -1;

/** Stops watching script folders (a host shutting down, tests); later runs with `watch` start again. */
export function closeScriptWatchers(): void {
  watched?.close();
  watched = undefined;
  settledHits.clear();
  hitsVersion = -1;
}

function sameStamp(a: Stat, b: Stat): boolean {
  return a.size === b.size && a.mtimeMs === b.mtimeMs && a.ctimeMs === b.ctimeMs && a.ino === b.ino && a.look === b.look;
}

function settled(st: Stat): boolean {
  return st.look !== undefined || Date.now() - Math.max(st.mtimeMs, st.ctimeMs) > RACY_MS;
}

/**
 * The compiled script in `file` (an absolute path), compiled again only when the file changed.
 * Only scripts with the default actions are cached (a host's own actions compile differently).
 */
export async function compileFile(file: string, options: CompileFileOptions): Promise<CompiledScriptResult | ReadFailure> {
  const now = compiledNow(file, options);
  return 'read' in now ? readAndCompile(file, options, now.read) : now;
}

/** Options of `compileFile`. */
export interface CompileFileOptions {
  fileName?: string;
  kind?: ScriptKind;
  watch?: boolean;
}

/**
 * `compileFile` without waiting when the answer is known now (the compiled script of an unchanged
 * file, or a failure); `{ read }` when the file must be read (pass it on to `compileFile`).
 */
export function compiledNow(file: string, options: CompileFileOptions): CompiledScriptResult | ReadFailure | { read: { key: string; st: Stat; hit: Entry | undefined } } {
  const key = `${options.kind ?? ''}\0${options.fileName ?? ''}\0${file}`;
  if (options.watch && watched !== undefined && watched.version === hitsVersion) {
    const r = settledHits.get(key);
    if (r !== undefined) return r;
  }
  let st: Stat | undefined;
  try {
    // Stat before reading: an edit that lands between the two changes the stamp, so it is seen next run.
    // Synchronous: microseconds for a local file, cheaper than the async call's thread-pool round trip.
    // (A missing file as undefined rather than an exception: the cheaper call on every run.)
    if (options.watch) {
      watched ??= new WatchedFiles(statNow, tagged);
      watched.want(path.dirname(file));
      st = watched.get(file);
    } else st = statSync(file, { throwIfNoEntry: false });
  } catch (e) {
    entries.delete(key);
    return { readFailed: (e as NodeJS.ErrnoException).code ?? 'error' };
  }
  if (st === undefined) {
    entries.delete(key);
    return { readFailed: 'ENOENT' };
  }
  const hit = entries.get(key);
  if (hit !== undefined && sameStamp(hit.stamp, st) && settled(st)) {
    if (options.watch && watched !== undefined) {
      if (watched.version !== hitsVersion || settledHits.size >= 500) {
        settledHits.clear();
        hitsVersion = watched.version;
      }
      settledHits.set(key, hit.result);
    }
    return hit.result;
  }
  return { read: { key, st, hit } };
}

/** The rest of `compileFile` after `compiledNow` said the file must be read. */
async function readAndCompile(file: string, options: CompileFileOptions, { key, st, hit }: { key: string; st: Stat; hit: Entry | undefined }): Promise<CompiledScriptResult | ReadFailure> {
  const stamp = stampOf(st);
  let source: string;
  try {
    source = await fs.readFile(file, 'utf8');
  } catch (e) {
    entries.delete(key);
    return { readFailed: (e as NodeJS.ErrnoException).code ?? 'error' };
  }
  const result = hit !== undefined && hit.source === source ? hit.result : compileScript(source, { fileName: options.fileName, kind: options.kind });
  entries.set(key, { stamp, source, result });
  return result;
}

