// The embedded hub store: plain JSON files under a hub folder (default `hub/`), one per template and
// per connection, secrets encrypted beside their connection. Safe with many processes: every write
// is a read-modify-write under the hub's lock (hub-lock.ts), the key file is created once and never
// replaced. Reads come from a per-process snapshot (file-snapshot.ts) that re-reads only changed
// files, and decrypted secrets are kept for the process lifetime in a holder nothing can print.
import { mkdir, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { isAbsolute, join, resolve } from 'node:path';
import { randomUUID } from 'node:crypto';
import { inspect } from 'node:util';
import { SnipError } from '../errors.js';
import { slugOf, type Connection, type HubRequest, type SecretInfo, type Template } from './model.js';
import { addRequestTo, newConnection, newRequest, newTemplate, patchConnection, removeRequest, requestNamed, setRequestActive } from './records.js';
import { validateConnection, validateSecretName } from './rules.js';
import type { ConnectionParts, ConnectionPatch, HubStore, NewConnection, NewRequest, NewTemplate } from './store.js';
import { TEMP_SUFFIX, writeFileAtomic } from '../atomic-write.js';
import { parseJsonFile, problemsError, readSecretsFile, toJsonText, type SecretsFile } from './file-format.js';
import { SecretBox, generateKey, keyIdOf, writeKeyFile, type HubKey } from './secret-box.js';
import { HubKeys } from './hub-keys.js';
import { FileCache, RACY_MS, identityNow, signatureOf, type IdentitySource } from './file-cache.js';
import { WatchedFiles } from '../file-watch.js';
import { HubReader } from './hub-reader.js';
import { problemFor, type HubFileProblem, type HubSnapshot, type Loaded } from './file-snapshot.js';
import { LOCK_NAME, withHubLock, type HubLockOptions } from './hub-lock.js';
import { STATE_FILE, authSettingsId, withRecordedStatus } from './hub-state.js';
import { SecretMap, SecretVault } from './secret-map.js';

/** Name of the key file inside the hub folder (git-ignored by the hub's own .gitignore). */
export const KEY_FILE = '.hubkey';

const IGNORED = [KEY_FILE, `*${TEMP_SUFFIX}`, LOCK_NAME, STATE_FILE];
const GITIGNORE = `# Written by snip hub: the key file must never be committed; the lock and the authorization state are local.\n${IGNORED.join('\n')}\n`;

/** Options of `FileHubStore`. */
export interface FileHubStoreOptions {
  /** The hub folder (absolute, or relative to `cwd`). */
  dir: string;
  cwd?: string;
  /** Environment for SNIP_HUB_KEY (default: none). */
  env?: Record<string, string | undefined>;
  /** Receives one-line notices (key file created) meant for stderr. */
  notice?: (text: string) => void;
  now?: () => Date;
  /** How writers wait for the hub lock. */
  lock?: HubLockOptions;
  /**
   * For long-lived hosts (a server, a worker): watch the hub's folders (fs.watch) instead of
   * checking every file with a stat on every access. While nothing changed, a run stats nothing; a
   * change event makes the next access check that file as stat mode does. Writes through this store
   * are seen at once, edits from elsewhere once their event arrives. The watchers do not keep the
   * process alive; `close()` stops them. Default off (one-shot CLI runs).
   */
  watch?: boolean;
}

/** The hub folder from `--hub`, then `SNIP_HUB`, then `hub` under the working directory. */
export function hubDirFrom(flag: string | undefined, env: Record<string, string | undefined>): string {
  return flag ?? (env.SNIP_HUB || 'hub');
}

export type { HubFileProblem } from './file-snapshot.js';

/** A `HubStore` over JSON files; see the module comment. One instance per hub per process. */
export class FileHubStore implements HubStore {
  readonly dir: string;
  /** The folder as the user gave it, for messages (never an absolute machine path unless given so). */
  readonly shown: string;
  private readonly env: Record<string, string | undefined>;
  private readonly notice: (text: string) => void;
  private readonly now: () => Date;
  private readonly lockOptions: HubLockOptions;
  private readonly cache: FileCache;
  private readonly reader: HubReader;
  /** Watch mode: file identities kept while no change event touched them. */
  private watched: WatchedFiles<{ readonly sig: string; readonly changedMs: number }> | undefined;
  /** Writes under way in this store: their own reads must see what they just wrote, so they stat. */
  private writing = 0;
  /** Watch mode: connection stamps by name, while the watcher's version is the one they were taken at. */
  private readonly stamps = new Map<string, { version: number; stamp: string }>();
  readonly #secrets = new SecretVault();
  private readonly keys: HubKeys;

  constructor(options: FileHubStoreOptions) {
    this.dir = isAbsolute(options.dir) ? options.dir : resolve(options.cwd ?? '.', options.dir);
    this.shown = options.dir.replace(/\/+$/, '');
    this.env = options.env ?? {};
    this.notice = options.notice ?? (() => undefined);
    this.now = options.now ?? (() => new Date());
    this.lockOptions = options.lock ?? {};
    const identity: IdentitySource = (p) => {
      const w = this.watched;
      return w === undefined || this.writing > 0 ? identityNow(p) : w.get(p);
    };
    if (options.watch) this.watch();
    this.cache = new FileCache(identity);
    this.keys = new HubKeys(join(this.dir, KEY_FILE), this.rel(join(this.dir, KEY_FILE)), this.env, this.notice, identity);
    this.reader = new HubReader(this.dir, (f) => this.rel(f), () => missingHub(this.shown), this.cache);
  }

  get id(): string {
    return this.reader.current?.id ?? 'default';
  }

  /** Whether the store watches its folders (the `watch` option) rather than stat every file. */
  get watching(): boolean {
    return this.watched !== undefined;
  }

  /** Switches to watch mode (see `FileHubStoreOptions.watch`); nothing when already watching. */
  watch(): void {
    if (this.watched !== undefined) return;
    // Every change of a watched file comes with an event, and an event makes the next access look
    // again: an answer taken since then is current until the next event. So each answer is tagged
    // with the look that took it (two writes within one tick of the file clock, of the same size,
    // still differ) and counts as settled. Stat mode instead re-reads a file on every access for a
    // second after it changed (RACY_MS), which after an admin write meant a second of runs reloading
    // and decrypting their connection. Folders that cannot be watched keep the stat rule.
    let looks = 0;
    const watched = (this.watched = new WatchedFiles(identityNow, (id) => ({ sig: `${id.sig}#${++looks}`, changedMs: 0 })));
    for (const d of [this.dir, join(this.dir, 'templates'), join(this.dir, 'connections')]) watched.want(d);
  }

  /** Stops watching (watch mode); the store keeps working with a stat per file and access. */
  close(): void {
    this.watched?.close();
    this.watched = undefined;
  }

  [inspect.custom](): string {
    return `FileHubStore(${this.shown})`;
  }

  toJSON(): { hub: string } {
    return { hub: this.shown };
  }

  /** Creates the folder layout, `.gitignore` and `hub.json` when missing. Returns whether anything was created. */
  async init(): Promise<boolean> {
    await mkdir(this.dir, { recursive: true });
    return this.write(() => this.initLocked());
  }

  private async initLocked(): Promise<boolean> {
    let created = false;
    for (const d of [join(this.dir, 'templates'), join(this.dir, 'connections')]) {
      if (!(await exists(d))) created = true;
      await mkdir(d, { recursive: true });
    }
    if (await this.ensureIgnored()) created = true;
    const meta = join(this.dir, 'hub.json');
    if (!(await exists(meta))) {
      await writeFileAtomic(meta, toJsonText({ format: 1, id: randomUUID() }));
      created = true;
    }
    await this.snap(true);
    return created;
  }

  /** Writes `.gitignore`, or adds the lines an older one lacks (keeping the user's); true when created. */
  private async ensureIgnored(): Promise<boolean> {
    const ignore = join(this.dir, '.gitignore');
    if (!(await exists(ignore))) {
      await writeFile(ignore, GITIGNORE);
      return true;
    }
    const text = await readFile(ignore, 'utf8');
    const lines = new Set(text.split(/\r?\n/).map((l) => l.trim()));
    const missing = IGNORED.filter((l) => !lines.has(l));
    if (missing.length) await writeFile(ignore, text + (text.endsWith('\n') || text === '' ? '' : '\n') + missing.join('\n') + '\n');
    return false;
  }

  /** Files of the hub that do not load (each with its path and error); the rest stays usable. */
  async problems(): Promise<HubFileProblem[]> {
    return (await this.snap()).problems;
  }

  // --- templates ---------------------------------------------------------------------------

  async createTemplate(input: NewTemplate): Promise<Template> {
    // Saving the first template creates the hub (the folder is named on purpose here).
    await mkdir(this.dir, { recursive: true });
    return this.write(async () => {
      await this.initLocked();
      const t = newTemplate(input, this.now().toISOString());
      const s = await this.snap(true);
      if (s.templates.has(t.name) || s.problems.some((p) => p.folder === 'templates' && p.name === t.name)) {
        throw new SnipError('SNIP4004', `template "${t.name}" already exists and templates cannot change once saved; create a template with a new name`);
      }
      await writeFileAtomic(await this.freeFile('templates', t.name), toJsonText(t));
      return t;
    });
  }

  async getTemplate(name: string): Promise<Template> {
    return structuredClone(this.template(await this.snap(), name).value);
  }

  async listTemplates(): Promise<Template[]> {
    return [...(await this.snap()).templates.values()].map((t) => structuredClone(t.value)).sort((a, b) => a.name.localeCompare(b.name));
  }

  private template(s: HubSnapshot, name: string): Loaded<Template> {
    const t = s.templates.get(name);
    if (t) return t;
    const broken = problemFor(s, 'templates', name);
    if (broken) throw broken.error;
    throw new SnipError('SNIP4002', `no template named "${name}"`);
  }

  // --- connections -------------------------------------------------------------------------

  async createConnection(input: NewConnection): Promise<Connection> {
    return this.write(async () => {
      const s = await this.snap(true);
      const template = this.template(s, input.template).value;
      const c = newConnection(input, template, this.now().toISOString());
      if (s.connections.has(c.name) || problemFor(s, 'connections', c.name)?.name === c.name) throw new SnipError('SNIP4003', `connection "${c.name}" already exists`);
      await writeFileAtomic(await this.freeFile('connections', c.name), toJsonText(c));
      return c;
    });
  }

  async getConnection(name: string): Promise<Connection> {
    const s = await this.snap(false, name);
    return this.effective(s, this.connection(s, name).value);
  }

  async listConnections(): Promise<Connection[]> {
    const s = await this.snap();
    return [...s.connections.values()].map((c) => this.effective(s, c.value)).sort((a, b) => a.name.localeCompare(b.name));
  }

  /** Changes a connection; also repairs one whose file breaks a hub rule, when the change fixes it. */
  async updateConnection(name: string, patch: ConnectionPatch): Promise<Connection> {
    return this.change(
      name,
      (c, template) => patchConnection(c, template, patch),
      true,
    );
  }

  /** Deletes the connection (also one whose file does not load) with its secrets and recorded state. */
  async deleteConnection(name: string): Promise<void> {
    await this.write(async () => {
      const s = await this.snap(true);
      const file = s.connections.get(name)?.file ?? problemFor(s, 'connections', name)?.file;
      if (!file) this.connection(s, name);
      await rm(secretsFileOf(file!), { force: true });
      await rm(file!, { force: true });
      if (s.state.authorizations[name]) {
        const state = structuredClone(s.state);
        delete state.authorizations[name];
        await writeFileAtomic(join(this.dir, STATE_FILE), toJsonText(state));
      }
    });
  }

  /**
   * Records that an authentication succeeded, in `state.json` (the connection file people edit is
   * not rewritten). The record holds for the current authentication settings only.
   */
  async markAuthorized(name: string): Promise<Connection> {
    return this.write(async () => {
      const s = await this.snap(true);
      const c = this.connection(s, name).value;
      const t = this.template(s, c.template).value;
      const settings = authSettingsId(c, t);
      // Already recorded for these settings: many runs authorizing at once write the file once.
      if (s.state.authorizations[name]?.settings === settings) return structuredClone(withRecordedStatus(c, t, s.state));
      // Hubs made before state.json existed: keep it out of git before writing it the first time.
      if (!(await exists(join(this.dir, STATE_FILE)))) await this.ensureIgnored();
      const state = structuredClone(s.state);
      state.authorizations[name] = { authorizedAt: this.now().toISOString(), settings };
      await writeFileAtomic(join(this.dir, STATE_FILE), toJsonText(state));
      return structuredClone(withRecordedStatus(c, t, state));
    });
  }

  private connection(s: HubSnapshot, name: string): Loaded<Connection> {
    const c = s.connections.get(name);
    if (c) return c;
    const broken = problemFor(s, 'connections', name);
    if (broken) throw broken.error;
    throw new SnipError('SNIP4002', `no connection named "${name}"`);
  }

  /** A copy of `c` with the authorization status recorded for it. */
  private effective(s: HubSnapshot, c: Connection): Connection {
    const t = s.templates.get(c.template);
    return structuredClone(t ? withRecordedStatus(c, t.value, s.state) : c);
  }

  /** Loads, changes, re-validates and writes back one connection, under the lock. */
  private async change(name: string, edit: (c: Connection, t: Template) => void, repair = false): Promise<Connection> {
    return this.write(() => this.changeLocked(name, edit, repair));
  }

  private async changeLocked(name: string, edit: (c: Connection, t: Template) => void, repair = false): Promise<Connection> {
    const s = await this.snap(true);
    let loaded = s.connections.get(name);
    if (!loaded && repair) {
      const broken = problemFor(s, 'connections', name);
      if (broken?.connection) loaded = { value: broken.connection, file: broken.file };
    }
    if (!loaded) loaded = this.connection(s, name);
    const c = structuredClone(loaded.value);
    const template = this.template(s, c.template).value;
    edit(c, template);
    c.updatedAt = this.now().toISOString();
    const problems = validateConnection(c, template);
    if (problems.length) throw problemsError(problems);
    await writeFileAtomic(loaded.file, toJsonText(c));
    return structuredClone(withRecordedStatus(c, template, s.state));
  }

  // --- requests ----------------------------------------------------------------------------

  async addRequest(connection: string, input: NewRequest): Promise<HubRequest> {
    const r = newRequest(input, this.now().toISOString());
    await this.change(connection, (c, template) => addRequestTo(c, template, r));
    return r;
  }

  async getRequest(connection: string, name: string): Promise<HubRequest> {
    return requestNamed(connection, (await this.getConnection(connection)).requests, name);
  }

  async listRequests(connection: string): Promise<HubRequest[]> {
    return (await this.getConnection(connection)).requests;
  }

  async setRequestActive(connection: string, name: string, active: boolean): Promise<HubRequest> {
    const c = await this.change(connection, (c) => setRequestActive(c, name, active, this.now().toISOString()));
    return c.requests.find((x) => x.name === name)!;
  }

  async deleteRequest(connection: string, name: string): Promise<void> {
    await this.change(connection, (c) => removeRequest(c, name));
  }

  // --- secrets -----------------------------------------------------------------------------

  async setSecret(connection: string, name: string, value: string): Promise<SecretInfo> {
    const problems = validateSecretName(connection, name);
    if (problems.length) throw problemsError(problems);
    return this.write(async () => {
      const { file } = this.connection(await this.snap(true), connection);
      const box = await this.box(true);
      const sf = await this.readSecrets(file, connection);
      // Every existing record must still decrypt: writing beside unreadable ones would hide a key mix-up.
      for (const r of sf.records) box.decrypt(connection, r, this.rel(secretsFileOf(file)));
      const record = box.encrypt(connection, name, value, this.now().toISOString());
      sf.records = [...sf.records.filter((r) => r.name !== name), record].sort((a, b) => a.name.localeCompare(b.name));
      await writeFileAtomic(secretsFileOf(file), toJsonText(sf));
      await this.changeLocked(connection, (c) => {
        c.secrets = sf.records.map((r) => r.name);
      });
      return { name, fingerprint: record.fingerprint, changedAt: record.changedAt };
    });
  }

  async deleteSecret(connection: string, name: string): Promise<void> {
    await this.write(async () => {
      const { file } = this.connection(await this.snap(true), connection);
      const sf = await this.readSecrets(file, connection);
      if (!sf.records.some((r) => r.name === name)) throw new SnipError('SNIP4008', `connection "${connection}" has no secret named "${name}"`);
      sf.records = sf.records.filter((r) => r.name !== name);
      await writeFileAtomic(secretsFileOf(file), toJsonText(sf));
      await this.changeLocked(connection, (c) => {
        c.secrets = sf.records.map((r) => r.name);
      });
    });
  }

  /**
   * Names, fingerprints and change times. The records are decrypted first: a fingerprint is only
   * meaningful under the key that made it, so a key that does not match is an error (SNIP4009).
   */
  async listSecrets(connection: string): Promise<SecretInfo[]> {
    const { file } = this.connection(await this.snap(), connection);
    const sf = await this.readSecrets(file, connection);
    if (sf.records.length > 0) {
      try {
        await this.resolveSecrets(connection);
      } catch (e) {
        if (!(e instanceof SnipError) || e.code !== 'SNIP4009' || e.message.startsWith('no hub key')) throw e;
        throw new SnipError('SNIP4009', `the hub key does not match the secrets of "${connection}": ${e.message}`);
      }
    }
    return sf.records.map((r) => ({ name: r.name, fingerprint: r.fingerprint, changedAt: r.changedAt }));
  }

  /** Decrypted once per process and secrets-file version; each call gets its own `SecretMap` copy. */
  async resolveSecrets(connection: string): Promise<Map<string, string>> {
    return this.secretsOf(await this.snap(false, connection), connection);
  }

  /** Connection, template and secrets from one look at the hub (what a run needs per connection). */
  async connectionParts(name: string): Promise<ConnectionParts> {
    const s = await this.snap(false, name);
    const c = this.connection(s, name).value;
    return { connection: this.effective(s, c), template: structuredClone(this.template(s, c.template).value), secrets: await this.secretsOf(s, name) };
  }

  /**
   * Synchronous and cheap (a few stats): a stamp that stays the same while everything
   * `connectionParts(name)` reads is unchanged (the connection's and its template's files, the
   * folders, hub.json, state.json, its secrets file, the key); undefined when that cannot be told
   * without loading. A caller may keep what it built from the parts under the stamp.
   */
  connectionStamp(name: string): string | undefined {
    const w = this.writing === 0 ? this.watched : undefined;
    if (w === undefined) return this.stampNow(name);
    // Nothing the stamp was taken from changed since (no event, no write): the same stamp, no look-ups.
    const memo = this.stamps.get(name);
    if (memo !== undefined && memo.version === w.version) return memo.stamp;
    const stamp = this.stampNow(name);
    // Only a settled stamp stays true while nothing changes (a recent file is checked on each access).
    if (stamp === undefined) this.stamps.delete(name);
    else this.stamps.set(name, { version: w.version, stamp });
    return stamp;
  }

  private stampNow(name: string): string | undefined {
    const snap = this.reader.stamp(name);
    const file = snap === undefined ? undefined : this.reader.current?.connections.get(name)?.file;
    if (file === undefined) return undefined;
    const secrets = this.cache.identity(secretsFileOf(file));
    if (secrets !== undefined && Date.now() - secrets.changedMs <= RACY_MS) return undefined;
    // No secrets file: no key is needed either.
    const key = secrets === undefined ? '-' : this.keys.stamp();
    if (key === undefined) return undefined;
    return `${snap}|${secrets?.sig ?? '-'}|${key}`;
  }

  private async secretsOf(s: HubSnapshot, connection: string): Promise<SecretMap> {
    const { file } = this.connection(s, connection);
    const secretsFile = secretsFileOf(file);
    const read = await this.cache.read(secretsFile, (text) => readSecretsFile(parseJsonFile(text, this.rel(secretsFile)), this.rel(secretsFile)));
    if (!read || read.value.records.length === 0) return new SecretMap();
    this.checkOwner(read.value, connection, file);
    const box = await this.box(false);
    const key = `${connection}|${box.keys.map((k) => k.id).join(',')}`;
    const hit = this.#secrets.get(read.value, key);
    if (hit) return hit;
    const out = new SecretMap();
    for (const r of read.value.records) out.set(r.name, box.decrypt(connection, r, this.rel(secretsFile)));
    this.#secrets.set(read.value, key, out);
    return out;
  }

  /**
   * Re-encrypts every secret under a new key (one atomic write per file). The key ring keeps the
   * old key until every file is done, so an interrupted rotation loses nothing; run it again.
   * With SNIP_HUB_KEY the new key must be given (`newKey`) and set in SNIP_HUB_KEY afterwards.
   */
  async rotateKey(newKey?: Buffer): Promise<{ keyId: string; previousKeyIds: string[]; connections: number; secrets: number; keyFile: boolean }> {
    const fromEnv = Boolean(this.env.SNIP_HUB_KEY);
    if (fromEnv && !newKey) {
      throw new SnipError('SNIP4009', 'the hub key comes from SNIP_HUB_KEY: give the new key in SNIP_HUB_NEW_KEY, then set SNIP_HUB_KEY to it');
    }
    return this.write(async () => {
      const { connections } = await this.snap(true);
      const old = await this.box(true);
      const fresh: HubKey = { key: newKey ?? generateKey(), id: '' };
      fresh.id = keyIdOf(fresh.key);
      const ring = [fresh, ...old.keys.filter((k) => k.id !== fresh.id)];
      const keyFile = join(this.dir, KEY_FILE);
      if (!fromEnv) await writeKeyFile(keyFile, ring);
      const box = new SecretBox(ring, old.source);
      let secrets = 0;
      for (const { file, value: c } of connections.values()) {
        const sf = await this.readSecrets(file, c.name);
        if (sf.records.length === 0) continue;
        const shown = this.rel(secretsFileOf(file));
        sf.records = sf.records.map((r) => box.encrypt(c.name, r.name, box.decrypt(c.name, r, shown), r.changedAt));
        await writeFileAtomic(secretsFileOf(file), toJsonText(sf));
        secrets += sf.records.length;
      }
      if (!fromEnv) await writeKeyFile(keyFile, [fresh]);
      this.keys.forget();
      return { keyId: fresh.id, previousKeyIds: old.keys.map((k) => k.id), connections: connections.size, secrets, keyFile: !fromEnv };
    });
  }

  /** The key ring (`HubKeys.box`); `create` only under the lock. */
  private box(create: boolean): Promise<SecretBox> {
    return this.keys.box(create, () => this.anySecrets());
  }

  private async anySecrets(): Promise<boolean> {
    const folder = join(this.dir, 'connections');
    for (const n of await this.cache.list(folder)) {
      if (!n.endsWith('.secrets.json') || n.startsWith('.')) continue;
      if ((await this.readSecrets(join(folder, n.replace(/\.secrets\.json$/, '.json')), undefined)).records.length > 0) return true;
    }
    return false;
  }

  /** A copy of the secrets file of a connection file (empty when there is none). */
  private async readSecrets(connectionFile: string, connection: string | undefined): Promise<SecretsFile> {
    const file = secretsFileOf(connectionFile);
    const read = await this.cache.read(file, (text) => readSecretsFile(parseJsonFile(text, this.rel(file)), this.rel(file)));
    if (!read) return { connection: connection ?? '', records: [] };
    if (connection !== undefined) this.checkOwner(read.value, connection, connectionFile);
    return structuredClone(read.value);
  }

  private checkOwner(sf: SecretsFile, connection: string, connectionFile: string): void {
    if (sf.connection !== connection) {
      throw new SnipError('SNIP4001', `${this.rel(secretsFileOf(connectionFile))}: connection "${sf.connection}" does not match "${connection}" of ${this.rel(connectionFile)}`);
    }
  }

  // --- files -------------------------------------------------------------------------------

  /** See `HubReader.snapshot`. */
  private snap(fresh = false, connection?: string): Promise<HubSnapshot> {
    return this.reader.snapshot(fresh, connection);
  }

  /** Runs a read-modify-write under the hub's lock (the folder must exist). */
  private async write<T>(work: () => Promise<T>): Promise<T> {
    if ((await signatureOf(this.dir)) === undefined) throw missingHub(this.shown);
    // Watch mode: reads inside the write stat (they must see what it wrote before any event
    // arrives), and the next access after it looks at every file again.
    this.writing++;
    try {
      return await withHubLock(this.dir, this.shown, work, this.lockOptions);
    } finally {
      this.writing--;
      this.watched?.dirtyAll();
    }
  }

  private rel(file: string): string {
    return join(this.shown, file.slice(this.dir.length + 1));
  }

  /** A file for a new record: the name's slug, numbered when another name has the same slug. */
  private async freeFile(folder: string, name: string): Promise<string> {
    const slug = slugOf(name);
    for (let i = 1; ; i++) {
      const file = join(this.dir, folder, `${i === 1 ? slug : `${slug}-${i}`}.json`);
      if (!(await exists(file))) return file;
    }
  }
}

/** SNIP4040: the hub folder does not exist (a typo in --hub or SNIP_HUB is not an empty hub). */
export function missingHub(shown: string): SnipError {
  const flag = shown === 'hub' ? '' : ` --hub ${/\s/.test(shown) ? JSON.stringify(shown) : shown}`;
  return new SnipError('SNIP4040', `the hub folder ${shown} does not exist; create one with 'snip hub init${flag}', or point --hub or SNIP_HUB at an existing hub`);
}

function secretsFileOf(connectionFile: string): string {
  return connectionFile.replace(/\.json$/, '.secrets.json');
}

async function exists(path: string): Promise<boolean> {
  try {
    await stat(path);
    return true;
  } catch {
    return false;
  }
}
