// Shared plumbing of the `snip hub` subcommands: options every subcommand takes, opening the store
// (the hub folder, or a tenant's hub in PostgreSQL with --database/--tenant), printing text or
// `--json`, and turning hub and database errors into `snip hub: error SNIPxxxx: ...` (exit 1).
import { join } from 'node:path';
import { SnipError } from '../../runtime/errors.js';
import { EXIT, UsageError, parseCommandArgs, type CliIO } from '../io.js';
import { FileHubStore, KEY_FILE, hubDirFrom } from '../../runtime/hub/file-store.js';
import type { HubStore } from '../../runtime/hub/store.js';
import { ServiceError } from '../../service/errors.js';
import { openPgHub, pgFailure, type PgHub } from './pg.js';

/** Options every hub subcommand accepts. */
export const COMMON_OPTIONS = {
  hub: { type: 'string' },
  json: { type: 'boolean' },
} as const;

/** Options of the subcommands that also work on a tenant's hub in PostgreSQL. */
export const DATABASE_OPTIONS = {
  database: { type: 'string' },
  tenant: { type: 'string' },
} as const;

/** Where a command's hub lives in PostgreSQL (never printed: the URL may hold a password). */
export interface DatabaseSelection {
  url: string;
  tenant: string;
}

type OptionSpec = Record<string, { type: 'string' | 'boolean'; multiple?: boolean; short?: string }>;

/** Parsed arguments of one subcommand plus what it needs to talk to the hub and the user. */
export interface HubContext {
  io: CliIO;
  /** The hub: the folder, or (with a database selection, once `guarded` connected) the tenant's rows. */
  store: HubStore;
  /** The hub folder: the hub itself without --database, else where the key file (.hubkey) is. */
  folder: FileHubStore;
  database?: DatabaseSelection;
  /** Set while connected to PostgreSQL (inside `guarded`). */
  pg?: PgHub;
  json: boolean;
  positionals: string[];
  values: Record<string, string | boolean | (string | boolean)[] | undefined>;
}

/**
 * Parses `args` with the common options plus `options`, and opens the hub folder. Unless `folderOnly`,
 * --tenant T selects that tenant's hub in PostgreSQL (URL from --database, else SNIP_DATABASE_URL);
 * `guarded` connects to it before the command runs and closes the pool afterwards.
 */
export function open(args: string[], io: CliIO, options: OptionSpec, folderOnly = false): HubContext {
  const { values, positionals } = parseCommandArgs(args, { ...COMMON_OPTIONS, ...(folderOnly ? {} : DATABASE_OPTIONS), ...options });
  const folder = new FileHubStore({
    dir: hubDirFrom(values.hub as string | undefined, io.env),
    cwd: io.cwd,
    env: io.env,
    notice: (t) => io.stderr(t + '\n'),
  });
  const database = folderOnly ? undefined : databaseSelection(values.database as string | undefined, values.tenant as string | undefined, io.env);
  return { io, store: folder, folder, ...(database ? { database } : {}), json: values.json === true, positionals, values };
}

