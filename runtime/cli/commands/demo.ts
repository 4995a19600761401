// `snip demo`: the offline quick start. Starts the demo API on a free loopback port, creates a sample
// hub in a temporary folder from samples/hub/demo-hub.json (secrets encrypted as in any hub), runs
// samples/agent-lookup.studio with a trace table, prints the outputs, then stops and cleans up.
import { existsSync, promises as fs } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { startDemoApi } from '../../../samples/demo-api/index.js';
import { FileHubStore } from '../../hub/file-store.js';
import type { AuthType } from '../../hub/model.js';
import { HubServices } from '../../hub/services.js';
import type { HubStore } from '../../hub/store.js';
import { runScript } from '../../run-script.js';
import { tableSink } from '../../trace/table.js';
import { EXIT, UsageError, parseCommandArgs, type Command } from '../io.js';

const HELP = `snip demo: run the offline demo

Usage: snip demo [--keep-hub]
       snip demo byoc

Starts the demo API (OAuth 2.0 token endpoint, agents, contacts) on a free 127.0.0.1 port,
creates a sample integration hub in a temporary folder (samples/hub/demo-hub.json: a template,
the "Agents API" connection, its encrypted secrets and requests), runs
samples/agent-lookup.studio with a trace, prints the outputs, stops the API and removes the
temporary hub.

Options:
  --keep-hub   keep the temporary hub folder and print where it is
  -h, --help   show this help

\`snip demo byoc\` runs the BYOC middleware of samples/byoc/ under \`snip serve\` for two tenants,
with the demo API as the contact center and the external platform, and prints every step.

Exit codes: 0 when the lookup (or every BYOC step) succeeded, 1 when it failed.
`;

/** A hub described as data: what `seedHub` creates through the store API. */
export interface HubDefinition {
  templates: { name: string; application: string; authType: AuthType; verbs: string[]; description?: string; authHeaders?: { name: string; required: boolean }[] }[];
  connections: {
    name: string;
    template: string;
    timeoutMs?: number;
    resourceDomain?: string;
    auth?: { url?: string; method?: string; headers?: Record<string, string>; query?: Record<string, string>; mediaType?: string; body?: string };
    secrets?: Record<string, string>;
    requests?: { name: string; trigger: 'manual' | 'studio'; url?: string; method?: string; headers?: Record<string, string>; query?: Record<string, string>; mediaType?: string; body?: string }[];
  }[];
}

/** The package folder (holding samples/), found upwards from this module in src and dist alike. */
export function packageRoot(): string {
  let dir = path.dirname(fileURLToPath(import.meta.url));
  for (;;) {
    if (existsSync(path.join(dir, 'package.json')) && existsSync(path.join(dir, 'samples', 'agent-lookup.studio'))) return dir;
    const up = path.dirname(dir);
    if (up === dir) throw new Error('cannot find the samples folder of snipstudio');
    dir = up;
  }
}

/** Reads a hub definition, replacing `${NAME}` in secret values from `vars`. */
export async function loadHubDefinition(file: string, vars: Record<string, string>): Promise<HubDefinition> {
  const def = JSON.parse(await fs.readFile(file, 'utf8')) as HubDefinition;
  for (const c of def.connections) {
    for (const [k, v] of Object.entries(c.secrets ?? {})) c.secrets![k] = v.replace(/\$\{(\w+)\}/g, (m, n: string) => vars[n] ?? m);
  }
  return def;
}

/** Creates the templates, connections, authentication, secrets and requests of `def` in `store`. */
export async function seedHub(store: HubStore, def: HubDefinition): Promise<void> {
  for (const t of def.templates) await store.createTemplate(t);
  for (const c of def.connections) {
    await store.createConnection({ name: c.name, template: c.template, ...(c.timeoutMs ? { timeoutMs: c.timeoutMs } : {}), ...(c.resourceDomain ? { resourceDomain: c.resourceDomain } : {}) });
    for (const [name, value] of Object.entries(c.secrets ?? {})) await store.setSecret(c.name, name, value);
    if (c.auth) await store.updateConnection(c.name, { auth: { ...c.auth, headers: c.auth.headers ?? {}, query: c.auth.query ?? {} } });
    for (const r of c.requests ?? []) await store.addRequest(c.name, r);
  }
}

