// The PostgreSQL side of the service, for hosts (the CLI's `snip serve migrate`, `snip hub export/import`).
export { Database, isUnavailable, type DatabaseOptions } from './database.js';
export { LATEST_VERSION, MIGRATIONS, checkSchema, migrate, type Migration } from './migrations.js';
export { checkBundle, type HubBundle } from './hub-bundle.js';
export { PgHubStore, type KeyRotation, type PgHubStoreOptions, type WriteCondition } from './hub-store.js';
export { PgClientStore } from './client-store.js';
export { PgTokenStore } from './token-store.js';
export { PgRunArchive } from './run-archive.js';
