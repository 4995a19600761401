// Decrypted secret values in memory. The store keeps them for the process lifetime (so a run does
// not decrypt again), and hands each run a copy. Neither can be printed or serialised by accident:
// JSON.stringify gives `{}`, util.inspect / console.log and String() show only how many values
// there are. Code that iterates one on purpose (the HTTP layer, at send time) still can.
import { inspect } from 'node:util';

/** A `Map` of secret name to value that hides its values from serialisation and inspection. */
export class SecretMap extends Map<string, string> {
  toJSON(): Record<string, never> {
    return {};
  }

  [inspect.custom](): string {
    return `SecretMap(${this.size}) [values hidden]`;
  }

  override toString(): string {
    return `SecretMap(${this.size}) [values hidden]`;
  }
}

/**
 * The store's process-lifetime cache of decrypted secrets, keyed by the parsed secrets file they
 * came from (a new parse, after the file changed, is a new key) and the key ring's ids. Values live
 * in a private field only, and go with the parsed file when the store drops it.
 */
export class SecretVault {
  readonly #entries = new WeakMap<object, { key: string; values: ReadonlyMap<string, string> }>();

  /** A copy of the values decrypted from `source` with key ring `key`, else undefined. */
  get(source: object, key: string): SecretMap | undefined {
    const e = this.#entries.get(source);
    return e && e.key === key ? new SecretMap(e.values) : undefined;
  }

  set(source: object, key: string, values: ReadonlyMap<string, string>): void {
    this.#entries.set(source, { key, values: new Map(values) });
  }

  toJSON(): Record<string, never> {
    return {};
  }

  [inspect.custom](): string {
    return 'SecretVault [values hidden]';
  }
}
