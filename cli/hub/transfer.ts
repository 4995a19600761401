// `snip hub export` / `snip hub import`: move a hub between this hub folder and PostgreSQL (a
// tenant's rows) or a JSON bundle file. Secrets travel as their encrypted records only: nothing is
// decrypted, and the destination reads them with the same key (keep `.hubkey` with the hub folder
// the service's tenant config names, or the same SNIP_HUB_KEY). An existing destination is kept
// unless --replace is given (SNIP4051).
import { promises as fs } from 'node:fs';
import path from 'node:path';
import { SnipError } from '../../runtime/errors.js';
import { EXIT, UsageError, type CliIO } from '../io.js';
import type { Database } from '../../service/pg/database.js';
import type { PgHubStore } from '../../service/pg/hub-store.js';
import { guarded, keyFileOf, open, print, str, takePositionals, type HubContext } from './context.js';
import { connectHubDatabase } from './pg.js';
import { readBundleFile, readFileBundle, writeFileBundle, type HubBundle } from './bundle.js';

const OPTIONS = {
  to: { type: 'string' },
  from: { type: 'string' },
  tenant: { type: 'string' },
  replace: { type: 'boolean' },
} as const;

const isDatabase = (target: string) => /^postgres(ql)?:\/\//.test(target);

/** Runs PostgreSQL work on a tenant's hub; the pool is closed afterwards. */
async function withPgStore<T>(url: string, ctx: HubContext, work: (store: PgHubStore) => Promise<T>): Promise<T> {
  const tenant = str(ctx, 'tenant');
  if (!tenant) throw new UsageError('--tenant T is required with a postgres:// URL (the hub of that tenant)');
  let db: Database;
  try {
    db = await connectHubDatabase(url);
  } catch (e) {
    // Database errors keep their code, in the hub command's error shape.
    const err = e as { code?: string; message: string };
    throw new SnipError('SNIP4001', `${err.code ?? 'error'}: ${err.message}`);
  }
  try {
    // No key-folder check here (unlike the hub nouns): an import may create the folder.
    const { PgHubStore } = await import('../../service/pg/index.js');
    return await work(new PgHubStore({ db, tenant, keyFile: keyFileOf(ctx.folder).file }));
  } finally {
    await db.close();
  }
}

function summary(b: HubBundle): string {
  const secrets = Object.values(b.secrets).reduce((n, r) => n + r.length, 0);
  return `${b.templates.length} template(s), ${b.connections.length} connection(s), ${secrets} encrypted secret(s)`;
}

/** `snip hub export --to postgres://...|FILE [--tenant T] [--replace]`. */
export async function runExport(args: string[], io: CliIO): Promise<number> {
  const ctx = open(args, io, OPTIONS, true);
  return guarded(ctx, async () => {
    takePositionals(ctx, []);
    const to = str(ctx, 'to');
    if (!to) throw new UsageError('--to is required: a postgres:// URL (with --tenant) or a bundle file');
    const bundle = await readFileBundle(ctx.folder);
    const replace = ctx.values.replace === true;
    if (isDatabase(to)) {
      await withPgStore(to, ctx, (pg) => pg.importBundle(bundle, replace));
      print(ctx, { to: 'postgres', tenant: str(ctx, 'tenant'), templates: bundle.templates.length, connections: bundle.connections.length }, `exported ${summary(bundle)} of ${ctx.folder.shown} to tenant ${str(ctx, 'tenant')} in PostgreSQL`);
    } else {
      const file = path.resolve(io.cwd, to);
      try {
        await fs.writeFile(file, JSON.stringify(bundle, null, 2) + '\n', { flag: replace ? 'w' : 'wx', mode: 0o600 });
      } catch (e) {
        if ((e as NodeJS.ErrnoException).code === 'EEXIST') throw new SnipError('SNIP4051', `${to} already exists; pass --replace to overwrite it`);
        throw e;
      }
      print(ctx, { to, templates: bundle.templates.length, connections: bundle.connections.length }, `exported ${summary(bundle)} of ${ctx.folder.shown} to ${to}`);
    }
    return EXIT.ok;
  });
}

/** `snip hub import --from postgres://...|FILE [--tenant T] [--replace]`. */
export async function runImport(args: string[], io: CliIO): Promise<number> {
  const ctx = open(args, io, OPTIONS, true);
  return guarded(ctx, async () => {
    takePositionals(ctx, []);
    const from = str(ctx, 'from');
    if (!from) throw new UsageError('--from is required: a postgres:// URL (with --tenant) or a bundle file');
    const bundle = isDatabase(from) ? await withPgStore(from, ctx, (pg) => pg.exportBundle()) : await readBundleFile(path.resolve(io.cwd, from), from);
    if (isDatabase(from) && bundle.templates.length === 0 && bundle.connections.length === 0) {
      throw new SnipError('SNIP4002', `tenant ${str(ctx, 'tenant')} has no hub in the database`);
    }
    await writeFileBundle(ctx.folder, bundle, ctx.values.replace === true);
    print(ctx, { hub: ctx.folder.shown, templates: bundle.templates.length, connections: bundle.connections.length }, `imported ${summary(bundle)} into ${ctx.folder.shown}`);
    return EXIT.ok;
  });
}
