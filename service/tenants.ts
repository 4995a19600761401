// A tenant at run time: its scripts, its hub store and its own upstream token cache. Nothing is
// shared between tenants except the process-wide connection pool and the run gate. The hub is the
// embedded file store by default, or the tenant's rows in PostgreSQL when a database is configured.
import path from 'node:path';
import { FileHubStore, KEY_FILE } from '../runtime/hub/file-store.js';
import type { HubStore } from '../runtime/hub/store.js';
import { TokenCache, type TokenCacheLike } from '../runtime/hub/token-cache.js';
import type { TenantConfig } from './config.js';
import type { Database } from './pg/database.js';
import { PgHubStore } from './pg/hub-store.js';
import { ScriptRegistry } from './script-registry.js';

export class Tenant {
  readonly scripts: ScriptRegistry;
  /** The hub folder itself (file mode only). */
  readonly files: FileHubStore | undefined;
  /**
   * What runs and the admin API use: the hub folder in watch mode (runs share its parsed records
   * and decrypted secrets while no change event arrived; admin writes are seen by the next run at
   * once), or PostgreSQL.
   */
  readonly store: HubStore;
  /** Upstream tokens of this tenant's connections only (in memory; shared through Redis when configured). */
  tokens: TokenCacheLike = new TokenCache();

  constructor(
    readonly config: TenantConfig,
    db?: Database,
  ) {
    this.scripts = new ScriptRegistry(config.scriptsDir);
    if (db) {
      // The key stays in the tenant's hub folder (`.hubkey`), never in the database or the environment.
      this.files = undefined;
      this.store = new PgHubStore({ db, tenant: config.name, keyFile: path.join(config.hubDir, KEY_FILE), keyShown: `${config.name}/${KEY_FILE}` });
    } else {
      this.files = new FileHubStore({ dir: config.hubDir, env: {}, watch: true });
      this.store = this.files;
    }
  }

  get name(): string {
    return this.config.name;
  }
}
