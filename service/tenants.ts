// A tenant at run time: its scripts, its hub store and its own upstream token cache. Nothing is
// shared between tenants except the process-wide connection pool and the run gate.
import { FileHubStore } from '../runtime/hub/file-store.js';
import { TokenCache, type TokenCacheLike } from '../runtime/hub/token-cache.js';
import { CachedHubStore } from './cached-store.js';
import type { TenantConfig } from './config.js';
import { ScriptRegistry } from './script-registry.js';

export class Tenant {
  readonly scripts: ScriptRegistry;
  /** The hub folder itself. */
  readonly files: FileHubStore;
  /** What runs and the admin API use: the files behind a read-through cache. */
  readonly store: CachedHubStore;
  /** Upstream tokens of this tenant's connections only (in memory; shared through Redis when configured). */
  tokens: TokenCacheLike = new TokenCache();

  constructor(readonly config: TenantConfig) {
    this.scripts = new ScriptRegistry(config.scriptsDir);
    // The key lives in the hub folder (`.hubkey`), never in the service's environment.
    this.files = new FileHubStore({ dir: config.hubDir, env: {} });
    this.store = new CachedHubStore(this.files);
  }

  get name(): string {
    return this.config.name;
  }
}
