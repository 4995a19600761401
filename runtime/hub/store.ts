// The `HubStore` contract: how the CLI, the actions and a service reach templates, connections,
// secrets and requests. The embedded implementation is file-store.ts; a service can back it with a
// database. Every method enforces the rules of rules.ts and fails with a `SnipError` (SNIP4xxx).
import type { AuthDetails, AuthType, Connection, HubRequest, MtlsSettings, SecretInfo, Template, TemplateHeader } from './model.js';

/** What creating a template takes (`createdAt` and `integrationMethod` are filled in). */
export interface NewTemplate {
  name: string;
  application: string;
  authType: AuthType;
  verbs: string[];
  authHeaders?: TemplateHeader[];
  description?: string;
  icon?: string;
}

/** What creating a connection takes; authentication is set later with `updateConnection`. */
export interface NewConnection {
  name: string;
  template: string;
  /** Default `DEFAULT_TIMEOUT_MS`. */
  timeoutMs?: number;
  resourceDomain?: string;
  caBundle?: string;
}

/**
 * The changeable parts of a connection. `null` removes an optional part. Changing `auth` or
 * `mtls` puts an authorized connection back to `pending`.
 */
export interface ConnectionPatch {
  timeoutMs?: number;
  resourceDomain?: string | null;
  caBundle?: string | null;
  auth?: AuthDetails;
  mtls?: MtlsSettings | null;
}

/** What adding a request takes; `active` defaults to true. */
export interface NewRequest {
  name: string;
  trigger: 'manual' | 'studio';
  active?: boolean;
  url?: string;
  method?: string;
  headers?: Record<string, string>;
  query?: Record<string, string>;
  mediaType?: string;
  body?: string;
}

/** A connection with its template and decrypted secrets (see `HubStore.connectionParts`). */
export interface ConnectionParts {
  connection: Connection;
  template: Template;
  secrets: Map<string, string>;
}

/**
 * An integration hub. Not-found is SNIP4002, a duplicate name SNIP4003, a rule violation its own
 * code (SNIP4005, SNIP4006, SNIP4010, SNIP4018, SNIP4020, SNIP4021, SNIP4022), a file or record
 * that does not load SNIP4001, a key that cannot decrypt the secrets SNIP4009.
 */
export interface HubStore {
  /** Identifies this hub (tenant) in token cache keys. */
  readonly id: string;

  /** @throws SnipError SNIP4004 when a template of that name exists (templates are immutable). */
  createTemplate(input: NewTemplate): Promise<Template>;
  /** @throws SnipError SNIP4002 */
  getTemplate(name: string): Promise<Template>;
  listTemplates(): Promise<Template[]>;

  /** @throws SnipError SNIP4002 for an unknown template, SNIP4003 for an existing name. */
  createConnection(input: NewConnection): Promise<Connection>;
  /** @throws SnipError SNIP4002 */
  getConnection(name: string): Promise<Connection>;
  listConnections(): Promise<Connection[]>;
  updateConnection(name: string, patch: ConnectionPatch): Promise<Connection>;
  /** Deletes the connection with its requests and secrets. Usage checks are the caller's (see usage.ts). */
  deleteConnection(name: string): Promise<void>;
  /** Records that an authentication succeeded: status `authorized`, `authorizedAt` now. */
  markAuthorized(name: string): Promise<Connection>;

  /** Encrypts and stores a secret value; returns its metadata, never the value. */
  setSecret(connection: string, name: string, value: string): Promise<SecretInfo>;
  /** @throws SnipError SNIP4008 when the connection has no such secret. */
  deleteSecret(connection: string, name: string): Promise<void>;
  listSecrets(connection: string): Promise<SecretInfo[]>;
  /**
   * Decrypted secret values of one connection. Only the HTTP layer calls this, at send time.
   * @throws SnipError SNIP4009 when the key cannot decrypt them.
   */
  resolveSecrets(connection: string): Promise<Map<string, string>>;
  /**
   * Optional: connection, template and secrets in one consistent read (a store with a cache
   * answers from one snapshot). `connectionView` uses it when present.
   */
  connectionParts?(name: string): Promise<ConnectionParts>;
  /**
   * Optional, synchronous and cheap: a stamp that stays equal while `connectionParts(name)` would
   * return equal parts; undefined when the store cannot tell without loading. Runs share what they
   * build from a connection's parts under its stamp (services.ts).
   */
  connectionStamp?(name: string): string | undefined;

  /** @throws SnipError SNIP4003 for an existing name, SNIP4010 past 50 requests. */
  addRequest(connection: string, input: NewRequest): Promise<HubRequest>;
  /** @throws SnipError SNIP4002 */
  getRequest(connection: string, name: string): Promise<HubRequest>;
  listRequests(connection: string): Promise<HubRequest[]>;
  setRequestActive(connection: string, name: string, active: boolean): Promise<HubRequest>;
  deleteRequest(connection: string, name: string): Promise<void>;
}
