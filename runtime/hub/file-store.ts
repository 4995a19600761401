// The embedded hub store: plain JSON files under a hub folder (default `hub/`), one per template and
// per connection, secrets encrypted beside their connection. Every file is validated on load and
// replaced atomically on write. Layout and key handling are documented in docs/hub.md.
import { mkdir, readdir, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { isAbsolute, join, resolve } from 'node:path';
import { randomUUID } from 'node:crypto';
import { SnipError } from '../errors.js';
import { DEFAULT_TIMEOUT_MS, MAX_REQUESTS, hasAuthentication, slugOf, type Connection, type HubRequest, type SecretInfo, type Template } from './model.js';
import { validateConnection, validateRequest, validateSecretName, validateTemplate } from './rules.js';
import type { ConnectionPatch, HubStore, NewConnection, NewRequest, NewTemplate } from './store.js';
import { TEMP_SUFFIX, writeFileAtomic } from '../atomic-write.js';
import { parseJsonFile, problemsError, readConnection, readSecretsFile, readTemplate, toJsonText, type SecretsFile } from './file-format.js';
import { SecretBox, generateKey, keyIdOf, parseKeyRing, readKeyFile, writeKeyFile, type HubKey } from './secret-box.js';

/** Name of the key file inside the hub folder (git-ignored by the hub's own .gitignore). */
export const KEY_FILE = '.hubkey';

const GITIGNORE = `# Written by snip hub: the key file must never be committed.\n${KEY_FILE}\n*${TEMP_SUFFIX}\n`;

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
}

/** The hub folder from `--hub`, then `SNIP_HUB`, then `hub` under the working directory. */
export function hubDirFrom(flag: string | undefined, env: Record<string, string | undefined>): string {
  return flag ?? (env.SNIP_HUB || 'hub');
}

interface Loaded<T> {
  value: T;
  file: string;
}

/** A `HubStore` over JSON files; see the module comment. */
export class FileHubStore implements HubStore {
  readonly dir: string;
  /** The folder as the user gave it, for messages (never an absolute machine path unless given so). */
  readonly shown: string;
  private readonly env: Record<string, string | undefined>;
  private readonly notice: (text: string) => void;
  private readonly now: () => Date;
  private hubId: string | undefined;

  constructor(options: FileHubStoreOptions) {
    this.dir = isAbsolute(options.dir) ? options.dir : resolve(options.cwd ?? '.', options.dir);
    this.shown = options.dir.replace(/\/+$/, '');
    this.env = options.env ?? {};
    this.notice = options.notice ?? (() => undefined);
    this.now = options.now ?? (() => new Date());
  }

  get id(): string {
    return this.hubId ?? 'default';
  }

  /** Creates the folder layout, `.gitignore` and `hub.json` when missing. Returns whether anything was created. */
  async init(): Promise<boolean> {
    let created = false;
    for (const d of [this.dir, join(this.dir, 'templates'), join(this.dir, 'connections')]) {
      if (!(await exists(d))) created = true;
      await mkdir(d, { recursive: true });
    }
    const ignore = join(this.dir, '.gitignore');
    if (!(await exists(ignore))) {
      await writeFile(ignore, GITIGNORE);
      created = true;
    }
    const meta = join(this.dir, 'hub.json');
    if (!(await exists(meta))) {
      await writeFileAtomic(meta, toJsonText({ format: 1, id: randomUUID() }));
      created = true;
    }
    await this.loadId();
    return created;
  }

  private async loadId(): Promise<void> {
    const file = join(this.dir, 'hub.json');
    if (!(await exists(file))) return;
    const json = parseJsonFile(await readFile(file, 'utf8'), this.rel(file));
    const id = (json as { id?: unknown })?.id;
    if (typeof id !== 'string' || id === '') throw new SnipError('SNIP4001', `${this.rel(file)}: id must be a non-empty text`);
    this.hubId = id;
  }

  private rel(file: string): string {
    return join(this.shown, file.slice(this.dir.length + 1));
  }

  // --- templates ---------------------------------------------------------------------------

