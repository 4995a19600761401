// What a run needs from the integration hub: the store, one HubSession for the run (HTTP client,
// token cache, redactor), connections loaded once per run with their secrets decrypted, the masker
// for the trace, and recording that a connection got authorized. Actions find it in
// `ctx.services.hub`; `runScript(..., { hub, masker: hub.mask })` wires it.
import { createHash } from 'node:crypto';
import { isAbsolute, resolve } from 'node:path';
import { inspect } from 'node:util';
import { SnipError } from '../errors.js';
import type { Masker } from '../trace/events.js';
import { connectionView } from './connection-view.js';
import { FileHubStore, hubDirFrom } from './file-store.js';
import type { HttpClient } from './http.js';
import { HubSession, type ConnectionView } from './send.js';
import type { HubStore } from './store.js';
import type { TokenCacheLike } from './token-cache.js';

/** Options of `HubServices`. */
export interface HubServicesOptions {
  /** A host's HTTP client (pool, proxy); the session makes and closes its own otherwise. */
  http?: HttpClient;
  /** Share one across runs of a process to reuse tokens; a fresh one per run otherwise. */
  tokens?: TokenCacheLike;
  /** Response size cap in bytes (default 32 KB). */
  maxResponseBytes?: number;
  /** Told when recording an authorization in the store failed (the request itself succeeded). */
  onStoreError?: (e: unknown) => void;
}

/**
 * Connection views every run over one store shares, by connection name, each kept under the
 * store's stamp (`HubStore.connectionStamp`) it was loaded with: while the stamp holds, a run takes
 * the view without reading, validating, copying or decrypting anything. Held weakly per store, in
 * module scope only: nothing reachable from a run, a store or an error can print it.
 */
const DONE: Promise<void> = Promise.resolve();

const sharedViews = new WeakMap<HubStore, Map<string, { stamp: string; view: ConnectionView }>>();

/**
 * What each connection last authenticated with, per store: a digest of a loaded view's
 * authentication inputs (kind, auth details, secrets, TLS). A connection loaded with other inputs
 * than before was edited (through the admin API, `snip hub` on the folder or in PostgreSQL, or by
 * hand): the token fetched with the old ones is dropped from the token cache before the run uses
 * it, so the next request authenticates with the new ones. A digest, so nothing secret is kept.
 */
const credentialDigests = new WeakMap<HubStore, Map<string, string>>();

/** Whether `view` authenticates with other inputs than the last view of its connection loaded from `store`. */
function credentialsChanged(store: HubStore, view: ConnectionView): boolean {
  let digests = credentialDigests.get(store);
  if (digests === undefined) credentialDigests.set(store, (digests = new Map()));
  const secrets = [...view.secrets].sort((a, b) => (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0));
  const digest = createHash('sha256').update(JSON.stringify([view.authKind, view.auth ?? null, secrets, view.tls ?? null])).digest('base64url');
  const last = digests.get(view.name);
  digests.set(view.name, digest);
  return last !== undefined && last !== digest;
}

function viewsOf(store: HubStore): Map<string, { stamp: string; view: ConnectionView }> {
  let m = sharedViews.get(store);
  if (m === undefined) sharedViews.set(store, (m = new Map()));
  return m;
}

/**
 * The hub of one run. Create one per run; `close()` it when the run ended. Cheap to create: the
 * session (HTTP client, redactor, token handles) is made when a run first uses the hub, and
 * connection views come from what earlier runs over the same store loaded while it is unchanged.
 */
export class HubServices {
  #session: HubSession | undefined;
  private readonly views = new Map<string, Promise<ConnectionView>>();
  private marked: Set<string> | undefined;
  private pending: Set<Promise<void>> | undefined;

  constructor(
    readonly store: HubStore,
    private readonly options: HubServicesOptions = {},
  ) {}

