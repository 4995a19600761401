// Encryption of hub secrets at rest: AES-256-GCM, one random IV per record, the record's place
// (connection + secret name) as associated data, and a key id per record so a key ring can hold the
// old and new keys while `snip hub rotate-key` runs. Keys come from SNIP_HUB_KEY or a 0600 key file.
import { createCipheriv, createDecipheriv, createHash, createHmac, hkdfSync, randomBytes } from 'node:crypto';
import { link, open, readFile, rm } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import { inspect } from 'node:util';
import { SnipError } from '../errors.js';
import { writeFileAtomic } from '../atomic-write.js';

/** One encrypted secret as stored in `<slug>.secrets.json`. */
export interface SecretRecord {
  name: string;
  /** Which key encrypted it (see `keyIdOf`). */
  keyId: string;
  /** Base64 of the 12-byte IV. */
  iv: string;
  /** Base64 of the 16-byte GCM tag. */
  tag: string;
  /** Base64 of the ciphertext. */
  data: string;
  /** Keyed hash of the value (`SecretBox.fingerprint`). */
  fingerprint: string;
  changedAt: string;
}

/** A 32-byte key and its public id. */
export interface HubKey {
  id: string;
  key: Buffer;
}

/** Where the keys came from, for messages (never the key itself). */
export type KeySource = 'SNIP_HUB_KEY' | 'key file';

const KEY_BYTES = 32;

/** The public id of a key: a hash of a derived value, so it says nothing about the key. */
export function keyIdOf(key: Buffer): string {
  return 'k-' + createHash('sha256').update(derive(key, 'snip-hub key-id')).digest('hex').slice(0, 10);
}

function derive(key: Buffer, info: string): Buffer {
  return Buffer.from(hkdfSync('sha256', key, Buffer.alloc(0), info, 32));
}

/** A fresh random key. */
export function generateKey(): Buffer {
  return randomBytes(KEY_BYTES);
}

/**
 * Reads a key written as base64 (44 characters) or hex (64 characters).
 * @throws SnipError SNIP4009 when it is not 32 bytes.
 */
export function parseKey(text: string, where: string): Buffer {
  const t = text.trim();
  let key: Buffer | undefined;
  if (/^[0-9a-fA-F]{64}$/.test(t)) key = Buffer.from(t, 'hex');
  else if (/^[A-Za-z0-9+/_-]{42,44}={0,2}$/.test(t)) key = Buffer.from(t.replace(/-/g, '+').replace(/_/g, '/'), 'base64');
  if (!key || key.length !== KEY_BYTES) {
    throw new SnipError('SNIP4009', `${where} is not a hub key: expected 32 bytes as base64 (44 characters) or hex (64 characters)`);
  }
  return key;
}

/** Keys listed one per line (first = current), `#` comments and blank lines ignored. */
export function parseKeyRing(text: string, where: string): HubKey[] {
  const keys = text
    .split(/[\r\n,]+/)
    .map((l) => l.trim())
    .filter((l) => l !== '' && !l.startsWith('#'))
    .map((l) => parseKey(l, where))
    .map((key) => ({ id: keyIdOf(key), key }));
  if (keys.length === 0) throw new SnipError('SNIP4009', `${where} holds no key`);
  return keys;
}

/** Writes a key ring file (mode 0600) atomically; the first key is the current one. */
export async function writeKeyFile(file: string, keys: readonly HubKey[]): Promise<void> {
  await writeFileAtomic(file, keyFileText(keys), { mode: 0o600 });
}

/**
 * Creates the key file only if none exists: the ring is written to a temporary file (0600, fsync)
 * and hard-linked to `file`, which fails when another process made it first. Returns false then;
 * the caller reads and uses that key. Never replaces an existing key file.
 */
export async function createKeyFile(file: string, keys: readonly HubKey[]): Promise<boolean> {
  const temp = join(dirname(file), `.${basename(file)}.${randomBytes(4).toString('hex')}.tmp`);
  const h = await open(temp, 'wx', 0o600);
  try {
    await h.writeFile(keyFileText(keys), 'utf8');
    await h.chmod(0o600);
    await h.sync();
  } finally {
    await h.close();
  }
  try {
    await link(temp, file);
    return true;
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'EEXIST') return false;
    throw e;
  } finally {
    await rm(temp, { force: true });
  }
}

