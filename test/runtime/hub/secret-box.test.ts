// Secret encryption: round trip, wrong key refused, records bound to their place, key parsing.
import { readFileSync, readdirSync, statSync } from 'node:fs';
import { inspect } from 'node:util';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { SnipError } from '../../../runtime/errors.js';
import { SecretBox, createKeyFile, generateKey, keyIdOf, parseKey, parseKeyRing, readKeyFile, writeKeyFile } from '../../../runtime/hub/secret-box.js';
import { SecretMap } from '../../../runtime/hub/secret-map.js';
import { tempDir } from '../../helpers/temp-dir.js';

const ring = (key = generateKey()) => [{ id: keyIdOf(key), key }];

function codeOf(fn: () => unknown): string | undefined {
  try {
    fn();
  } catch (e) {
    return e instanceof SnipError ? e.code : 'not a SnipError';
  }
  return undefined;
}

describe('SecretBox', () => {
  it('round-trips any value without storing it in clear', () => {
    const box = new SecretBox(ring(), 'key file');
    const value = 'p@ss wörd "quoted" \n line2 🔑';
    const rec = box.encrypt('Agents API', 'client secret', value);
    expect(JSON.stringify(rec)).not.toContain('wörd');
    expect(rec.keyId).toBe(box.current.id);
    expect(box.decrypt('Agents API', rec, 'f.json')).toBe(value);
  });
  it('uses a fresh IV per record', () => {
    const box = new SecretBox(ring(), 'key file');
    const a = box.encrypt('C', 'n', 'same');
    const b = box.encrypt('C', 'n', 'same');
    expect(a.iv).not.toBe(b.iv);
    expect(a.data).not.toBe(b.data);
    expect(a.fingerprint).toBe(b.fingerprint);
  });
  it('refuses a different key with SNIP4009, naming both key ids', () => {
    const rec = new SecretBox(ring(), 'key file').encrypt('C', 'n', 'value');
    const other = new SecretBox(ring(), 'SNIP_HUB_KEY');
    expect(codeOf(() => other.decrypt('C', rec, 'hub/connections/c.secrets.json'))).toBe('SNIP4009');
    expect(() => other.decrypt('C', rec, 'hub/connections/c.secrets.json')).toThrow(new RegExp(`${rec.keyId}.*${other.current.id}`));
  });
  it('refuses a record moved to another connection or name, or edited', () => {
    const box = new SecretBox(ring(), 'key file');
    const rec = box.encrypt('C', 'n', 'value');
    expect(codeOf(() => box.decrypt('D', rec, 'f'))).toBe('SNIP4009');
    expect(codeOf(() => box.decrypt('C', { ...rec, name: 'm' }, 'f'))).toBe('SNIP4009');
    const flipped = Buffer.from(rec.data, 'base64');
    flipped[0] = flipped[0]! ^ 1;
    expect(codeOf(() => box.decrypt('C', { ...rec, data: flipped.toString('base64') }, 'f'))).toBe('SNIP4009');
  });
  it('decrypts records of an older key in the ring', () => {
    const oldKey = generateKey();
    const rec = new SecretBox(ring(oldKey), 'key file').encrypt('C', 'n', 'value');
    const both = new SecretBox([...ring(), ...ring(oldKey)], 'key file');
    expect(both.decrypt('C', rec, 'f')).toBe('value');
  });
  it('fingerprints are keyed: another key gives another fingerprint', () => {
    expect(new SecretBox(ring(), 'key file').fingerprint('v')).not.toBe(new SecretBox(ring(), 'key file').fingerprint('v'));
    expect(new SecretBox(ring(), 'key file').fingerprint('v')).toMatch(/^[0-9a-f]{12}$/);
  });
});

describe('keys', () => {
  it('reads base64 and hex keys and refuses anything else with SNIP4009', () => {
    const key = generateKey();
    expect(parseKey(key.toString('base64'), 'SNIP_HUB_KEY').equals(key)).toBe(true);
    expect(parseKey(key.toString('hex'), 'SNIP_HUB_KEY').equals(key)).toBe(true);
    expect(codeOf(() => parseKey('short', 'SNIP_HUB_KEY'))).toBe('SNIP4009');
    expect(codeOf(() => parseKey(Buffer.alloc(16).toString('base64'), 'SNIP_HUB_KEY'))).toBe('SNIP4009');
  });
  it('reads a ring with comments, first key current', () => {
    const [a, b] = [generateKey(), generateKey()];
    const keys = parseKeyRing(`# comment\n${a.toString('base64')}\n\n${b.toString('hex')}\n`, 'f');
    expect(keys.map((k) => k.id)).toEqual([keyIdOf(a), keyIdOf(b)]);
  });
  it('writes the key file with mode 0600 and reads it back', async () => {
    const dir = tempDir('snip-key-');
    const file = path.join(dir, '.hubkey');
    const keys = ring();
    await writeKeyFile(file, keys);
    expect(statSync(file).mode & 0o777).toBe(0o600);
    expect((await readKeyFile(file, 'hub/.hubkey'))!.map((k) => k.id)).toEqual(keys.map((k) => k.id));
    expect(readFileSync(file, 'utf8')).toContain(keys[0]!.key.toString('base64'));
    expect(await readKeyFile(path.join(dir, 'missing'), 'x')).toBeUndefined();
  });
  it('key ids do not reveal the key', () => {
    const key = generateKey();
    expect(keyIdOf(key)).toMatch(/^k-[0-9a-f]{10}$/);
    expect(key.toString('hex')).not.toContain(keyIdOf(key).slice(2));
  });
});

describe('key file creation and secret holders', () => {
  it('creates the key file once: a second creator gets false and the first key stays', async () => {
    const dir = tempDir('snip-keyfile-');
    const file = path.join(dir, '.hubkey');
    const first = ring();
    const second = ring();
    const made = await Promise.all([createKeyFile(file, first), createKeyFile(file, second)]);
    expect(made.filter(Boolean)).toHaveLength(1);
    const kept = (await readKeyFile(file, 'hub/.hubkey'))!;
    expect([first[0]!.id, second[0]!.id]).toContain(kept[0]!.id);
    expect(await createKeyFile(file, ring())).toBe(false);
    expect((await readKeyFile(file, 'hub/.hubkey'))![0]!.id).toBe(kept[0]!.id);
    expect(statSync(file).mode & 0o777).toBe(0o600);
    expect(readdirSync(dir)).toEqual(['.hubkey']);
  });

  it('never shows keys or secret values through inspect, JSON or String', () => {
    const key = generateKey();
    const box = new SecretBox(ring(key), 'key file');
    const secrets = new SecretMap([['client_secret', 'hidden-Value-91']]);
    const text = [inspect(box, { depth: Infinity }), JSON.stringify(box), inspect(secrets), JSON.stringify(secrets), String(secrets), inspect({ secrets }, { depth: Infinity })].join('\n');
    expect(text).not.toContain('hidden-Value-91');
    expect(text).not.toContain(key.toString('base64'));
    expect(text).not.toContain(key.toString('hex').slice(0, 16));
    expect(secrets.get('client_secret')).toBe('hidden-Value-91');
  });
});
