// `snip hub connection create|list|show|delete`: a connection in use by a `.studio` file of the
// workspace is only deleted with --force.
import { readFile } from 'node:fs/promises';
import { isAbsolute, resolve } from 'node:path';
import { SnipError } from '../../errors.js';
import { EXIT, UsageError, type CliIO } from '../io.js';
import type { Connection, SecretInfo } from '../../hub/model.js';
import { findConnectionUses } from '../../hub/usage.js';
import { connectionWarnings } from '../../hub/rules.js';
import { guarded, open, print, str, table, takePositionals, type HubContext } from './context.js';

const CREATE = {
  template: { type: 'string' },
  timeout: { type: 'string' },
  'resource-domain': { type: 'string' },
  'ca-bundle': { type: 'string' },
} as const;

/** Runs `snip hub connection <action> ...`. */
export async function runConnection(action: string | undefined, args: string[], io: CliIO): Promise<number> {
  const ctx = open(args, io, action === 'create' ? CREATE : action === 'delete' ? { force: { type: 'boolean' } } : {});
  return guarded(io, ctx.json, async () => {
    switch (action) {
      case 'create': {
        const [name] = takePositionals(ctx, ['NAME']);
        const template = str(ctx, 'template');
        if (!template) throw new UsageError('--template is required');
        const timeout = str(ctx, 'timeout');
        if (timeout !== undefined && !/^\d+$/.test(timeout)) throw new UsageError(`--timeout must be a whole number of ms, got '${timeout}'`);
        const ca = str(ctx, 'ca-bundle');
        const c = await ctx.store.createConnection({
          name: name!,
          template,
          ...(timeout !== undefined ? { timeoutMs: Number(timeout) } : {}),
          ...(str(ctx, 'resource-domain') !== undefined ? { resourceDomain: str(ctx, 'resource-domain')! } : {}),
          ...(ca !== undefined ? { caBundle: await readText(ca, io.cwd, '--ca-bundle') } : {}),
        });
        print(ctx, c, `created connection "${c.name}" from template "${c.template}" (status ${c.status}, timeout ${c.timeoutMs} ms)`);
        return EXIT.ok;
      }
      case 'list': {
        takePositionals(ctx, []);
        const list = await ctx.store.listConnections();
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
        throw new UsageError(action ? `unknown connection action '${action}' (create, list, show, delete)` : 'missing connection action (create, list, show, delete)');
    }
  });
}

async function remove(ctx: HubContext): Promise<number> {
  const [name] = takePositionals(ctx, ['NAME']);
  await ctx.store.getConnection(name!);
  const uses = await findConnectionUses(ctx.io.cwd, name!, [ctx.store.dir]);
  const where = uses.map((u) => `${u.file}:${u.line}`);
  if (uses.length > 0 && ctx.values.force !== true) {
    throw new SnipError('SNIP4011', `connection "${name}" is used by ${where.join(', ')}; change those scripts first, or delete with --force`);
  }
  if (uses.length > 0) ctx.io.stderr(`snip hub: warning: deleting connection "${name}" still used by ${where.join(', ')}\n`);
  await ctx.store.deleteConnection(name!);
  print(ctx, { deleted: name, usedBy: where }, `deleted connection "${name}" with its requests and secrets`);
  return EXIT.ok;
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