  async createTemplate(input: NewTemplate): Promise<Template> {
    await this.init();
    const t: Template = {
      name: input.name,
      application: input.application,
      integrationMethod: 'REST',
      authType: input.authType,
      description: input.description ?? '',
      verbs: input.verbs.map((v) => v.toUpperCase()),
      authHeaders: input.authHeaders ?? [],
      createdAt: this.now().toISOString(),
    };
    if (input.icon !== undefined) t.icon = input.icon;
    const problems = validateTemplate(t);
    if (problems.length) throw problemsError(problems);
    if ((await this.templates()).has(t.name)) {
      throw new SnipError('SNIP4004', `template "${t.name}" already exists and templates cannot change once saved; create a template with a new name`);
    }
    await writeFileAtomic(await this.freeFile('templates', t.name), toJsonText(t));
    return t;
  }

  async getTemplate(name: string): Promise<Template> {
    const t = (await this.templates()).get(name);
    if (!t) throw new SnipError('SNIP4002', `no template named "${name}"`);
    return t.value;
  }

  async listTemplates(): Promise<Template[]> {
    return [...(await this.templates()).values()].map((t) => t.value).sort((a, b) => a.name.localeCompare(b.name));
  }

  private async templates(): Promise<Map<string, Loaded<Template>>> {
    const out = new Map<string, Loaded<Template>>();
    for (const file of await this.jsonFiles('templates')) {
      const t = readTemplate(parseJsonFile(await readFile(file, 'utf8'), this.rel(file)), this.rel(file));
      const problems = validateTemplate(t);
      if (problems.length) throw problemsError(problems, this.rel(file));
      const dup = out.get(t.name);
      if (dup) throw new SnipError('SNIP4001', `${this.rel(file)}: name "${t.name}" is also used by ${this.rel(dup.file)}`);
      out.set(t.name, { value: t, file });
    }
    return out;
  }

  // --- connections -------------------------------------------------------------------------

  async createConnection(input: NewConnection): Promise<Connection> {
    await this.init();
    const template = await this.getTemplate(input.template);
    const at = this.now().toISOString();
    const c: Connection = {
      name: input.name,
      template: template.name,
      timeoutMs: input.timeoutMs ?? DEFAULT_TIMEOUT_MS,
      auth: { headers: {}, query: {} },
      secrets: [],
      requests: [],
      status: hasAuthentication(template.authType) ? 'pending' : 'authorized',
      createdAt: at,
      updatedAt: at,
    };
    if (input.resourceDomain !== undefined) c.resourceDomain = input.resourceDomain;
    if (input.caBundle !== undefined) c.caBundle = input.caBundle;
    const problems = validateConnection(c, template);
    if (problems.length) throw problemsError(problems);
    if ((await this.connections()).has(c.name)) throw new SnipError('SNIP4003', `connection "${c.name}" already exists`);
    await writeFileAtomic(await this.freeFile('connections', c.name), toJsonText(c));
    return c;
  }

  async getConnection(name: string): Promise<Connection> {
    return (await this.loadConnection(name)).value;
  }

  async listConnections(): Promise<Connection[]> {
    return [...(await this.connections()).values()].map((c) => c.value).sort((a, b) => a.name.localeCompare(b.name));
  }

  async updateConnection(name: string, patch: ConnectionPatch): Promise<Connection> {
    return this.change(name, (c, template) => {
      if (patch.timeoutMs !== undefined) c.timeoutMs = patch.timeoutMs;
      setOptional(c, 'resourceDomain', patch.resourceDomain);
      setOptional(c, 'caBundle', patch.caBundle);
      setOptional(c, 'mtls', patch.mtls);
      if (patch.auth) c.auth = { ...patch.auth, headers: { ...patch.auth.headers }, query: { ...patch.auth.query } };
      if ((patch.auth || patch.mtls !== undefined) && hasAuthentication(template.authType)) {
        // New credentials have not been proven yet.
        c.status = 'pending';
        delete c.authorizedAt;
      }
    });
  }

  async deleteConnection(name: string): Promise<void> {
    const { file } = await this.loadConnection(name);
    await rm(secretsFileOf(file), { force: true });
    await rm(file, { force: true });
  }

  async markAuthorized(name: string): Promise<Connection> {
    return this.change(name, (c) => {
      c.status = 'authorized';
      c.authorizedAt = this.now().toISOString();
    });
  }