function keyFileText(keys: readonly HubKey[]): string {
  return ['# snip hub key ring: first line is the current key. Keep this file secret; never commit it.', ...keys.map((k) => k.key.toString('base64'))].join('\n') + '\n';
}

/** Reads the key file; undefined when it does not exist. */
export async function readKeyFile(file: string, shown: string): Promise<HubKey[] | undefined> {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw new SnipError('SNIP4009', `cannot read the hub key file ${shown}: ${(e as Error).message}`);
  }
  return parseKeyRing(text, `the hub key file ${shown}`);
}

/** Encrypts and decrypts secret records with a key ring. */
export class SecretBox {
  private readonly fingerprintKey: Buffer;

  constructor(
    readonly keys: readonly HubKey[],
    readonly source: KeySource,
  ) {
    if (keys.length === 0) throw new SnipError('SNIP4009', 'no hub key');
    this.fingerprintKey = derive(keys[0]!.key, 'snip-hub fingerprint');
  }

  /** Keys never show in logs or serialised objects. */
  [inspect.custom](): string {
    return `SecretBox(${this.current.id} from ${this.source})`;
  }

  toJSON(): { current: string; source: KeySource } {
    return { current: this.current.id, source: this.source };
  }

  /** The key new records are encrypted with. */
  get current(): HubKey {
    return this.keys[0]!;
  }

  /** A short keyed hash of a value: equal values match, the value cannot be recovered from it. */
  fingerprint(value: string): string {
    return createHmac('sha256', this.fingerprintKey).update(value, 'utf8').digest('hex').slice(0, 12);
  }

  /** Encrypts `value` for secret `name` of connection `scope`. */
  encrypt(scope: string, name: string, value: string, changedAt = new Date().toISOString()): SecretRecord {
    const iv = randomBytes(12);
    const cipher = createCipheriv('aes-256-gcm', this.current.key, iv);
    cipher.setAAD(aad(scope, name));
    const data = Buffer.concat([cipher.update(value, 'utf8'), cipher.final()]);
    return {
      name,
      keyId: this.current.id,
      iv: iv.toString('base64'),
      tag: cipher.getAuthTag().toString('base64'),
      data: data.toString('base64'),
      fingerprint: this.fingerprint(value),
      changedAt,
    };
  }

  /**
   * Decrypts a record of connection `scope`.
   * @throws SnipError SNIP4009 when no key of the ring has its key id, or the record does not
   *   authenticate (wrong key, edited or moved record).
   */
  decrypt(scope: string, record: SecretRecord, file: string): string {
    const k = this.keys.find((x) => x.id === record.keyId);
    if (!k) {
      throw new SnipError(
        'SNIP4009',
        `${file}: secret "${record.name}" was encrypted with key ${record.keyId}, but the hub key from ${this.source} is ${this.current.id}; ` +
          'set SNIP_HUB_KEY (or restore the key file) to the key used, nothing was changed',
      );
    }
    try {
      const decipher = createDecipheriv('aes-256-gcm', k.key, Buffer.from(record.iv, 'base64'));
      decipher.setAAD(aad(scope, record.name));
      decipher.setAuthTag(Buffer.from(record.tag, 'base64'));
      return Buffer.concat([decipher.update(Buffer.from(record.data, 'base64')), decipher.final()]).toString('utf8');
    } catch {
      throw new SnipError('SNIP4009', `${file}: secret "${record.name}" cannot be decrypted with key ${k.id} (the record was edited, moved to another connection, or the key is wrong); nothing was changed`);
    }
  }
}

// Binds a record to its place: copying it to another connection or name makes it fail to decrypt.
function aad(scope: string, name: string): Buffer {
  return Buffer.from(`${scope}\u0000${name}`, 'utf8');
}
