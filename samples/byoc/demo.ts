// The BYOC demo behind `snip demo byoc`: the demo API plays the contact center (Digital Engagement
// API with OAuth) and the external messaging platform; `snip serve` runs the BYOC middleware made
// only of the scripts, routes and hub in this folder, for two tenants with separate credentials.
// Every step goes over real HTTP on 127.0.0.1 and is printed; returns whether all went as expected.
import { promises as fs } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { FileHubStore } from '../../runtime/hub/file-store.js';
import { loadHubDefinition, seedHub } from '../../runtime/cli/commands/demo.js';
import { createServer } from '../../service/index.js';
import { startDemoApi } from '../demo-api/index.js';

/** Where the sample's files are, in the sources and in dist alike. */
function sampleDir(): string {
  const here = path.dirname(fileURLToPath(import.meta.url));
  // dist/samples/byoc -> samples/byoc (scripts and JSON files are not compiled).
  const parts = here.split(path.sep);
  const i = parts.lastIndexOf('dist');
  return i >= 0 ? [...parts.slice(0, i), ...parts.slice(i + 1)].join(path.sep) : here;
}

const TENANTS = {
  northwind: { cc: { id: 'northwind-cc', secret: 'northwind-cc-secret' }, platform: { user: 'northwind-platform', password: 'northwind-platform-pw' } },
  contoso: { cc: { id: 'contoso-cc', secret: 'contoso-cc-secret' }, platform: { user: 'contoso-platform', password: 'contoso-platform-pw' } },
} as const;

type TenantName = keyof typeof TENANTS;

/** Runs the demo, printing each step with `say`; resolves with true when every step matched. */
export async function runByocDemo(say: (line: string) => void): Promise<boolean> {
  const dir = sampleDir();
  const api = await startDemoApi({
    credentials: {
      clients: Object.fromEntries(Object.values(TENANTS).map((t) => [t.cc.id, t.cc.secret])),
      users: Object.fromEntries(Object.values(TENANTS).map((t) => [t.platform.user, t.platform.password])),
    },
  });
  const temp = await fs.mkdtemp(path.join(tmpdir(), 'snip-byoc-'));
  let ok = true;
  const check = (what: string, got: number, want: number, detail = '') => {
    const pass = got === want;
    ok &&= pass;
    say(`  ${pass ? 'ok ' : 'BAD'} ${what}: ${got}${pass ? '' : ` (expected ${want})`}${detail ? `  ${detail}` : ''}`);
  };
  let service: Awaited<ReturnType<typeof createServer>> | undefined;
  try {
    say(`demo API listening on ${api.url}: the contact center (/1.0/...) and the external platform (/platform/...)`);
    for (const [name, t] of Object.entries(TENANTS)) {
      const store = new FileHubStore({ dir: path.join(temp, 'hubs', name), env: {} });
      await store.init();
      await seedHub(
        store,
        await loadHubDefinition(path.join(dir, 'hub.json'), {
          DEMO_URL: api.url,
          CC_CLIENT_ID: t.cc.id,
          CC_CLIENT_SECRET: t.cc.secret,
          PLATFORM_USER: t.platform.user,
          PLATFORM_PASSWORD: t.platform.password,
        }),
      );
    }
    service = await createServer({
      config: {
        baseDir: temp,
        stateDir: 'state',
        tenants: Object.fromEntries(
          Object.keys(TENANTS).map((n) => [n, { scripts: path.join(dir, 'scripts'), hub: path.join('hubs', n), routes: path.join(dir, 'routes.json') }]),
        ),
      },
    });
    const url = await service.listen({ port: 0 });
    say(`BYOC middleware (snip serve) listening on ${url}, tenants: ${Object.keys(TENANTS).join(', ')}\n`);

    const tokens: Record<string, { cc: string; platform: string }> = {};
    for (const name of Object.keys(TENANTS) as TenantName[]) {
      const cc = await service.ctx.clients.add(name, ['run', 'admin']);
      const platform = await service.ctx.clients.add(name, ['run']);
      const token = async (c: { client: { id: string }; secret: string }, role: string) => {
        const res = await fetch(`${url}/1.0/token`, {
          method: 'POST',
          headers: {
            'content-type': 'application/x-www-form-urlencoded',
            authorization: `Basic ${Buffer.from(`${c.client.id}:${c.secret}`).toString('base64')}`,
          },
          body: 'grant_type=client_credentials',
        });
        const body = (await res.json()) as { access_token: string; expires_in: number };
        check(`${name}: POST /1.0/token as the ${role} client`, res.status, 200, `expires_in ${body.expires_in}`);
        return body.access_token;
      };
      tokens[name] = { cc: await token(cc, 'contact center (run, admin)'), platform: await token(platform, 'external platform (run)') };
    }

    const send = async (tenant: string, token: string, method: string, route: string, body?: unknown) => {
      const res = await fetch(`${url}/t/${tenant}${route}`, {
        method,
        headers: { authorization: `Bearer ${token}`, ...(body !== undefined ? { 'content-type': 'application/json' } : {}) },
        ...(body !== undefined ? { body: JSON.stringify(body) } : {}),
      });
      const text = await res.text();
      return { status: res.status, text };
    };

    for (const name of Object.keys(TENANTS) as TenantName[]) {
      const t = tokens[name]!;
      const channelId = `${name}-chat`;
      say(`\n${name}:`);
      let r = await send(name, t.cc, 'POST', '/channels', { id: channelId, name: `${name} chat` });
      check('create a channel without externalPlatformIcon', r.status, 400, r.text);
      r = await send(name, t.cc, 'POST', '/channels', { id: channelId, name: `${name} chat`, externalPlatformIcon: `https://${name}.example/icon.png` });
      check('create a channel with externalPlatformIcon', r.status, 201, r.text);
      r = await send(name, t.platform, 'POST', '/recipients/validate', { recipient: '+15550100001' });
      check('validate recipient +15550100001', r.status, 200, r.text);
      r = await send(name, t.platform, 'POST', '/recipients/validate', { recipient: 'not an address' });
      check("validate recipient 'not an address'", r.status, 400, r.text);
      r = await send(name, t.cc, 'POST', `/channels/${channelId}/outbound`, { recipient: '+15550100002', text: `Hello from ${name}` });
      check('outbound message to the external platform', r.status, 202, r.text);
      r = await send(name, t.platform, 'POST', `/channels/${channelId}/inbound`, { from: 'customer@example.test', text: `Reply to ${name}` });
      check('inbound message relayed to the contact center', r.status, 202, r.text);
    }
    say('\ntenant isolation:');
    const cross = await send('contoso', tokens['northwind']!.cc, 'POST', '/channels', { name: 'x', externalPlatformIcon: 'y' });
    check("northwind's token on contoso's route", cross.status, 404);

    say('\nwhat the other side saw:');
    for (const m of api.data.platformMessages) say(`  platform  ${m.account.padEnd(20)} to ${m.to}: ${m.text}`);
    for (const m of api.data.messages) say(`  contact center  ${m.channelId.padEnd(16)} inbound from ${m.recipient}: ${m.text}`);
    for (const name of Object.keys(TENANTS) as TenantName[]) {
      const sent = api.data.platformMessages.filter((m) => m.account === TENANTS[name].platform.user).length;
      check(`${name}: platform messages sent with ${name}'s own platform account`, sent, 1);
    }
    check('contact center OAuth tokens fetched (one per tenant, then cached)', api.stats.tokensIssued, 2);
    return ok;
  } finally {
    await service?.close();
    await api.close();
    await fs.rm(temp, { recursive: true, force: true });
  }
}
