// The integration hub's data model (templates, connections, secrets metadata, requests) and the
// rules of DESIGN.md "The integration hub" (checked in rules.ts, returning problems that name the field).
import type { Code } from '../../language/codes.js';

/** Authentication types a template may declare. */
export type AuthType = 'none' | 'basic' | 'oauth2-client-credentials' | 'oauth2-password' | 'custom-headers';

/** Every authentication type, in the order help texts list them. */
export const AUTH_TYPES: readonly AuthType[] = ['none', 'basic', 'oauth2-client-credentials', 'oauth2-password', 'custom-headers'];

/** REST verbs a template may allow. */
export const HTTP_VERBS = ['GET', 'POST', 'PUT', 'PATCH', 'DELETE', 'HEAD', 'OPTIONS'] as const;

/** At most this many requests per connection (SNIP4010). */
export const MAX_REQUESTS = 50;

/** Default connection timeout (authentication + request), in ms. */
export const DEFAULT_TIMEOUT_MS = 10_000;

/** A custom authentication header a template declares. */
export interface TemplateHeader {
  name: string;
  required: boolean;
}

/** A template: immutable once saved; a change means a new template. */
export interface Template {
  name: string;
  application: string;
  integrationMethod: 'REST';
  authType: AuthType;
  description: string;
  /** An icon file name or a `data:` URL. */
  icon?: string;
  /** Allowed verbs, upper case. */
  verbs: string[];
  authHeaders: TemplateHeader[];
  createdAt: string;
}

/** A connection's authentication details (secret references `[[ name ]]` kept as written). */
export interface AuthDetails {
  url?: string;
  method?: string;
  headers: Record<string, string>;
  query: Record<string, string>;
  mediaType?: string;
  body?: string;
  /** The field of the token answer that holds the access token (dotted for nested; default access_token). */
  tokenField?: string;
}

/** An mTLS client certificate (only for OAuth with an https auth URL, SNIP4020). */
export interface MtlsSettings {
  certPem: string;
  keyPem: string;
  /** Name of the connection secret holding the key's passphrase. */
  passphraseSecret?: string;
}

/** A request of a connection. Manual requests carry their fixed parts; studio ones are built by the script. */
export interface HubRequest {
  name: string;
  trigger: 'manual' | 'studio';
  active: boolean;
  url?: string;
  method?: string;
  headers: Record<string, string>;
  query: Record<string, string>;
  mediaType?: string;
  body?: string;
  createdAt: string;
  updatedAt: string;
}

/** Webex-Connect-style status: `pending` until one authentication succeeded. */
export type ConnectionStatus = 'pending' | 'authorized';

/** A connection made from a template. Secret values never live here, only their names. */
export interface Connection {
  name: string;
  template: string;
  /** Covers authentication and request together. */
  timeoutMs: number;
  /** https URL prefix: when set, studio requests may only target https URLs under it. */
  resourceDomain?: string;
  /** PEM bundle trusted in addition to the system roots. */
  caBundle?: string;
  auth: AuthDetails;
  mtls?: MtlsSettings;
  /** Names of the connection's secrets (values are encrypted by the store). */
  secrets: string[];
  requests: HubRequest[];
  status: ConnectionStatus;
  authorizedAt?: string;
  createdAt: string;
  updatedAt: string;
}

/** What the store tells about a secret: never its value. */
export interface SecretInfo {
  name: string;
  /** Short keyed hash: tells whether two values are the same, never reversible. */
  fingerprint: string;
  changedAt: string;
}

/** A rule that does not hold, with the field it concerns. */
export interface HubProblem {
  code: Code;
  /** Dotted path of the field (`auth.method`, `requests[2].url`). */
  field: string;
  message: string;
}

/** Whether a template's connections authenticate (and so start `pending`). */
export function hasAuthentication(authType: AuthType): boolean {
  return authType !== 'none';
}

/** Whether an authentication type obtains an OAuth token (and so may use mTLS). */
export function isOAuth(authType: AuthType): boolean {
  return authType === 'oauth2-client-credentials' || authType === 'oauth2-password';
}

/** A file-safe slug of a name: lower case, [a-z0-9-]; the store numbers names that share a slug. */
export function slugOf(name: string): string {
  const base = name
    .normalize('NFKD')
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '')
    .slice(0, 60);
  return base || 'item';
}
