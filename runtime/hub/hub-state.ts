// Authorization status kept apart from the files people edit: `<hub>/state.json` (git-ignored)
// records, per connection, when an authentication last succeeded and for which authentication
// settings. A run records it without rewriting the connection file; editing the connection's
// authentication (by hand or with the CLI) no longer matches the recorded settings, so the
// connection shows as pending again until the next success.
import { createHash } from 'node:crypto';
import { SnipError } from '../errors.js';
import type { Connection, Template } from './model.js';

/** The state file's name inside the hub folder. */
export const STATE_FILE = 'state.json';

/** One connection's recorded authorization. */
export interface AuthorizationRecord {
  authorizedAt: string;
  /** `authSettingsId` of the settings that succeeded. */
  settings: string;
}

/** `{ format: 1, authorizations: { <connection name>: AuthorizationRecord } }`. */
export interface HubState {
  format: 1;
  authorizations: Record<string, AuthorizationRecord>;
}

export function emptyState(): HubState {
  return { format: 1, authorizations: {} };
}

/** Reads `state.json`; SNIP4001 naming the file when its shape is wrong. */
export function readState(json: unknown, file: string): HubState {
  const bad = (what: string): never => {
    throw new SnipError('SNIP4001', `${file}: ${what} (it only records authorizations: delete it to start over)`);
  };
  if (!json || typeof json !== 'object' || Array.isArray(json)) bad('must be a JSON object');
  const auths = (json as { authorizations?: unknown }).authorizations ?? {};
  if (!auths || typeof auths !== 'object' || Array.isArray(auths)) bad('authorizations must be a JSON object');
  const out = emptyState();
  for (const [name, v] of Object.entries(auths as Record<string, unknown>)) {
    const r = v as Partial<AuthorizationRecord> | null;
    if (!r || typeof r.authorizedAt !== 'string' || typeof r.settings !== 'string') bad(`authorizations."${name}" must have authorizedAt and settings texts`);
    out.authorizations[name] = { authorizedAt: r!.authorizedAt!, settings: r!.settings! };
  }
  return out;
}

/**
 * A short id of what an authentication depends on (template auth type, auth details, client
 * certificate). Only a hash is stored: the private key's text never leaves the connection file.
 */
export function authSettingsId(c: Connection, t: Template): string {
  const basis = JSON.stringify([t.name, t.authType, c.auth, c.mtls ?? null]);
  return createHash('sha256').update(basis).digest('hex').slice(0, 16);
}

/** `c` with the status the state file records for it (the connection file's own status otherwise). */
export function withRecordedStatus(c: Connection, t: Template, state: HubState): Connection {
  const r = state.authorizations[c.name];
  if (!r || r.settings !== authSettingsId(c, t)) return c;
  return { ...c, status: 'authorized', authorizedAt: r.authorizedAt };
}
