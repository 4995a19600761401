// Command-line entry of the demo API: `node dist/samples/demo-api/cli.js [--port N] [--token-lifetime S]`.
// Prints the base URL and the demo credentials, then serves until interrupted.
import { parseArgs } from 'node:util';
import { startDemoApi } from './server.js';

async function run(): Promise<void> {
  const { values } = parseArgs({
    options: { port: { type: 'string' }, 'token-lifetime': { type: 'string' }, help: { type: 'boolean' } },
    strict: true,
  });
  if (values.help) {
    process.stdout.write('Usage: demo-api [--port N] [--token-lifetime SECONDS]\n');
    return;
  }
  const api = await startDemoApi({
    port: values.port ? Number(values.port) : 0,
    ...(values['token-lifetime'] ? { tokenLifetimeSeconds: Number(values['token-lifetime']) } : {}),
  });
  process.stdout.write(`demo API listening on ${api.url}\n`);
  process.stdout.write('OAuth token endpoint: POST /oauth/token (client demo-client / demo-secret; user agent.smith / demo-password)\n');
  const stop = () => void api.close().then(() => process.exit(0));
  process.on('SIGINT', stop);
  process.on('SIGTERM', stop);
}

run().catch((e: unknown) => {
  process.stderr.write(`demo-api: ${e instanceof Error ? e.message : String(e)}\n`);
  process.exitCode = 1;
});
