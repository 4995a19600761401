// `snip hub request test` and `snip hub auth test`: send a manual request or the authentication of
// a connection once and report status, headers and body with every secret and token masked.
import { SnipError } from '../errors.js';
import type { Code } from '../../language/codes.js';
import { Deadline } from './http.js';
import { HubSession, type ConnectionView } from './send.js';
import type { TokenEvent } from './token-cache.js';

/** Where the connection comes from: the hub store (secrets decrypted) or a test double. */
export interface ConnectionSource {
  connectionView(name: string): ConnectionView | Promise<ConnectionView>;
}

/** The outcome of a test, masked; `--json` prints it as is. */
export interface ProbeResult {
  ok: boolean;
  connection: string;
  request?: string;
  status?: number;
  statusText?: string;
  headers?: Record<string, string>;
  body?: string;
  /** Token events (never the token). */
  events: TokenEvent[];
  error?: { code: Code; message: string };
}

/** Sends the manual request `name` of connection `conn` once. 2xx counts as ok. */
export async function testManualRequest(source: ConnectionSource, conn: string, name: string, session = new HubSession()): Promise<ProbeResult> {
  const events: TokenEvent[] = [];
  const base = { connection: conn, request: name, events };
  try {
    const view = await source.connectionView(conn);
    const res = await session.sendManual(view, name, (e) => events.push(e));
    return { ...base, ok: res.status >= 200 && res.status < 300, status: res.status, statusText: res.statusText, headers: res.headers, body: res.body };
  } catch (e) {
    return { ...base, ok: false, error: toProbeError(e, session) };
  }
}

/** Authenticates connection `conn` once, bypassing the token cache. */
export async function testAuthentication(source: ConnectionSource, conn: string, session = new HubSession()): Promise<ProbeResult> {
  const events: TokenEvent[] = [];
  const base = { connection: conn, events };
  try {
    const view = await source.connectionView(conn);
    session.tokens.invalidate({ hub: view.hub, connection: view.name });
    const r = await session.authenticate(view, new Deadline(view.timeoutMs), (e) => events.push(e));
    const out: ProbeResult = { ...base, ok: true };
    if (r.response) Object.assign(out, { status: r.response.status, statusText: r.response.statusText, headers: r.response.headers, body: session.mask(r.response.body) });
    return out;
  } catch (e) {
    const out: ProbeResult = { ...base, ok: false, error: toProbeError(e, session) };
    const response = (e as { response?: { status: number; statusText: string; headers: Record<string, string>; body: string } }).response;
    if (response) Object.assign(out, { status: response.status, statusText: response.statusText, headers: response.headers, body: session.mask(response.body) });
    return out;
  }
}

/** Human-readable report: status line, headers, blank line, body (all masked already). */
export function formatProbe(r: ProbeResult): string {
  const lines: string[] = [];
  const what = r.request ? `request '${r.request}' of '${r.connection}'` : `authentication of '${r.connection}'`;
  if (r.error) lines.push(`${what}: error ${r.error.code}: ${r.error.message}`);
  for (const e of r.events) lines.push(`[${e.what}] ${e.detail}`);
  if (r.status !== undefined) {
    lines.push(`HTTP ${r.status} ${r.statusText ?? ''}`.trimEnd());
    for (const [k, v] of Object.entries(r.headers ?? {})) lines.push(`${k}: ${v}`);
    lines.push('', r.body ?? '');
  } else if (!r.error) {
    lines.push(`${what}: ok (no HTTP request needed)`);
  }
  return lines.join('\n') + '\n';
}

function toProbeError(e: unknown, session: HubSession): { code: Code; message: string } {
  if (e instanceof SnipError) return { code: e.code, message: session.mask(e.message) };
  return { code: 'SNIP4013', message: session.mask(e instanceof Error ? e.message : String(e)) };
}