  private async connections(): Promise<Map<string, Loaded<Connection>>> {
    const templates = await this.templates();
    const out = new Map<string, Loaded<Connection>>();
    for (const file of await this.jsonFiles('connections')) {
      const shown = this.rel(file);
      const c = readConnection(parseJsonFile(await readFile(file, 'utf8'), shown), shown);
      const t = templates.get(c.template);
      if (!t) throw new SnipError('SNIP4001', `${shown}: template "${c.template}" does not exist in ${this.shown}/templates`);
      const problems = validateConnection(c, t.value);
      if (problems.length) throw problemsError(problems, shown);
      const dup = out.get(c.name);
      if (dup) throw new SnipError('SNIP4001', `${shown}: name "${c.name}" is also used by ${this.rel(dup.file)}`);
      out.set(c.name, { value: c, file });
    }
    return out;
  }

  private async loadConnection(name: string): Promise<Loaded<Connection>> {
    const c = (await this.connections()).get(name);
    if (!c) throw new SnipError('SNIP4002', `no connection named "${name}"`);
    return c;
  }

  /** Loads, changes, re-validates and writes back one connection. */
  private async change(name: string, edit: (c: Connection, t: Template) => void): Promise<Connection> {
    const { value: c, file } = await this.loadConnection(name);
    const template = await this.getTemplate(c.template);
    edit(c, template);
    c.updatedAt = this.now().toISOString();
    const problems = validateConnection(c, template);
    if (problems.length) throw problemsError(problems);
    await writeFileAtomic(file, toJsonText(c));
    return c;
  }

  // --- requests ----------------------------------------------------------------------------

  async addRequest(connection: string, input: NewRequest): Promise<HubRequest> {
    const at = this.now().toISOString();
    const r: HubRequest = { name: input.name, trigger: input.trigger, active: input.active ?? true, headers: input.headers ?? {}, query: input.query ?? {}, createdAt: at, updatedAt: at };
    for (const k of ['url', 'method', 'mediaType', 'body'] as const) if (input[k] !== undefined) r[k] = k === 'method' ? input[k]!.toUpperCase() : input[k];
    await this.change(connection, (c, template) => {
      if (c.requests.some((x) => x.name === r.name)) throw new SnipError('SNIP4003', `connection "${c.name}" already has a request named "${r.name}"`);
      if (c.requests.length >= MAX_REQUESTS) throw new SnipError('SNIP4010', `connection "${c.name}" already has ${MAX_REQUESTS} requests, the most allowed; delete one first`);
      const problems = validateRequest(c, r, template);
      if (problems.length) throw problemsError(problems);
      c.requests.push(r);
    });
    return r;
  }

  async getRequest(connection: string, name: string): Promise<HubRequest> {
    const c = await this.getConnection(connection);
    const r = c.requests.find((x) => x.name === name);
    if (!r) throw new SnipError('SNIP4002', `connection "${connection}" has no request named "${name}"`);
    return r;
  }

  async listRequests(connection: string): Promise<HubRequest[]> {
    return (await this.getConnection(connection)).requests;
  }

  async setRequestActive(connection: string, name: string, active: boolean): Promise<HubRequest> {
    await this.getRequest(connection, name);
    const c = await this.change(connection, (c) => {
      const r = c.requests.find((x) => x.name === name)!;
      r.active = active;
      r.updatedAt = this.now().toISOString();
    });
    return c.requests.find((x) => x.name === name)!;
  }

  async deleteRequest(connection: string, name: string): Promise<void> {
    await this.getRequest(connection, name);
    await this.change(connection, (c) => {
      c.requests = c.requests.filter((x) => x.name !== name);
    });
  }

  // --- secrets -----------------------------------------------------------------------------

  async setSecret(connection: string, name: string, value: string): Promise<SecretInfo> {
    const problems = validateSecretName(connection, name);
    if (problems.length) throw problemsError(problems);
    const { file } = await this.loadConnection(connection);
    const box = await this.box(true);
    const sf = await this.readSecrets(file, connection);
    // Every existing record must still decrypt: writing beside unreadable ones would hide a key mix-up.
    for (const r of sf.records) box.decrypt(connection, r, this.rel(secretsFileOf(file)));
    const record = box.encrypt(connection, name, value, this.now().toISOString());
    sf.records = [...sf.records.filter((r) => r.name !== name), record].sort((a, b) => a.name.localeCompare(b.name));
    await writeFileAtomic(secretsFileOf(file), toJsonText(sf));
    await this.change(connection, (c) => {
      c.secrets = sf.records.map((r) => r.name);
    });
    return { name, fingerprint: record.fingerprint, changedAt: record.changedAt };
  }

