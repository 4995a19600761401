// Shared plumbing of the `snip hub` subcommands: options every subcommand takes, opening the store,
// printing text or `--json`, and turning hub errors into `snip hub: error SNIPxxxx: ...` (exit 1).
import { SnipError } from '../../runtime/errors.js';
import { EXIT, UsageError, parseCommandArgs, type CliIO } from '../io.js';
import { FileHubStore, hubDirFrom } from '../../runtime/hub/file-store.js';

/** Options every hub subcommand accepts. */
export const COMMON_OPTIONS = {
  hub: { type: 'string' },
  json: { type: 'boolean' },
} as const;

type OptionSpec = Record<string, { type: 'string' | 'boolean'; multiple?: boolean; short?: string }>;

/** Parsed arguments of one subcommand plus what it needs to talk to the hub and the user. */
export interface HubContext {
  io: CliIO;
  store: FileHubStore;
  json: boolean;
  positionals: string[];
  values: Record<string, string | boolean | (string | boolean)[] | undefined>;
}

/** Parses `args` with the common options plus `options`, and opens the store. */
export function open(args: string[], io: CliIO, options: OptionSpec): HubContext {
  const { values, positionals } = parseCommandArgs(args, { ...COMMON_OPTIONS, ...options });
  const store = new FileHubStore({
    dir: hubDirFrom(values.hub as string | undefined, io.env),
    cwd: io.cwd,
    env: io.env,
    notice: (t) => io.stderr(t + '\n'),
  });
  return { io, store, json: values.json === true, positionals, values };
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

/** Runs a subcommand, mapping hub errors to exit 1 (with a JSON error object under `--json`). */
export async function guarded(io: CliIO, json: boolean, run: () => Promise<number>): Promise<number> {
  try {
    return await run();
  } catch (e) {
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
