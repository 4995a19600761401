// Opt-in freshness without stats for long-lived hosts: what a look-up (a stat) said about a file is
// kept while no change event of the file's folder (fs.watch) touched it, so a run over unchanged
// files stats nothing. An event marks the file (and its folder) dirty: the next look-up stats again,
// exactly as stat mode does. Events arrive asynchronously, so a change made outside the process is
// seen once its event is delivered (writers in the process drop what they changed themselves).
// Watchers never keep the process alive (not persistent). Any doubt falls back to stats: a watcher
// error, an event with no file name, a watched folder replaced or deleted, too many folders.
import { watch, statSync, type FSWatcher } from 'node:fs';
import path from 'node:path';

/** Folders one `WatchedFiles` watches at most; paths in further folders are always looked up. */
const MAX_FOLDERS = 256;
/** Entries kept at most before the memory is dropped (re-filled by look-ups). */
const MAX_ENTRIES = 10_000;
/** How long after a folder could not be watched (missing, error) before trying again. */
const RETRY_MS = 1000;

const MISSING = Symbol('missing');

interface Folder {
  watcher: FSWatcher;
  /** Inode when the watch began: another one later means the folder was replaced. */
  ino: number;
}

/**
 * `look(path)` per path, answered from memory while the file's folder is watched and no change
 * event named the file since the answer was taken. Only folders asked for with `want` are watched.
 */
export class WatchedFiles<T> {
  private readonly folders = new Map<string, Folder>();
  private readonly wanted = new Map<string, number>();
  private readonly known = new Map<string, T | typeof MISSING>();
  private closed = false;
  #version = 0;

  /**
   * Changes with anything that may make an earlier answer stale (an event, `dirty`, a watch
   * started or stopped): a caller may keep what it derived from answers while it stays the same.
   */
  get version(): number {
    return this.#version;
  }

  /**
   * @param look what a file is now (a stat)
   * @param remember what to keep of an answer taken while the file's folder is watched (the answer
   *   itself by default); what it returns is what `get` answers until the next event for the file
   */
  constructor(
    private readonly look: (file: string) => T | undefined,
    private readonly remember: (answer: T) => T = (answer) => answer,
  ) {}

  /** Watch folder `dir` (absolute) from now on: its files, and itself, are answered from memory while unchanged. */
  want(dir: string): void {
    if (this.closed || this.wanted.has(dir) || this.wanted.size >= MAX_FOLDERS) return;
    this.wanted.set(dir, 0);
    this.start(dir);
  }

  /** Whether folder `dir` is being watched now (for tests and diagnostics). */
  watching(dir: string): boolean {
    return this.folders.has(dir);
  }

  /** `look(file)`: from memory while unchanged (see the class comment). */
  get(file: string): T | undefined {
    const dir = this.wanted.has(file) ? file : path.dirname(file);
    if (!this.folders.has(dir) && !this.retry(dir)) return this.look(file);
    const hit = this.known.get(file);
    if (hit !== undefined) return hit === MISSING ? undefined : hit;
    const looked = this.look(file);
    const v = looked === undefined ? undefined : this.remember(looked);
    if (this.known.size >= MAX_ENTRIES) this.known.clear();
    this.known.set(file, v === undefined ? MISSING : v);
    return v;
  }

  /** Forgets what is known of `file` (a writer in this process changed it): the next look-up stats. */
  dirty(file: string): void {
    this.#version++;
    this.known.delete(file);
    this.known.delete(path.dirname(file));
  }

  /** Forgets everything known (the next look-up of every file stats). */
  dirtyAll(): void {
    this.#version++;
    this.known.clear();
  }

  /** Stops every watcher; look-ups stat from now on. */
  close(): void {
    this.closed = true;
    for (const dir of [...this.folders.keys()]) this.stop(dir);
    this.wanted.clear();
    this.known.clear();
  }

  /** A wanted folder that is not watched now: try again now and then (it may exist by now). */
  private retry(dir: string): boolean {
    const last = this.wanted.get(dir);
    if (last === undefined || Date.now() - last < RETRY_MS) return false;
    return this.start(dir);
  }

  private start(dir: string): boolean {
    this.wanted.set(dir, Date.now());
    let ino: number;
    let watcher: FSWatcher;
    try {
      const st = statSync(dir, { throwIfNoEntry: false });
      if (st === undefined || !st.isDirectory()) return false;
      ino = st.ino;
      watcher = watch(dir, { persistent: false }, (_type, name) => this.changed(dir, name));
    } catch {
      return false;
    }
    // A watcher that fails (folder gone, too many watches) leaves the folder to stats.
    watcher.on('error', () => this.reset());
    this.folders.set(dir, { watcher, ino });
    // What was known before the watch began may be stale: look again from now on.
    this.dropUnder(dir);
    return true;
  }

  private changed(dir: string, name: string | Buffer | null): void {
    const folder = this.folders.get(dir);
    if (folder === undefined) return;
    this.#version++;
    this.known.delete(dir);
    if (name === null) this.dropUnder(dir);
    else this.known.delete(path.join(dir, name.toString()));
    // The folder itself moved, was deleted or replaced: nothing watched can be trusted any more.
    let st;
    try {
      st = statSync(dir, { throwIfNoEntry: false });
    } catch {
      st = undefined;
    }
    if (st === undefined || st.ino !== folder.ino) this.reset();
  }

  /** Stops every watcher and forgets everything; wanted folders are watched again on later look-ups. */
  private reset(): void {
    this.#version++;
    for (const dir of [...this.folders.keys()]) this.stop(dir);
    this.known.clear();
    for (const dir of this.wanted.keys()) this.wanted.set(dir, 0);
  }

  private stop(dir: string): void {
    const f = this.folders.get(dir);
    if (f === undefined) return;
    this.folders.delete(dir);
    try {
      f.watcher.close();
    } catch {
      // Already closed.
    }
    this.dropUnder(dir);
  }

  private dropUnder(dir: string): void {
    this.#version++;
    this.known.delete(dir);
    for (const k of this.known.keys()) if (path.dirname(k) === dir) this.known.delete(k);
  }
}
