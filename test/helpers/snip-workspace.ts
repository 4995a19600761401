// A workspace for tests in real VS Code: the samples, the fixture scripts of test/fixtures/vscode/
// workspace, and a hub seeded from samples/hub/demo-hub.json (secrets encrypted as in any hub).
import { cpSync, mkdtempSync, readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { loadHubDefinition, seedHub } from '../../runtime/cli/commands/demo.js';
import { FileHubStore } from '../../runtime/hub/file-store.js';
import { packageRoot } from './tool-paths.js';

export interface SnipWorkspace {
  /** The folder VS Code opens. */
  dir: string;
  /** Its hub folder (`hub/`, the extension's default). */
  hubDir: string;
}

/** Makes the workspace in a fresh temporary folder. `demoUrl` fills the hub's ${DEMO_URL}. */
export async function makeSnipWorkspace(demoUrl = 'http://127.0.0.1:9'): Promise<SnipWorkspace> {
  const root = packageRoot();
  const dir = mkdtempSync(path.join(tmpdir(), 'snip-ws-'));
  const samples = path.join(dir, 'samples');
  for (const name of readdirSync(path.join(root, 'samples'))) {
    if (/\.(snip|studio)$/.test(name)) cpSync(path.join(root, 'samples', name), path.join(samples, name));
  }
  cpSync(path.join(root, 'test', 'fixtures', 'vscode', 'workspace'), dir, { recursive: true });
  const hubDir = path.join(dir, 'hub');
  const store = new FileHubStore({ dir: hubDir, env: {} });
  await store.init();
  await seedHub(store, await loadHubDefinition(path.join(root, 'samples', 'hub', 'demo-hub.json'), { DEMO_URL: demoUrl }));
  return { dir, hubDir };
}