  /** The run's session: HTTP client, token cache and the redactor of every secret and token it handled. */
  get session(): HubSession {
    // One plain literal (no spreads): the session reads these options on every request.
    return (this.#session ??= new HubSession({
      http: this.options.http,
      tokens: this.options.tokens,
      maxResponseBytes: this.options.maxResponseBytes,
      onAuthorized: (c) => this.markAuthorized(c),
    }));
  }

  /** The session's redactor knows every secret of the run: never print it through this object. */
  [inspect.custom](): string {
    return `HubServices(${this.store.id})`;
  }

  toJSON(): { hub: string } {
    return { hub: this.store.id };
  }

  /** Masks every secret and token this run has handled: pass it as the run's `masker`. */
  readonly mask: Masker = (text) => (this.#session === undefined ? text : this.#session.mask(text));

  /**
   * Connection `name` with its template and decrypted secrets, loaded once per run (or taken from
   * an earlier run while the store's stamp for it holds). The redactor learns the secrets before
   * the view is handed out, so nothing can print them afterwards.
   * @throws SnipError SNIP4002 unknown connection, SNIP4009 key cannot decrypt.
   */
  connection(name: string): Promise<ConnectionView> {
    let p = this.views.get(name);
    if (!p) {
      // The stamp is taken before loading: a view is only ever kept under a stamp at least as old as it.
      const stamp = this.store.connectionStamp?.(name);
      const shared = stamp === undefined ? undefined : viewsOf(this.store);
      const hit = shared?.get(name);
      if (hit !== undefined && hit.stamp === stamp) {
        this.session.learn(hit.view);
        p = Promise.resolve(hit.view);
      } else {
        p = connectionView(this.store, name).then(async (v) => {
          this.session.learn(v);
          // Only a token cache shared across runs can hold a token of the old inputs.
          const tokens = this.options.tokens;
          if (tokens !== undefined && credentialsChanged(this.store, v)) await tokens.invalidate({ hub: v.hub, connection: v.name });
          if (shared !== undefined) shared.set(name, { stamp: stamp!, view: v });
          return v;
        });
        // A failed load is not cached: the next action may try again after a fix.
        p.catch(() => this.views.delete(name));
      }
      this.views.set(name, p);
    }
    return p;
  }

  /** Waits for authorizations being recorded in the store. */
  async settle(): Promise<void> {
    while (this.pending !== undefined && this.pending.size > 0) await Promise.all([...this.pending]);
  }

  /** Settles and closes the session's HTTP client (when it made it). */
  close(): Promise<void> {
    // Nothing being recorded: no extra turns (most runs, and every run that never used the hub).
    if (this.pending === undefined || this.pending.size === 0) return this.#session === undefined ? DONE : this.#session.close();
    return this.settle().then(() => this.#session?.close());
  }

  private markAuthorized(conn: ConnectionView): void {
    // Authorized when its view was loaded: nothing to record (the status is part of the store's stamp).
    if (conn.status === 'authorized') return;
    const name = conn.name;
    this.marked ??= new Set();
    if (this.marked.has(name)) return;
    this.marked.add(name);
    const pending = (this.pending ??= new Set());
    const p: Promise<void> = this.store
      .getConnection(name)
      .then(async (c) => {
        if (c.status !== 'authorized') await this.store.markAuthorized(name);
      })
      .catch((e: unknown) => this.options.onStoreError?.(e))
      .finally(() => pending.delete(p));
    pending.add(p);
  }
}

/** The run's hub from an action context's `services`, if the host gave one. */
export function hubServicesOf(services: Readonly<Record<string, unknown>> | undefined): HubServices | undefined {
  const hub = services?.['hub'];
  return hub instanceof HubServices ? hub : undefined;
}

/** The hub of a run, or SNIP4002 saying how to configure one. */
export function requireHub(services: Readonly<Record<string, unknown>> | undefined): HubServices {
  const hub = hubServicesOf(services);
  if (!hub) throw new SnipError('SNIP4002', 'no integration hub is configured for this run (pass --hub DIR or set SNIP_HUB)');
  return hub;
}

/** Where `openFileHub` finds the hub folder and its key. */
export interface OpenFileHubOptions extends HubServicesOptions {
  /** `--hub DIR`; otherwise `SNIP_HUB`, then `hub` under `cwd`. */
  dir?: string;
  cwd: string;
  env: Record<string, string | undefined>;
  /** One-line notices (a key file was created) meant for stderr. */
  notice?: (text: string) => void;
  /**
   * Long-lived hosts: the store watches the hub's folders instead of a stat per file and run
   * (`FileHubStoreOptions.watch`). Once asked for, the process's store for that hub keeps watching.
   */
  watch?: boolean;
}

const stores = new Map<string, FileHubStore>();

/**
 * The process's one `FileHubStore` for a hub folder and key: the hub is parsed and validated once,
 * re-read per file only when a file changes, and secrets are decrypted once (see file-store.ts).
 * `notice` is the one given when the store was first opened.
 */
export function sharedFileHubStore(options: Omit<OpenFileHubOptions, keyof HubServicesOptions>): FileHubStore {
  const shown = hubDirFrom(options.dir, options.env);
  const dir = isAbsolute(shown) ? shown : resolve(options.cwd, shown);
  const id = JSON.stringify([dir, shown, options.env.SNIP_HUB_KEY ?? '']);
  let store = stores.get(id);
  if (!store) {
    store = new FileHubStore({ dir: shown, cwd: options.cwd, env: { SNIP_HUB_KEY: options.env.SNIP_HUB_KEY }, ...(options.notice ? { notice: options.notice } : {}) });
    stores.set(id, store);
  }
  if (options.watch) store.watch();
  return store;
}

/**
 * Hub services for one run over the embedded file store (`hub/`, `--hub DIR` or `SNIP_HUB`). Cheap
 * per run: the store behind it is shared by every run of the process (`sharedFileHubStore`); pass
 * one `tokens` cache to every run to reuse tokens too.
 */
export function openFileHub(options: OpenFileHubOptions): HubServices {
  return new HubServices(sharedFileHubStore(options), options);
}
