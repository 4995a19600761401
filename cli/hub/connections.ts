// `snip hub connection create|update|list|show|delete`: a connection in use by a `.studio` file of
// the workspace is only deleted with --force. `update` changes the timeout, resource domain, CA
// bundle or client certificate in place (also repairing a file that breaks one of those rules).
import { readFile } from 'node:fs/promises';
import { isAbsolute, resolve } from 'node:path';
import { SnipError } from '../../runtime/errors.js';
import { EXIT, UsageError, type CliIO } from '../io.js';
import type { Connection, MtlsSettings, SecretInfo } from '../../runtime/hub/model.js';
import type { ConnectionPatch } from '../../runtime/hub/store.js';
import { findConnectionUses } from '../../runtime/hub/usage.js';
import { connectionWarnings } from '../../runtime/hub/rules.js';
import { guarded, open, print, str, table, takePositionals, type HubContext } from './context.js';

const CREATE = {
  template: { type: 'string' },
  timeout: { type: 'string' },
  'resource-domain': { type: 'string' },
  'ca-bundle': { type: 'string' },
} as const;

const UPDATE = {
  timeout: { type: 'string' },
  'resource-domain': { type: 'string' },
  'no-resource-domain': { type: 'boolean' },
  'ca-bundle': { type: 'string' },
  'no-ca-bundle': { type: 'boolean' },
  'client-cert': { type: 'string' },
  'client-key': { type: 'string' },
  'passphrase-secret': { type: 'string' },
  'no-client-cert': { type: 'boolean' },
} as const;

/** `delete` (connections and secrets): --force, and where the .studio files to check are. */
export const DELETE = {
  force: { type: 'boolean' },
  scripts: { type: 'string' },
} as const;

const ACTIONS = 'create, update, list, show, delete';

/** Runs `snip hub connection <action> ...`. */
export async function runConnection(action: string | undefined, args: string[], io: CliIO): Promise<number> {
  const ctx = open(args, io, action === 'create' ? CREATE : action === 'update' ? UPDATE : action === 'delete' ? DELETE : {});
  return guarded(ctx, async () => {
    switch (action) {
      case 'create': {
        const [name] = takePositionals(ctx, ['NAME']);
        const template = str(ctx, 'template');
        if (!template) throw new UsageError('--template is required');
        const timeout = timeoutOf(ctx);
        const ca = str(ctx, 'ca-bundle');
        const c = await ctx.store.createConnection({
          name: name!,
          template,
          ...(timeout !== undefined ? { timeoutMs: timeout } : {}),
          ...(str(ctx, 'resource-domain') !== undefined ? { resourceDomain: str(ctx, 'resource-domain')! } : {}),
          ...(ca !== undefined ? { caBundle: await readText(ca, io.cwd, '--ca-bundle') } : {}),
        });
        print(ctx, c, `created connection "${c.name}" from template "${c.template}" (status ${c.status}, timeout ${c.timeoutMs} ms)`);
        return EXIT.ok;
      }
      case 'update':
        return update(ctx);
      case 'list': {
        takePositionals(ctx, []);
        const list = await ctx.store.listConnections();
        await warnProblems(ctx, 'connections');
        const rows = [['NAME', 'TEMPLATE', 'STATUS', 'REQUESTS', 'SECRETS'], ...list.map((c) => [c.name, c.template, c.status, String(c.requests.length), String(c.secrets.length)])];
        print(ctx, list.map(summary), list.length ? table(rows) : 'no connections\n');
        return EXIT.ok;
      }
      case 'show': {
        const [name] = takePositionals(ctx, ['NAME']);
        const c = await ctx.store.getConnection(name!);
        const secrets = await ctx.store.listSecrets(name!);
        const warnings = connectionWarnings(c, (await ctx.store.getTemplate(c.template)).authType);
        print(ctx, { ...c, secrets, ...(warnings.length ? { warnings } : {}) }, describe(c, secrets) + warnings.map((w) => `warning: ${w}\n`).join(''));
        return EXIT.ok;
      }
      case 'delete':
        return remove(ctx);
      default:
        throw new UsageError(action ? `unknown connection action '${action}' (${ACTIONS})` : `missing connection action (${ACTIONS})`);
    }
  });
}