  async deleteSecret(connection: string, name: string): Promise<void> {
    const { file } = await this.loadConnection(connection);
    const sf = await this.readSecrets(file, connection);
    if (!sf.records.some((r) => r.name === name)) throw new SnipError('SNIP4008', `connection "${connection}" has no secret named "${name}"`);
    sf.records = sf.records.filter((r) => r.name !== name);
    await writeFileAtomic(secretsFileOf(file), toJsonText(sf));
    await this.change(connection, (c) => {
      c.secrets = sf.records.map((r) => r.name);
    });
  }

  async listSecrets(connection: string): Promise<SecretInfo[]> {
    const { file } = await this.loadConnection(connection);
    return (await this.readSecrets(file, connection)).records.map((r) => ({ name: r.name, fingerprint: r.fingerprint, changedAt: r.changedAt }));
  }

  async resolveSecrets(connection: string): Promise<Map<string, string>> {
    const { file } = await this.loadConnection(connection);
    const sf = await this.readSecrets(file, connection);
    const out = new Map<string, string>();
    if (sf.records.length === 0) return out;
    const box = await this.box(false);
    for (const r of sf.records) out.set(r.name, box.decrypt(connection, r, this.rel(secretsFileOf(file))));
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
    const connections = await this.connections();
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
    return { keyId: fresh.id, previousKeyIds: old.keys.map((k) => k.id), connections: connections.size, secrets, keyFile: !fromEnv };
  }

  /** The key ring from SNIP_HUB_KEY or the key file; `create` makes a key file on first use. */
  private async box(create: boolean): Promise<SecretBox> {
    const envKey = this.env.SNIP_HUB_KEY;
    if (envKey) return new SecretBox(parseKeyRing(envKey, 'SNIP_HUB_KEY'), 'SNIP_HUB_KEY');
    const file = join(this.dir, KEY_FILE);
    const shown = this.rel(file);
    const keys = await readKeyFile(file, shown);
    if (keys) return new SecretBox(keys, 'key file');
    if (!create || (await this.anySecrets())) {
      throw new SnipError('SNIP4009', `no hub key: set SNIP_HUB_KEY or restore ${shown}; the stored secrets cannot be decrypted without the key they were encrypted with`);
    }
    await this.init();
    const key = generateKey();
    await writeKeyFile(file, [{ id: keyIdOf(key), key }]);
    this.notice(`snip hub: created a new secret key in ${shown} (mode 0600, git-ignored); back it up or set SNIP_HUB_KEY, the secrets cannot be read without it`);
    return new SecretBox([{ id: keyIdOf(key), key }], 'key file');
  }

  private async anySecrets(): Promise<boolean> {
    for (const file of await this.jsonFiles('connections')) {
      if ((await this.readSecrets(file, undefined)).records.length > 0) return true;
    }
    return false;
  }

  private async readSecrets(connectionFile: string, connection: string | undefined): Promise<SecretsFile> {
    const file = secretsFileOf(connectionFile);
    let text: string;
    try {
      text = await readFile(file, 'utf8');
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code === 'ENOENT') return { connection: connection ?? '', records: [] };
      throw e;
    }
    const sf = readSecretsFile(parseJsonFile(text, this.rel(file)), this.rel(file));
    if (connection !== undefined && sf.connection !== connection) {
      throw new SnipError('SNIP4001', `${this.rel(file)}: connection "${sf.connection}" does not match "${connection}" of ${this.rel(connectionFile)}`);
    }
    return sf;
  }

  // --- files -------------------------------------------------------------------------------

  private async jsonFiles(folder: string): Promise<string[]> {
    if (this.hubId === undefined) await this.loadId();
    let names: string[];
    try {
      names = await readdir(join(this.dir, folder));
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code === 'ENOENT') return [];
      throw e;
    }
    return names
      .filter((n) => n.endsWith('.json') && !n.startsWith('.') && !n.endsWith('.secrets.json'))
      .sort()
      .map((n) => join(this.dir, folder, n));
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

function secretsFileOf(connectionFile: string): string {
  return connectionFile.replace(/\.json$/, '.secrets.json');
}

function setOptional<K extends 'resourceDomain' | 'caBundle' | 'mtls'>(c: Connection, key: K, v: Connection[K] | null | undefined): void {
  if (v === undefined) return;
  if (v === null) delete c[key];
  else c[key] = v;
}

async function exists(path: string): Promise<boolean> {
  try {
    await stat(path);
    return true;
  } catch {
    return false;
  }
}
