// A service fixture for tests: two tenants (acme, globex) in a temporary folder, each with scripts,
// a hub whose "Agents API" connection points at a real demo API on 127.0.0.1 with its own upstream
// credentials, a routes file, and clients of both tenants. Everything is real: no HTTP mocks.
import { mkdtempSync, promises as fs } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { Writable } from 'node:stream';
import { startDemoApi, type DemoApi } from '../../samples/demo-api/index.js';
import { seedHub, type HubDefinition } from '../../runtime/hub/seed.js';
import { FileHubStore } from '../../runtime/hub/file-store.js';
import { createServer, type SnipService } from '../../service/index.js';
import type { ServiceConfigInput } from '../../service/config.js';

export const UPSTREAM = {
  acme: { id: 'acme-upstream', secret: 'acme-upstream-secret-1f9b' },
  globex: { id: 'globex-upstream', secret: 'globex-upstream-secret-7c2d' },
};

/** A flow calling the connection with a URL built from `path` and optional query `ms`. */
export function callScript(urlExpr: string, extra = ''): string {
  return `SCRIPT "call"
PARAMS path, ms
BEGIN start -> build
SNIPPET build {
  DYNAMIC requestPayload
  ASSIGN requestPayload.URL = ${urlExpr}
  ASSIGN requestPayload.HTTPMETHOD = "GET"
  ASSIGN requestPayload.QUERYPARAMETERS.ms = ms
  ASSIGN payloadJSON = requestPayload.asjson()
}
  Error -> failed
CONNECTAUTH auth (connectName = "Agents API")
  OnSuccess -> call
  OnError -> failed
  OnTimeout -> failed
CONNECTREQUEST call (connectName = "Agents API", requestName = "Lookup agent", requestPayload = payloadJSON)
  OnSuccess -> ok
  OnError -> failed
  OnTimeout -> failed
SNIPPET ok {
  ASSIGN status = "ok"
  ASSIGN code = __httpstatuscode
${extra}
}
  -> done
  Error -> failed
END done
SNIPPET failed {
  ASSIGN status = "failed"
  ASSIGN reason = _ERR
}
  -> stop
END stop
`;
}

const SCRIPTS: Record<string, string> = {
  'echo.snip': 'ASSIGN greeting = "Hello, {name}!"\nTRACE "greeting built"\n',
  'slow.studio': callScript('"[[INSTANCEURI]]/slow"'),
  'headers.studio': callScript('"[[INSTANCEURI]]/echo"', '  ASSIGN echoed = requestBody.asjson()'),
  'lookup.studio': callScript('"[[INSTANCEURI]]/agents/A-100"', '  ASSIGN agentName = "{requestBody.firstName} {requestBody.lastName}"'),
  'broken.snip': 'ASSIGN x = (1 +\n',
  'busy.snip': 'FOR i = 1 TO 100000000 {\n  ASSIGN x = i\n}\n',
  'route.snip': [
    'DYNAMIC out',
    'ASSIGN out.channel = channelId',
    'ASSIGN out.text = request.body.text',
    'ASSIGN out.q = request.query.q',
    'ASSIGN body = out',
    'ASSIGN statusCode = 201',
    'DYNAMIC headers',
    'ASSIGN headers.xHYPHENhandledHYPHENby = "route.snip"',
    '',
  ].join('\n'),
};

function hubDef(demoUrl: string, cred: { id: string; secret: string }): HubDefinition {
  return {
    templates: [{ name: 'Demo REST API', application: 'Demo', authType: 'oauth2-client-credentials', verbs: ['GET', 'POST'] }],
    connections: [
      {
        name: 'Agents API',
        template: 'Demo REST API',
        timeoutMs: 30000,
        auth: { url: '[[INSTANCEURI]]/oauth/token', method: 'POST', mediaType: 'application/x-www-form-urlencoded' },
        secrets: { INSTANCEURI: demoUrl, client_id: cred.id, client_secret: cred.secret },
        requests: [{ name: 'Lookup agent', trigger: 'studio' }],
      },
    ],
  };
}

export interface Fixture {
  dir: string;
  api: DemoApi;
  service: SnipService;
  url: string;
  logs: string[];
  clients: Record<'acmeRun' | 'acmeAdmin' | 'globexRun' | 'globexAdmin', { id: string; secret: string }>;
  token(client: { id: string; secret: string }): Promise<string>;
  close(): Promise<void>;
}

