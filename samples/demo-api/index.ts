// The demo API's public surface: start it in-process, or run cli.ts as a program.
export { startDemoApi } from './server.js';
export type { DemoApi, DemoApiOptions, DemoControl, DemoCredentials, DemoStats } from './server.js';
