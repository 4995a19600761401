// The public API of the service: `createServer()` and the config loader.
export { createServer, type CreateServerOptions, type SnipService } from './app.js';
export { loadConfig, resolveConfig, type ServiceConfig, type ServiceConfigInput, type TenantConfig } from './config.js';
export { ClientStore, type ClientRecord, type Scope } from './client-store.js';
