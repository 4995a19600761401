// Redaction by value: every secret, every token obtained and the base64 of basic credentials are
// replaced with `****` wherever text leaves the runtime (traces, errors, test output, logs, printed
// variables, response bodies a server echoes back), in the encodings an echo is likely to use.
import type { Masker } from '../trace/events.js';

/** What a masked value becomes. */
export const MASK = '****';

/**
 * Values shorter than this are not masked: masking a 1-2 character secret would shred every text
 * (and would itself reveal the value by where the holes are).
 */
export const MIN_MASKED_LENGTH = 3;

/** The forms a value may take when it travels: raw, URL/form encoded, JSON-escaped, base64. */
export function encodedForms(value: string): string[] {
  const forms = new Set<string>([value]);
  forms.add(encodeURIComponent(value));
  forms.add(new URLSearchParams({ v: value }).toString().slice(2));
  forms.add(JSON.stringify(value).slice(1, -1));
  forms.add(Buffer.from(value, 'utf8').toString('base64'));
  return [...forms].filter((f) => f.length >= MIN_MASKED_LENGTH);
}

/** A growing set of sensitive values and the `Masker` that hides them. */
export class Redactor {
  private readonly values = new Set<string>();
  private pattern: RegExp | undefined;
  private dirty = false;

  constructor(values: Iterable<string> = []) {
    for (const v of values) this.add(v);
  }

  /** Adds a secret or token value (and its encoded forms). */
  add(value: string | undefined): void {
    if (value === undefined || value.length < MIN_MASKED_LENGTH) return;
    for (const f of encodedForms(value)) {
      if (!this.values.has(f)) {
        this.values.add(f);
        this.dirty = true;
      }
    }
  }

  /** Adds basic credentials: each part and the base64 `user:pass` an Authorization header carries. */
  addBasic(user: string, password: string): void {
    this.add(password);
    const joined = `${user}:${password}`;
    this.add(joined);
    this.add(Buffer.from(joined, 'utf8').toString('base64'));
  }

  /** How many distinct forms are masked (for tests and diagnostics). */
  get size(): number {
    return this.values.size;
  }

  /** Masks `text`; bound, so it can be passed around as a `Masker`. */
  readonly mask: Masker = (text: string): string => {
    if (this.values.size === 0 || !text) return text;
    if (this.dirty || !this.pattern) {
      // Longest first, so a value that contains another is masked whole.
      const alts = [...this.values].sort((a, b) => b.length - a.length).map(escapeRegExp);
      this.pattern = new RegExp(alts.join('|'), 'g');
      this.dirty = false;
    }
    return text.replace(this.pattern, MASK);
  };
}

/** Masks every string inside a JSON-like value (objects and arrays are copied). */
export function maskDeep<T>(value: T, mask: Masker): T {
  if (typeof value === 'string') return mask(value) as T;
  if (Array.isArray(value)) return value.map((v) => maskDeep(v, mask)) as T;
  if (value && typeof value === 'object') {
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(value)) out[mask(k)] = maskDeep(v, mask);
    return out as T;
  }
  return value;
}

function escapeRegExp(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}