/** Writes the fixture's files and returns the config file path (for child-process tests too). */
export async function writeFixtureFiles(dir: string, demoUrl: string, extra: Partial<ServiceConfigInput> = {}): Promise<string> {
  for (const tenant of ['acme', 'globex'] as const) {
    const scripts = path.join(dir, tenant, 'scripts');
    await fs.mkdir(scripts, { recursive: true });
    for (const [name, text] of Object.entries(SCRIPTS)) await fs.writeFile(path.join(scripts, name), text);
    if (tenant === 'acme') await fs.writeFile(path.join(scripts, 'acme-only.snip'), 'ASSIGN who = "acme"\n');
    await fs.writeFile(
      path.join(dir, tenant, 'routes.json'),
      JSON.stringify({
        routes: [
          { method: 'POST', path: '/channels/:channelId/messages', script: 'route', auth: 'run' },
          { method: 'POST', path: '/hooks/:channelId', script: 'route', auth: 'public' },
        ],
      }),
    );
    const store = new FileHubStore({ dir: path.join(dir, tenant, 'hub'), env: {} });
    await store.init();
    await seedHub(store, hubDef(demoUrl, UPSTREAM[tenant]));
  }
  const config: ServiceConfigInput = {
    stateDir: 'state',
    tenants: {
      acme: { scripts: 'acme/scripts', hub: 'acme/hub', routes: 'acme/routes.json' },
      globex: { scripts: 'globex/scripts', hub: 'globex/hub', routes: 'globex/routes.json' },
    },
    limits: { run: { maxSteps: 20000 } },
    ...extra,
  };
  const file = path.join(dir, 'snip-serve.json');
  await fs.writeFile(file, JSON.stringify(config, null, 2));
  return file;
}

/** A log stream that pushes each JSON line the service writes onto `into`. */
export function lineCollector(into: string[]): Writable {
  return new Writable({
    write(chunk: Buffer, _e, cb) {
      into.push(...chunk.toString('utf8').split('\n').filter(Boolean));
      cb();
    },
  });
}

export async function startFixture(extra: Partial<ServiceConfigInput> = {}): Promise<Fixture> {
  const dir = mkdtempSync(path.join(tmpdir(), 'snip-serve-'));
  const api = await startDemoApi({
    credentials: { clients: { [UPSTREAM.acme.id]: UPSTREAM.acme.secret, [UPSTREAM.globex.id]: UPSTREAM.globex.secret } },
  });
  const file = await writeFixtureFiles(dir, api.url, extra);
  const { loadConfig } = await import('../../service/index.js');
  const logs: string[] = [];
  const logStream = lineCollector(logs);
  const service = await createServer({ config: await loadConfig(file), logStream, logLevel: 'debug' });
  const url = await service.listen({ port: 0 });
  const add = async (tenant: string, scopes: string[]) => {
    const { client, secret } = await service.ctx.clients.add(tenant, scopes);
    return { id: client.id, secret };
  };
  const clients = {
    acmeRun: await add('acme', ['run']),
    acmeAdmin: await add('acme', ['run', 'admin']),
    globexRun: await add('globex', ['run']),
    globexAdmin: await add('globex', ['run', 'admin']),
  };
  return {
    dir,
    api,
    service,
    url,
    logs,
    clients,
    async token(c) {
      const res = await fetch(`${url}/1.0/token`, {
        method: 'POST',
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
        body: new URLSearchParams({ grant_type: 'client_credentials', client_id: c.id, client_secret: c.secret }),
      });
      if (res.status !== 200) throw new Error(`token: ${res.status} ${await res.text()}`);
      return ((await res.json()) as { access_token: string }).access_token;
    },
    async close() {
      await service.close();
      await api.close();
      await fs.rm(dir, { recursive: true, force: true });
    },
  };
}

/** JSON request helper over real HTTP. */
export async function call(
  url: string,
  options: { method?: string; token?: string; body?: unknown; headers?: Record<string, string>; raw?: string } = {},
): Promise<{ status: number; headers: Headers; body: any; text: string }> {
  const headers: Record<string, string> = { ...options.headers };
  if (options.token) headers['authorization'] = `Bearer ${options.token}`;
  let body: string | undefined = options.raw;
  if (options.body !== undefined) {
    body = JSON.stringify(options.body);
    headers['content-type'] ??= 'application/json';
  }
  const res = await fetch(url, { method: options.method ?? (body !== undefined ? 'POST' : 'GET'), headers, ...(body !== undefined ? { body } : {}) });
  const text = await res.text();
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    parsed = undefined;
  }
  return { status: res.status, headers: res.headers, body: parsed, text };
}
