// The hub's key ring, read once per process: from SNIP_HUB_KEY, or from the key file while the file
// is unchanged (key ids and derived keys are computed once). On first use (under the hub lock) the
// key file is created with an exclusive create, so concurrent first writers end up with one key.
import { SnipError } from '../errors.js';
import { RACY_MS, identityNow, type IdentitySource } from './file-cache.js';
import { SecretBox, createKeyFile, generateKey, keyIdOf, parseKeyRing, readKeyFile } from './secret-box.js';

/** Where a hub's keys come from; holds the loaded ring in a private field only. */
export class HubKeys {
  #box: { sig: string; box: SecretBox } | undefined;

  /**
   * @param file the key file (absolute); `shown` is how messages name it
   * @param notice told when a key file was created (meant for stderr)
   */
  constructor(
    private readonly file: string,
    private readonly shown: string,
    private readonly env: Record<string, string | undefined>,
    private readonly notice: (text: string) => void,
    /** How the key file's identity is taken (a stat, or a watcher's memory of one). */
    private readonly identity: IdentitySource = identityNow,
  ) {}

  /** Drops the loaded ring (after a rotation rewrote the key file). */
  forget(): void {
    this.#box = undefined;
  }

  /**
   * Synchronous: names the loaded ring (by key ids and where it came from) while it is still the
   * one `box` would return; undefined when `box` would have to read or create it.
   */
  stamp(): string | undefined {
    const held = this.#box;
    if (held === undefined) return undefined;
    const ids = held.box.keys.map((k) => k.id).join(',');
    const envKey = this.env.SNIP_HUB_KEY;
    if (envKey) return held.sig === `env:${envKey}` ? `env:${ids}` : undefined;
    const id = this.identity(this.file);
    if (id === undefined || held.sig !== `file:${id.sig}` || Date.now() - id.changedMs <= RACY_MS) return undefined;
    return `file:${id.sig}:${ids}`;
  }

  toJSON(): Record<string, never> {
    return {};
  }

  /**
   * The key ring from SNIP_HUB_KEY or the key file, kept while unchanged (key ids and derived keys
   * are computed once). `create` (under the lock) makes a key file on first use, with an exclusive
   * create: a process that loses the race uses the winner's key.
   */
  async box(create: boolean, anySecrets: () => Promise<boolean>): Promise<SecretBox> {
    const envKey = this.env.SNIP_HUB_KEY;
    if (envKey) {
      const sig = `env:${envKey}`;
      if (this.#box?.sig !== sig) this.#box = { sig, box: new SecretBox(parseKeyRing(envKey, 'SNIP_HUB_KEY'), 'SNIP_HUB_KEY') };
      return this.#box.box;
    }
    const { file, shown } = this;
    const id = this.identity(file);
    if (id !== undefined && this.#box?.sig === `file:${id.sig}`) return this.#box.box;
    const keys = await readKeyFile(file, shown);
    if (keys) {
      const box = new SecretBox(keys, 'key file');
      // Kept only once the file has been quiet for a while (file-cache.ts: coarse file times).
      if (id !== undefined && Date.now() - id.changedMs > RACY_MS) this.#box = { sig: `file:${id.sig}`, box };
      return box;
    }
    if (!create || (await anySecrets())) {
      throw new SnipError('SNIP4009', `no hub key: set SNIP_HUB_KEY or restore ${shown}; the stored secrets cannot be decrypted without the key they were encrypted with`);
    }
    const key = generateKey();
    if (await createKeyFile(file, [{ id: keyIdOf(key), key }])) {
      this.notice(`snip hub: created a new secret key in ${shown} (mode 0600, git-ignored); back it up or set SNIP_HUB_KEY, the secrets cannot be read without it`);
    }
    const made = await readKeyFile(file, shown);
    if (!made) throw new SnipError('SNIP4009', `the hub key file ${shown} disappeared while it was being created`);
    return new SecretBox(made, 'key file');
  }
}
