// `snip run --dry-run`: the hub's HTTP client replaced by one that prints each final request (method,
// URL, headers, body, secrets as `[[ name ]]`) and sends nothing. The CONNECT action then fails
// with SNIP7009 and takes OnError, unless a cassette holds an answer for that exact request.
import { STATUS_CODES } from 'node:http';
import { HttpClient, HttpError, type HttpRequest, type HttpResponse, type SendOptions } from '../hub/http.js';
import type { HubServices } from '../hub/services.js';
import { findExchange, shownRequest, type Exchange } from './cassette.js';
import { Placeholders } from './placeholders.js';
import { CaseTape } from './tape.js';
import { FaultPlan } from './faults.js';

/** Prints requests instead of sending them. */
export class DryRunHttpClient extends HttpClient {
  private placeholders = new Placeholders(new Map(), {});
  private readonly used: boolean[];

  constructor(
    private readonly write: (text: string) => void,
    private readonly cassette: readonly Exchange[] = [],
  ) {
    super();
    this.used = cassette.map(() => false);
  }

  /** Learns the secret names of every connection of the hub, so requests show `[[ name ]]`. */
  async attach(hub: HubServices): Promise<void> {
    const secrets = new Map<string, string>();
    let names: string[] = [];
    try {
      names = (await hub.store.listConnections()).map((c) => c.name);
    } catch {
      // No hub folder: requests then have no secrets to hide (REST API actions only).
    }
    for (const name of names) {
      try {
        for (const [k, v] of (await hub.connection(name)).secrets) secrets.set(k, v);
      } catch {
        // A connection that cannot be read is reported by the action that uses it.
      }
    }
    this.placeholders = new Placeholders(secrets, {});
  }

  override async send(req: HttpRequest, opts: SendOptions = {}): Promise<HttpResponse> {
    const tape = new CaseTape(this.placeholders, new FaultPlan([]), []);
    const shown = tape.cassetteRequest(req);
    const mask = opts.mask ?? ((t: string) => t);
    const lines = [`dry run: ${mask(shownRequest(shown))}`];
    for (const [k, v] of Object.entries(shown.headers ?? {})) lines.push(`  ${k}: ${mask(v)}`);
    if (shown.body !== undefined) lines.push(`  body: ${mask(shown.body)}`);
    const found = this.cassette.length ? findExchange(this.cassette, this.used, shown) : undefined;
    const ex = found?.index !== undefined ? this.cassette[found.index] : undefined;
    if (ex?.response) {
      this.used[found!.index!] = true;
      lines.push(`  answered from the cassette: ${ex.response.status}`);
      this.write(lines.join('\n') + '\n');
      this.placeholders.learnTokens(ex.response.body ?? '');
      return { status: ex.response.status, statusText: STATUS_CODES[ex.response.status] ?? '', headers: { ...(ex.response.headers ?? {}) }, body: ex.response.body ?? '' };
    }
    lines.push('  not sent');
    this.write(lines.join('\n') + '\n');
    throw new HttpError('SNIP7009', `dry run: ${mask(`${req.method.toUpperCase()} ${shown.url}`)} was not sent`);
  }
}