/** A whole number of ms from `--timeout`, or undefined. */
function timeoutOf(ctx: HubContext): number | undefined {
  const timeout = str(ctx, 'timeout');
  if (timeout !== undefined && !/^\d+$/.test(timeout)) throw new UsageError(`--timeout must be a whole number of ms, got '${timeout}'`);
  return timeout === undefined ? undefined : Number(timeout);
}

/** One of `--NAME VALUE` / `--no-NAME`: the value, null to remove, undefined to keep. */
function setOrClear(ctx: HubContext, name: string): string | null | undefined {
  const v = str(ctx, name);
  if (v !== undefined && ctx.values[`no-${name}`] === true) throw new UsageError(`--${name} and --no-${name} cannot be combined`);
  return v !== undefined ? v : ctx.values[`no-${name}`] === true ? null : undefined;
}

async function update(ctx: HubContext): Promise<number> {
  const [name] = takePositionals(ctx, ['NAME']);
  const patch: ConnectionPatch = {};
  const timeout = timeoutOf(ctx);
  if (timeout !== undefined) patch.timeoutMs = timeout;
  const domain = setOrClear(ctx, 'resource-domain');
  if (domain !== undefined) patch.resourceDomain = domain;
  const ca = setOrClear(ctx, 'ca-bundle');
  if (ca !== undefined) patch.caBundle = ca === null ? null : await readText(ca, ctx.io.cwd, '--ca-bundle');
  const mtls = await clientCertificate(ctx);
  if (mtls !== undefined) patch.mtls = mtls;
  if (Object.keys(patch).length === 0) {
    throw new UsageError('nothing to update: give --timeout, --resource-domain, --ca-bundle, --client-cert/--client-key or a --no-... option (authentication: snip hub auth set)');
  }
  const c = await ctx.store.updateConnection(name!, patch);
  print(ctx, c, `updated connection "${c.name}" (status ${c.status}, timeout ${c.timeoutMs} ms)`);
  return EXIT.ok;
}

/** `--client-cert FILE --client-key FILE [--passphrase-secret NAME]`, `--no-client-cert`, or undefined. */
export async function clientCertificate(ctx: HubContext): Promise<MtlsSettings | null | undefined> {
  const cert = str(ctx, 'client-cert');
  const key = str(ctx, 'client-key');
  if ((cert === undefined) !== (key === undefined)) throw new UsageError('--client-cert and --client-key go together');
  if (str(ctx, 'passphrase-secret') !== undefined && cert === undefined) throw new UsageError('--passphrase-secret needs --client-cert and --client-key');
  if (cert !== undefined && ctx.values['no-client-cert'] === true) throw new UsageError('--no-client-cert cannot be combined with --client-cert');
  if (cert !== undefined) {
    const mtls: MtlsSettings = { certPem: await readText(cert, ctx.io.cwd, '--client-cert'), keyPem: await readText(key!, ctx.io.cwd, '--client-key') };
    if (str(ctx, 'passphrase-secret') !== undefined) mtls.passphraseSecret = str(ctx, 'passphrase-secret')!;
    return mtls;
  }
  return ctx.values['no-client-cert'] === true ? null : undefined;
}

/** Files of the hub that do not load, as warnings on stderr (the listing shows the others). */
export async function warnProblems(ctx: HubContext, folder: 'templates' | 'connections'): Promise<void> {
  // Only a folder has files that may not load; PostgreSQL rows are checked when written.
  if (ctx.store !== ctx.folder) return;
  for (const p of await ctx.folder.problems()) {
    if (p.folder === folder) ctx.io.stderr(`snip hub: warning ${p.error.code}: ${p.error.message.replace(/\n\s*/g, '; ')} (${folder === 'connections' ? "fix the file, or 'snip hub connection update' or 'delete' it" : 'fix or remove the file'})\n`);
  }
}

