// `snip serve`: the headless HTTP service over the runtime (service/), and `snip serve client ...`
// to manage its OAuth clients. SIGTERM/SIGINT drain: stop accepting, let runs in flight finish within
// the configured deadline, exit 0.
import path from 'node:path';
import { EXIT, UsageError, parseCommandArgs, type CliIO, type Command } from '../io.js';
import { clusterMetricsSource, isServeWorker, runWorkers, sharedStateError } from './serve-workers.js';
import type { ClientDirectory } from '../../service/client-store.js';

const HELP = `snip serve: the headless script service (HTTP API, OAuth 2.0 client credentials)

Usage: snip serve [--config FILE] [--port N] [--host ADDRESS] [--workers N]
       snip serve client add --tenant T [--scope run,admin] [--config FILE]
       snip serve client list [--config FILE]
       snip serve client remove ID [--config FILE]
       snip serve migrate [--config FILE]

Options:
  --config FILE   the service config (default snip-serve.json; docs/service.md)
  --port N        port to listen on (default 8080; 0 picks a free one)
  --host ADDRESS  address to listen on (default 127.0.0.1)
  --workers N     N worker processes on one port (node:cluster); needs PostgreSQL and Redis in the
                  config (runs and tokens shared), refused otherwise (SNIP6025). Default 1.
  --tenant T      (client add) the tenant the client belongs to
  --scope LIST    (client add) comma-separated scopes: run, admin (default run)
  -h, --help      show this help

With a database (config "database": {"url": ...} or SNIP_DATABASE_URL; docs/scale-out.md) hubs,
clients, access tokens and runs live in PostgreSQL. 'migrate' brings its schema up to date; the
service refuses to start on a database that is not migrated (SNIP6031) or is newer (SNIP6032).
With Redis (config "redis": {"url": ...} or SNIP_REDIS_URL) the workers share upstream OAuth tokens
(one fetch for all) and async runs go on a queue any worker runs.

Logs are JSON lines on stdout (credentials redacted); the listening address goes to stderr.
Once idle after a load (no run for idleGcMs, 30 s), one full GC gives the grown heap back to the
system (config "idleGcMs": 0 turns it off).
'client add' prints the client id and its secret once; only a scrypt hash is stored.

Exit codes: 0 after a clean shutdown, 1 when the service cannot start, 2 usage errors.
`;

const OPTIONS = {
  config: { type: 'string' },
  port: { type: 'string' },
  host: { type: 'string' },
  workers: { type: 'string' },
  tenant: { type: 'string' },
  scope: { type: 'string' },
  help: { type: 'boolean', short: 'h' },
} as const;

/** `snip serve migrate`: applies the database migrations the schema lacks. */
async function migrateCommand(configFile: string, io: CliIO): Promise<number> {
  const { loadConfig } = await import('../../service/index.js');
  const { Database, migrate, LATEST_VERSION } = await import('../../service/pg/index.js');
  const config = await loadConfig(configFile, io.env);
  if (!config.database) throw new UsageError('migrate needs a database: set "database": {"url": ...} in the config or SNIP_DATABASE_URL');
  const db = new Database({ url: config.database.url });
  try {
    const applied = await migrate(db);
    io.stdout(applied.length ? `applied migration(s) ${applied.join(', ')}; the schema is at version ${LATEST_VERSION}\n` : `the schema is up to date (version ${LATEST_VERSION})\n`);
    return EXIT.ok;
  } finally {
    await db.close();
  }
}

async function clientCommand(args: string[], configFile: string, values: Record<string, unknown>, io: CliIO): Promise<number> {
  const { loadConfig, ClientStore } = await import('../../service/index.js');
  const config = await loadConfig(configFile, io.env);
  const pg = config.database ? await import('../../service/pg/index.js') : undefined;
  const db = pg && config.database ? new pg.Database({ url: config.database.url }) : undefined;
  try {
    if (pg && db) await pg.checkSchema(db);
    return await clientVerb(args, pg && db ? new pg.PgClientStore(db) : new ClientStore(config.stateDir), config.tenants, values, io);
  } finally {
    await db?.close();
  }
}