export const command: Command = {
  summary: 'run the offline demo: local API, sample hub, traced sample script',
  help: HELP,
  async run(args, io) {
    const { values, positionals } = parseCommandArgs(args, { 'keep-hub': { type: 'boolean' }, help: { type: 'boolean', short: 'h' } });
    if (values.help === true) {
      io.stdout(HELP);
      return EXIT.ok;
    }
    if (positionals[0] === 'byoc' && positionals.length === 1) {
      const { runByocDemo } = await import('../../../samples/byoc/demo.js');
      const ok = await runByocDemo((line) => io.stdout(`${line}\n`));
      io.stdout(ok ? '\nBYOC demo finished: every step answered as expected.\n' : '\nBYOC demo: some steps did not answer as expected.\n');
      return ok ? EXIT.ok : EXIT.failure;
    }
    if (positionals.length > 0) throw new UsageError(`unexpected argument '${positionals[0]}'`);
    const say = (t: string) => io.stdout(`${t}\n`);
    const root = packageRoot();
    const script = path.join(root, 'samples', 'agent-lookup.studio');

    const api = await startDemoApi({ port: 0 });
    const temp = await fs.mkdtemp(path.join(tmpdir(), 'snip-demo-'));
    let hub: HubServices | undefined;
    try {
      say(`demo API listening on ${api.url} (OAuth 2.0 token endpoint, agents, contacts)`);
      const store = new FileHubStore({ dir: path.join(temp, 'hub'), env: {} });
      await store.init();
      await seedHub(store, await loadHubDefinition(path.join(root, 'samples', 'hub', 'demo-hub.json'), { DEMO_URL: api.url }));
      for (const c of await store.listConnections()) {
        say(`sample hub: connection "${c.name}" (${c.template}), ${c.secrets.length} encrypted secrets, ${c.requests.length} requests, status ${c.status}`);
      }
      hub = new HubServices(store);
      const inputs = { ani: '+15550100001', accountId: 'A-100' };
      say(`running samples/agent-lookup.studio with ani=${inputs.ani} accountId=${inputs.accountId}\n`);
      const result = await runScript(script, {
        fileName: 'samples/agent-lookup.studio',
        inputs,
        hub,
        masker: hub.mask,
        traceLevel: 'actions',
        onTrace: tableSink({ write: io.stdout, color: io.isTTY && !io.env['NO_COLOR'] }),
      });
      await hub.settle();
      say('');
      if (result.error) {
        io.stderr(`samples/agent-lookup.studio: error ${result.error.code}: ${hub.mask(result.error.message)}\n`);
        return EXIT.failure;
      }
      const out = result.outputs;
      for (const k of ['status', 'agentName', 'agentSkill', '__httpstatuscode']) {
        if (out[k] !== undefined) say(`  ${k.padEnd(18)} ${hub.mask(String(out[k]))}`);
      }
      const conn = await store.getConnection('Agents API');
      say(`  connection status  ${conn.status}`);
      say(`  token requests     ${api.stats.tokenRequests}`);
      if (out['status'] !== 'found') {
        io.stderr(`demo failed: ${hub.mask(String(out['_ERR'] ?? 'the lookup did not succeed'))}\n`);
        return EXIT.failure;
      }
      say('\ndemo finished: the script never saw a secret or token; the hub substituted them at send time.');
      return EXIT.ok;
    } finally {
      await hub?.close();
      await api.close();
      if (values['keep-hub'] === true) say(`sample hub kept in ${path.join(temp, 'hub')}`);
      else await fs.rm(temp, { recursive: true, force: true });
      say('demo API stopped');
    }
  },
};