async function remove(ctx: HubContext): Promise<number> {
  const [name] = takePositionals(ctx, ['NAME']);
  try {
    await ctx.store.getConnection(name!);
  } catch (e) {
    // A connection whose file does not load can still be deleted (the store finds its file).
    if (!(e instanceof SnipError) || e.code !== 'SNIP4001') throw e;
  }
  const scripts = scriptsRoot(ctx);
  const uses = await findConnectionUses(scripts.dir, name!, [ctx.folder.dir]);
  const where = uses.map((u) => `${u.file}:${u.line}`);
  if (uses.length > 0 && ctx.values.force !== true) {
    throw new SnipError('SNIP4011', `connection "${name}" is used by ${where.join(', ')}; change those scripts first, or delete with --force`);
  }
  if (uses.length > 0) ctx.io.stderr(`snip hub: warning: deleting connection "${name}" still used by ${where.join(', ')}\n`);
  await ctx.store.deleteConnection(name!);
  print(ctx, { deleted: name, usedBy: where, checked: scripts.shown }, `deleted connection "${name}" with its requests and secrets (checked the .studio files under ${scripts.shown})`);
  return EXIT.ok;
}

/**
 * Where `delete` looks for .studio files that use a connection or secret: --scripts DIR, else the
 * current folder (the hub folder itself is skipped).
 */
export function scriptsRoot(ctx: HubContext): { dir: string; shown: string } {
  const given = str(ctx, 'scripts');
  if (given === undefined) return { dir: ctx.io.cwd, shown: '.' };
  if (given === '') throw new UsageError('--scripts needs a folder');
  return { dir: isAbsolute(given) ? given : resolve(ctx.io.cwd, given), shown: given };
}

/** What `connection list --json` shows per connection. */
function summary(c: Connection): Record<string, unknown> {
  return { name: c.name, template: c.template, status: c.status, ...(c.authorizedAt ? { authorizedAt: c.authorizedAt } : {}), requests: c.requests.length, secrets: c.secrets };
}

function kv(r: Record<string, string>): string {
  const e = Object.entries(r);
  return e.length ? e.map(([k, v]) => `${k}=${v}`).join(', ') : '-';
}

function describe(c: Connection, secrets: SecretInfo[]): string {
  const a = c.auth;
  const lines = [
    `connection       ${c.name}`,
    `template         ${c.template}`,
    `status           ${c.status}${c.authorizedAt ? ` (authorized ${c.authorizedAt})` : ''}`,
    `timeout          ${c.timeoutMs} ms`,
    `resource domain  ${c.resourceDomain ?? '-'}`,
    `CA bundle        ${c.caBundle ? 'yes' : '-'}`,
    `auth             ${a.url ? `${a.method ?? ''} ${a.url}`.trim() : '-'}`,
    `  headers        ${kv(a.headers)}`,
    `  query          ${kv(a.query)}`,
    `  media type     ${a.mediaType ?? '-'}`,
    `  body           ${a.body ?? '-'}`,
    `  client cert    ${c.mtls ? `yes${c.mtls.passphraseSecret ? ` (passphrase secret "${c.mtls.passphraseSecret}")` : ''}` : '-'}`,
    `secrets          ${secrets.length ? secrets.map((s) => `${s.name} [${s.fingerprint}]`).join(', ') : '-'}`,
    `requests         ${c.requests.length ? c.requests.map((r) => `${r.name} (${r.trigger}${r.active ? '' : ', inactive'})`).join(', ') : '-'}`,
  ];
  return lines.join('\n') + '\n';
}

/** Reads a text file given on the command line (relative to the working directory). */
export async function readText(file: string, cwd: string, option: string): Promise<string> {
  try {
    return await readFile(isAbsolute(file) ? file : resolve(cwd, file), 'utf8');
  } catch {
    throw new UsageError(`${option}: cannot read '${file}'`);
  }
}
