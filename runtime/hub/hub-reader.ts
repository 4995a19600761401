// Keeps a hub folder's snapshot (file-snapshot.ts) for the process and decides when it still holds:
// each access compares the identity (file-cache.ts) of every file the snapshot was built from, or,
// for a known connection, of only the files that connection depends on. Concurrent readers share
// one load; writers (under the lock) ask for a fresh check.
import { join } from 'node:path';
import type { SnipError } from '../errors.js';
import { RACY_MS, type FileCache } from './file-cache.js';
import { isRecordFile, loadSnapshot, type HubSnapshot } from './file-snapshot.js';
import { STATE_FILE } from './hub-state.js';

/** The per-process view of one hub folder; see the module comment. */
export class HubReader {
  private last: { sig: string; settled: boolean; ids: Map<string, string | undefined>; snap: HubSnapshot } | undefined;
  /** Counts the snapshots built, so a stamp names the one it was checked against. */
  private generation = 0;
  private inflight: Promise<HubSnapshot> | undefined;

  /**
   * @param dir the hub folder (absolute)
   * @param rel turns a path into the form shown to the user
   * @param missing the error for a hub folder that does not exist
   */
  constructor(
    private readonly dir: string,
    private readonly rel: (file: string) => string,
    private readonly missing: () => SnipError,
    private readonly cache: FileCache,
  ) {}

  /** The last snapshot built, if any (for the hub id). */
  get current(): HubSnapshot | undefined {
    return this.last?.snap;
  }

  /**
   * The hub as it is on disk now, reusing every unchanged file; concurrent readers share one load.
   * With `connection`, a settled snapshot is reused after checking only what that connection
   * depends on (folder listings, hub.json, state.json, its file and its template's file); any
   * difference, or a name not in the snapshot, checks everything.
   */
  async snapshot(fresh = false, connection?: string): Promise<HubSnapshot> {
    if (!fresh && connection !== undefined && (await this.stillValid(connection))) return this.last!.snap;
    if (!fresh && this.inflight) return this.inflight;
    const p = this.load();
    if (!fresh) {
      this.inflight = p;
      void p.catch(() => undefined).finally(() => {
        if (this.inflight === p) this.inflight = undefined;
      });
    }
    return p;
  }

  private async stillValid(connection: string): Promise<boolean> {
    return this.stamp(connection) !== undefined;
  }

  /**
   * Synchronous: a stamp of the last snapshot while everything connection `connection` depends on
   * (as `snapshot` checks it) is unchanged and settled; undefined when that cannot be told without
   * loading. Equal stamps mean the snapshot's records for that connection are the same.
   */
  stamp(connection: string): string | undefined {
    const last = this.last;
    const c = last?.snap.connections.get(connection);
    if (!last || !last.settled || !c) return undefined;
    const t = last.snap.templates.get(c.value.template);
    if (!t) return undefined;
    const now = Date.now();
    const identity = this.cache.identity;
    const changed = (path: string): boolean => {
      const id = identity(path);
      return id?.sig !== last.ids.get(path) || (id !== undefined && now - id.changedMs <= RACY_MS);
    };
    for (const path of (this.shared ??= [join(this.dir, 'templates'), join(this.dir, 'connections'), join(this.dir, 'hub.json'), join(this.dir, STATE_FILE)])) {
      if (changed(path)) return undefined;
    }
    if (changed(c.file) || changed(t.file)) return undefined;
    return String(this.generation);
  }

  /** The files every connection depends on (folder listings, hub.json, state.json). */
  private shared: string[] | undefined;

  private async load(): Promise<HubSnapshot> {
    const { sig, settled, ids } = await this.signature();
    if (this.last && this.last.sig === sig && settled) {
      // The same files, now quiet long enough: later accesses may trust the cheap per-connection check.
      this.last.settled = true;
      return this.last.snap;
    }
    const snap = await loadSnapshot(this.dir, this.rel, this.cache);
    this.last = { sig, settled, ids, snap };
    this.generation++;
    return snap;
  }

  /**
   * Every file the snapshot depends on, by identity, and whether all of them have been quiet long
   * enough to trust (see file-cache.ts); SNIP4040 when the hub folder is missing.
   */
  private async signature(): Promise<{ sig: string; settled: boolean; ids: Map<string, string | undefined> }> {
    const folders = [join(this.dir, 'templates'), join(this.dir, 'connections')];
    const identity = this.cache.identity;
    const [top, ...listings] = await Promise.all([identity(this.dir), ...folders.map((f) => this.cache.listing(f))]);
    if (top === undefined) throw this.missing();
    const files = [join(this.dir, 'hub.json'), join(this.dir, STATE_FILE)];
    listings.forEach((l, i) => files.push(...l!.names.filter(isRecordFile).sort().map((n) => join(folders[i]!, n))));
    const fileIds = files.map((f) => identity(f));
    const ids = new Map<string, string | undefined>();
    folders.forEach((f, i) => ids.set(f, listings[i]!.id?.sig));
    files.forEach((f, i) => ids.set(f, fileIds[i]?.sig));
    const now = Date.now();
    return {
      sig: [...ids].map(([f, id]) => `${f}=${id ?? '-'}`).join('|'),
      settled: [...listings.map((l) => l!.id), ...fileIds].every((id) => id === undefined || now - id.changedMs > RACY_MS),
      ids,
    };
  }
}
