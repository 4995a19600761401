// Turns a live HTTP exchange into its cassette form and back. Secret values (in every encoding a
// request may carry them) become `[[ name ]]`, tokens from token responses become `[[ access_token ]]`
// and the like, and the values of the test file's vars (the upstream's origin and port) become
// `{{NAME}}`, so a cassette holds no secret and does not depend on where the upstream listened.
import { MIN_MASKED_LENGTH } from '../hub/redact.js';

/** The exact forms a value can take on the wire (raw, percent, form, JSON-escaped, base64); a
 * cassette needs whole-string replacement of each, unlike the hub redactor's patterns. */
function encodedForms(value: string): string[] {
  const forms = new Set<string>([value]);
  forms.add(encodeURIComponent(value));
  forms.add(new URLSearchParams({ v: value }).toString().slice(2));
  forms.add(JSON.stringify(value).slice(1, -1));
  forms.add(Buffer.from(value, 'utf8').toString('base64'));
  return [...forms].filter((f) => f.length >= MIN_MASKED_LENGTH);
}

/** Token fields of an OAuth token response that must never reach a cassette. */
const TOKEN_FIELDS = ['access_token', 'refresh_token', 'id_token'];

/** Replaces known values by placeholders; learns tokens as they come. */
export class Placeholders {
  private readonly map = new Map<string, string>();
  private pattern: RegExp | undefined;

  constructor(
    secrets: ReadonlyMap<string, string>,
    private readonly vars: Readonly<Record<string, string>>,
  ) {
    // Secrets first: when a secret and a var hold the same value (an instance URL), the secret name wins.
    for (const [name, value] of secrets) this.add(value, `[[ ${name} ]]`);
    for (const [name, value] of Object.entries(vars)) this.add(value, `{{${name}}}`);
  }

  private add(value: string, placeholder: string): void {
    if (value.length < MIN_MASKED_LENGTH || /^\[\[.*\]\]$|^\{\{.*\}\}$/.test(value)) return;
    for (const form of encodedForms(value)) {
      if (!this.map.has(form)) {
        this.map.set(form, placeholder);
        this.pattern = undefined;
      }
    }
  }

  /** Learns the tokens of a token response body (JSON or form encoded). */
  learnTokens(body: string): void {
    let fields: Record<string, unknown> = {};
    try {
      const v: unknown = JSON.parse(body);
      if (v && typeof v === 'object' && !Array.isArray(v)) fields = v as Record<string, unknown>;
    } catch {
      fields = Object.fromEntries(new URLSearchParams(body));
    }
    for (const f of TOKEN_FIELDS) {
      const v = fields[f];
      if (typeof v === 'string') this.add(v, `[[ ${f} ]]`);
    }
  }

  /** `text` with every known value replaced by its placeholder. */
  readonly apply = (text: string): string => {
    // Basic credentials first: a secret's own base64 can be a prefix of the pair's base64, and
    // replacing it there would leave the password's part of the encoding in the cassette.
    const basic = /^Basic ([A-Za-z0-9+/=]{4,})$/.exec(text);
    if (basic) {
      const decoded = Buffer.from(basic[1]!, 'base64').toString('utf8');
      if (decoded.includes(':') && Buffer.from(decoded, 'utf8').toString('base64') === basic[1]) {
        const shown = this.replaceKnown(decoded);
        if (shown !== decoded) return `Basic base64(${shown})`;
      }
    }
    return this.replaceKnown(text);
  };

  private replaceKnown(text: string): string {
    if (this.map.size === 0 || !text) return text;
    if (!this.pattern) {
      const alts = [...this.map.keys()].sort((a, b) => b.length - a.length).map((s) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&'));
      this.pattern = new RegExp(alts.join('|'), 'g');
    }
    return text.replace(this.pattern, (m) => this.map.get(m) ?? m);
  }

  /** `{{NAME}}` back to the var's value (for replayed responses); `[[ secret ]]` stays as it is. */
  expand(text: string): string {
    return text.replace(/\{\{([A-Za-z_][A-Za-z0-9_]*)\}\}/g, (m, n: string) => this.vars[n] ?? m);
  }
}