/** --database/--tenant (or SNIP_DATABASE_URL with --tenant): a tenant's hub in PostgreSQL, or none. */
function databaseSelection(flag: string | undefined, tenant: string | undefined, env: Record<string, string | undefined>): DatabaseSelection | undefined {
  if (flag === undefined && tenant === undefined) return undefined;
  const url = flag ?? env.SNIP_DATABASE_URL;
  if (!url) throw new UsageError('--tenant needs a database: give --database postgres://URL or set SNIP_DATABASE_URL');
  if (tenant === undefined || tenant === '') throw new UsageError('--tenant T is required with --database (or SNIP_DATABASE_URL): the tenant whose hub to change');
  // Never echo the URL: it may carry a password.
  if (!/^postgres(ql)?:\/\//.test(url) || !URL.canParse(url)) throw new UsageError(`${flag !== undefined ? '--database' : 'SNIP_DATABASE_URL'} must be a postgres:// URL`);
  return { url, tenant };
}

/** Refuses --database/--tenant for a command that works on the hub folder only. */
export function folderOnly(ctx: HubContext, what: string): void {
  if (ctx.database) throw new UsageError(`${what} works on a hub folder only (without --database/--tenant)`);
}

/** Where the hub's key file is: the hub folder's .hubkey (the service's tenant config points at the same file). */
export function keyFileOf(folder: FileHubStore): { file: string; shown: string } {
  return { file: join(folder.dir, KEY_FILE), shown: `${folder.shown}/${KEY_FILE}` };
}

/** How messages name the hub: the folder, or the tenant in PostgreSQL. */
export function hubShown(ctx: HubContext): string {
  return ctx.database ? `tenant ${ctx.database.tenant} in PostgreSQL` : ctx.folder.shown;
}

/** The positional arguments `names` (exactly that many), or a usage error naming the missing one. */
export function takePositionals(ctx: HubContext, names: string[]): string[] {
  if (ctx.positionals.length < names.length) throw new UsageError(`missing ${names[ctx.positionals.length]}`);
  if (ctx.positionals.length > names.length) throw new UsageError(`unexpected argument '${ctx.positionals[names.length]}'`);
  return ctx.positionals;
}

/** A string option's value, or undefined. */
export function str(ctx: HubContext, name: string): string | undefined {
  const v = ctx.values[name];
  return typeof v === 'string' ? v : undefined;
}

/** A required string option. */
export function required(ctx: HubContext, name: string): string {
  const v = str(ctx, name);
  if (v === undefined || v === '') throw new UsageError(`--${name} is required`);
  return v;
}

/** A repeated string option's values. */
export function many(ctx: HubContext, name: string): string[] {
  const v = ctx.values[name];
  return Array.isArray(v) ? v.map(String) : typeof v === 'string' ? [v] : [];
}

/** `NAME=VALUE` pairs of a repeated option as a record (the first `=` splits; names are kept as written). */
export function pairs(ctx: HubContext, name: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const item of many(ctx, name)) {
    const i = item.indexOf('=');
    if (i <= 0) throw new UsageError(`--${name} expects NAME=VALUE, got '${item}'`);
    out[item.slice(0, i)] = item.slice(i + 1);
  }
  return out;
}

/** Prints `data` as JSON with `--json`, or `text` otherwise. */
export function print(ctx: HubContext, data: unknown, text: string): void {
  if (ctx.json) ctx.io.stdout(JSON.stringify(data, null, 2) + '\n');
  else ctx.io.stdout(text.endsWith('\n') || text === '' ? text : text + '\n');
}

/**
 * Runs a subcommand, mapping hub errors to exit 1 (with a JSON error object under `--json`). With a
 * database selection it first connects (schema checked: SNIP6031 asks for `snip serve migrate`), runs
 * on the tenant's hub, and always closes the pool so the process can exit.
 */
export async function guarded(ctx: HubContext, run: () => Promise<number>): Promise<number> {
  const { io, json } = ctx;
  try {
    if (!ctx.database) return await run();
    const pg = await openPgHub(ctx.database, keyFileOf(ctx.folder), io);
    ctx.pg = pg;
    ctx.store = pg.store;
    try {
      return await run();
    } finally {
      await pg.close();
    }
  } catch (caught) {
    // Database errors (unreachable, not migrated, refused) in the hub command's error shape.
    const e = caught instanceof ServiceError ? new SnipError(caught.code, caught.message) : (pgFailure(caught) ?? caught);
    if (!(e instanceof SnipError)) {
      if (e instanceof UsageError) throw e;
      const err = e as NodeJS.ErrnoException;
      if (err.code && err.path !== undefined) {
        io.stderr(`snip hub: error: ${err.message}\n`);
        return EXIT.failure;
      }
      throw e;
    }
    io.stderr(`snip hub: error ${e.code}: ${e.message}\n`);
    if (json) io.stdout(JSON.stringify({ error: { code: e.code, message: e.message } }, null, 2) + '\n');
    return EXIT.failure;
  }
}

/** A small aligned table for list commands. */
export function table(rows: string[][]): string {
  if (rows.length === 0) return '';
  const widths = rows[0]!.map((_, i) => Math.max(...rows.map((r) => (r[i] ?? '').length)));
  return rows.map((r) => r.map((c, i) => (i === r.length - 1 ? c : c.padEnd(widths[i]!))).join('  ')).join('\n') + '\n';
}