async function clientVerb(
  args: string[],
  store: ClientDirectory,
  tenants: ReadonlyMap<string, unknown>,
  values: Record<string, unknown>,
  io: CliIO,
): Promise<number> {
  const [verb, ...rest] = args;
  if (verb === 'add') {
    const tenant = values['tenant'];
    if (typeof tenant !== 'string') throw new UsageError('client add needs --tenant T');
    if (!tenants.has(tenant)) throw new UsageError(`no tenant '${tenant}' in the config`);
    const scopes = String(values['scope'] ?? 'run').split(',').map((s) => s.trim()).filter(Boolean);
    const { client, secret } = await store.add(tenant, scopes);
    io.stdout(`client_id     ${client.id}\nclient_secret ${secret}\nscopes        ${client.scopes.join(' ')}\n`);
    io.stderr('The secret is shown once; only its hash is stored.\n');
    return EXIT.ok;
  }
  if (verb === 'list') {
    for (const c of await store.list()) io.stdout(`${c.id}\t${c.tenant}\t${c.scopes.join(',')}\t${c.createdAt}\n`);
    return EXIT.ok;
  }
  if (verb === 'remove') {
    if (!rest[0]) throw new UsageError('client remove needs the client id');
    if (!(await store.remove(rest[0]))) {
      io.stderr(`no client '${rest[0]}'\n`);
      return EXIT.failure;
    }
    return EXIT.ok;
  }
  throw new UsageError(`unknown client command '${verb ?? ''}' (add, list, remove)`);
}

export const command: Command = {
  summary: 'run the headless script service (HTTP API with OAuth 2.0)',
  help: HELP,
  async run(args, io) {
    const { values, positionals } = parseCommandArgs(args, OPTIONS);
    if (values.help === true) {
      io.stdout(HELP);
      return EXIT.ok;
    }
    const configFile = path.resolve(io.cwd, typeof values.config === 'string' ? values.config : 'snip-serve.json');
    try {
      if (positionals[0] === 'client') return await clientCommand(positionals.slice(1), configFile, values, io);
      if (positionals[0] === 'migrate') {
        if (positionals.length > 1) throw new UsageError(`unexpected argument '${positionals[1]}'`);
        return await migrateCommand(configFile, io);
      }
      if (positionals.length > 0) throw new UsageError(`unexpected argument '${positionals[0]}'`);
      const port = values.port === undefined ? 8080 : Number(values.port);
      if (!Number.isInteger(port) || port < 0 || port > 65535) throw new UsageError('--port expects a port number');
      const workers = values.workers === undefined ? 1 : Number(values.workers);
      if (!Number.isInteger(workers) || workers < 1 || workers > 64) throw new UsageError('--workers expects a number from 1 to 64');
      const { loadConfig, createServer } = await import('../../service/index.js');
      const config = await loadConfig(configFile, io.env);
      if (workers > 1 && !isServeWorker()) {
        const refused = sharedStateError(config);
        if (refused) {
          io.stderr(`snip serve: ${refused}\n`);
          return EXIT.failure;
        }
        return await runWorkers(workers, io);
      }
      const service = await createServer({ config, logStream: process.stdout, processMetrics: true, idleGc: true });
      if (isServeWorker()) service.ctx.metricsText = clusterMetricsSource(service.ctx.metrics.registry);
      const url = await service.listen({ port, host: typeof values.host === 'string' ? values.host : '127.0.0.1' });
      io.stderr(`snip serve: listening on ${url}\n`);
      await new Promise<void>((resolve) => {
        const stop = (signal: string) => {
          io.stderr(`snip serve: ${signal}: draining (${service.ctx.gate.inFlight} runs in flight)\n`);
          void service.close().then(resolve);
        };
        process.once('SIGTERM', () => stop('SIGTERM'));
        process.once('SIGINT', () => stop('SIGINT'));
      });
      io.stderr('snip serve: stopped\n');
      // A worker of --workers: close the channel to the primary too, or it keeps the process up.
      if (isServeWorker()) process.disconnect?.();
      return EXIT.ok;
    } catch (e) {
      if (e instanceof UsageError) throw e;
      const code = (e as { code?: string }).code;
      io.stderr(`snip serve: ${code ? `error ${code}: ` : ''}${(e as Error).message}\n`);
      return EXIT.failure;
    }
  },
};
