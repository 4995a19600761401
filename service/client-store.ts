// OAuth clients of the service: each belongs to one tenant and has scopes. Secrets are shown once
// when a client is added and stored only as scrypt hashes, in `clients.json` under the state folder,
// written atomically. The file is re-read when it changes, so `snip serve client add` takes effect
// on a running service without a restart.
import { randomBytes, scrypt as scryptCb, timingSafeEqual, type ScryptOptions } from 'node:crypto';
import { promises as fs } from 'node:fs';
import path from 'node:path';
import { writeFileAtomic } from '../runtime/atomic-write.js';
import { ServiceError } from './errors.js';

/** What a client may do: run scripts, or administer the tenant's hub. */
export type Scope = 'run' | 'admin';
export const SCOPES: readonly Scope[] = ['run', 'admin'];

/** A stored client (never its secret). */
export interface ClientRecord {
  id: string;
  tenant: string;
  scopes: Scope[];
  /** `scrypt$N$r$p$salt$hash`, base64url parts. */
  secretHash: string;
  createdAt: string;
}

interface ClientsFile {
  version: 1;
  clients: ClientRecord[];
}

/** Prefix of client secrets: lets the log masker recognise one anywhere. */
export const SECRET_PREFIX = 'snipcs_';

const SCRYPT = { N: 16384, r: 8, p: 1, keylen: 32 };

function scrypt(secret: string, salt: Buffer, o: ScryptOptions & { keylen: number }): Promise<Buffer> {
  return new Promise((resolve, reject) =>
    scryptCb(secret, salt, o.keylen, { N: o.N, r: o.r, p: o.p, maxmem: 64 * 1024 * 1024 }, (err, key) => (err ? reject(err) : resolve(key))),
  );
}

/** Hashes a secret for storage. */
export async function hashSecret(secret: string): Promise<string> {
  const salt = randomBytes(16);
  const key = await scrypt(secret, salt, SCRYPT);
  return ['scrypt', SCRYPT.N, SCRYPT.r, SCRYPT.p, salt.toString('base64url'), key.toString('base64url')].join('$');
}

/** Whether `secret` matches a stored hash (constant time in the hash comparison). */
export async function verifySecret(secret: string, stored: string): Promise<boolean> {
  const [kind, n, r, p, salt, hash] = stored.split('$');
  if (kind !== 'scrypt' || !salt || !hash) return false;
  const expected = Buffer.from(hash, 'base64url');
  const key = await scrypt(secret, Buffer.from(salt, 'base64url'), { N: Number(n), r: Number(r), p: Number(p), keylen: expected.length });
  return key.length === expected.length && timingSafeEqual(key, expected);
}

/**
 * Where the service's clients live: `clients.json` (`ClientStore`, the default) or PostgreSQL
 * (`PgClientStore`). Both store only scrypt hashes and answer in the same time for unknown ids.
 */
export interface ClientDirectory {
  /** Every client. */
  list(): Promise<ClientRecord[]>;
  /** Adds a client and returns it with its secret (shown once). @throws ServiceError SNIP6020 */
  add(tenant: string, scopes: readonly string[]): Promise<{ client: ClientRecord; secret: string }>;
  /** Removes a client; false when there was none. */
  remove(id: string): Promise<boolean>;
  /** The client when id and secret match, else undefined (same cost either way). */
  authenticate(id: string, secret: string): Promise<ClientRecord | undefined>;
}

/** A new client of `tenant` with its one-time secret. @throws ServiceError SNIP6020 for an unknown scope. */
export async function newClient(tenant: string, scopes: readonly string[]): Promise<{ client: ClientRecord; secret: string }> {
  checkScopes(scopes);
  const secret = SECRET_PREFIX + randomBytes(32).toString('base64url');
  const client: ClientRecord = {
    id: `${tenant}-${randomBytes(6).toString('hex')}`,
    tenant,
    scopes: [...new Set(scopes as Scope[])],
    secretHash: await hashSecret(secret),
    createdAt: new Date().toISOString(),
  };
  return { client, secret };
}

function checkScopes(scopes: readonly string[]): void {
  for (const s of scopes) {
    if (!SCOPES.includes(s as Scope)) throw new ServiceError(400, 'SNIP6020', `unknown scope '${s}' (use ${SCOPES.join(', ')})`);
  }
}

/** The client when `secret` matches, else undefined; an unknown client costs one scrypt too. */
export async function authenticateAgainst(client: ClientRecord | undefined, secret: string): Promise<ClientRecord | undefined> {
  const ok = await verifySecret(secret, client?.secretHash ?? (await DUMMY_HASH));
  return client && ok ? client : undefined;
}

// Verifying an unknown client id still costs one scrypt, so timing does not tell which ids exist.
const DUMMY_HASH = hashSecret('unknown-client');

/** The clients file of a state folder. */
export class ClientStore implements ClientDirectory {
  readonly file: string;
  private cache: { mtimeMs: number; size: number; clients: ClientRecord[] } | undefined;
  private writing: Promise<unknown> = Promise.resolve();

  constructor(stateDir: string) {
    this.file = path.join(stateDir, 'clients.json');
  }

  /** Every client, re-read when the file changed. */
  async list(): Promise<ClientRecord[]> {
    let st;
    try {
      st = await fs.stat(this.file);
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code === 'ENOENT') return [];
      throw e;
    }
    if (this.cache && this.cache.mtimeMs === st.mtimeMs && this.cache.size === st.size) return this.cache.clients;
    const data = JSON.parse(await fs.readFile(this.file, 'utf8')) as ClientsFile;
    const clients = Array.isArray(data.clients) ? data.clients : [];
    this.cache = { mtimeMs: st.mtimeMs, size: st.size, clients };
    return clients;
  }

  /**
   * Adds a client of `tenant` and returns it with its secret (shown once, never stored).
   * @throws ServiceError SNIP6020 for an unknown scope.
   */
  add(tenant: string, scopes: readonly string[]): Promise<{ client: ClientRecord; secret: string }> {
    checkScopes(scopes);
    const next = this.writing.then(async () => {
      const { client, secret } = await newClient(tenant, scopes);
      const clients = [...(await this.list()), client];
      await fs.mkdir(path.dirname(this.file), { recursive: true, mode: 0o700 });
      await writeFileAtomic(this.file, JSON.stringify({ version: 1, clients } satisfies ClientsFile, null, 2) + '\n', { mode: 0o600 });
      this.cache = undefined;
      return { client, secret };
    });
    this.writing = next.catch(() => undefined);
    return next;
  }

  /** Removes a client; its tokens stop working when they are next checked. */
  remove(id: string): Promise<boolean> {
    const next = this.writing.then(async () => {
      const all = await this.list();
      const kept = all.filter((c) => c.id !== id);
      if (kept.length === all.length) return false;
      await writeFileAtomic(this.file, JSON.stringify({ version: 1, clients: kept } satisfies ClientsFile, null, 2) + '\n', { mode: 0o600 });
      this.cache = undefined;
      return true;
    });
    this.writing = next.catch(() => undefined);
    return next;
  }

  /** The client when id and secret match, else undefined (same cost either way). */
  async authenticate(id: string, secret: string): Promise<ClientRecord | undefined> {
    return authenticateAgainst((await this.list()).find((c) => c.id === id), secret);
  }
}
