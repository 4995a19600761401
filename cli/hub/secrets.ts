// `snip hub secret set|list|delete`: values go in (stdin or a masked prompt) and never come out;
// only names, fingerprints and change times are shown.
import { SnipError } from '../../runtime/errors.js';
import { EXIT, UsageError, type CliIO } from '../io.js';
import type { Connection } from '../../runtime/hub/model.js';
import { findSecretUses } from '../../runtime/hub/usage.js';
import { guarded, open, print, table, takePositionals, type HubContext } from './context.js';
import { promptHidden } from './prompt.js';
import { DELETE, scriptsRoot } from './connections.js';

/** Runs `snip hub secret <action> ...`. */
export async function runSecret(action: string | undefined, args: string[], io: CliIO): Promise<number> {
  const ctx = open(args, io, action === 'delete' ? DELETE : {});
  return guarded(ctx, async () => {
    switch (action) {
      case 'set': {
        const [conn, name] = takePositionals(ctx, ['CONN', 'NAME']);
        await ctx.store.getConnection(conn!);
        const value = await readValue(io, name!);
        const info = await ctx.store.setSecret(conn!, name!, value);
        print(ctx, { connection: conn, ...info }, `set secret "${info.name}" of "${conn}" (fingerprint ${info.fingerprint})`);
        return EXIT.ok;
      }
      case 'list': {
        const [conn] = takePositionals(ctx, ['CONN']);
        const list = await ctx.store.listSecrets(conn!);
        const rows = [['NAME', 'FINGERPRINT', 'CHANGED'], ...list.map((s) => [s.name, s.fingerprint, s.changedAt])];
        print(ctx, list, list.length ? table(rows) : `connection "${conn}" has no secrets\n`);
        return EXIT.ok;
      }
      case 'delete':
        return remove(ctx);
      default:
        throw new UsageError(action ? `unknown secret action '${action}' (set, list, delete)` : 'missing secret action (set, list, delete)');
    }
  });
}

/** The value from piped stdin (one trailing line break dropped) or a masked prompt on a terminal. */
async function readValue(io: CliIO, name: string): Promise<string> {
  let value = await io.readStdin();
  if (value === undefined) value = await promptHidden(`Value of secret "${name}": `);
  if (value === undefined) throw new UsageError('no secret value: pipe it on standard input or run in a terminal');
  value = value.replace(/\r?\n$/, '');
  if (value === '') throw new UsageError('the secret value is empty');
  return value;
}

/** Where the connection's own configuration references `[[ name ]]`. */
function configUses(c: Connection, name: string): string[] {
  const refs = (text: string | undefined): boolean => {
    if (!text) return false;
    for (const m of text.matchAll(/\[\[\s*((?:(?!\]\]).)+?)\s*\]\]/gs)) if (m[1] === name) return true;
    return false;
  };
  const inParts = (label: string, p: { url?: string; headers: Record<string, string>; query: Record<string, string>; body?: string }): string[] =>
    refs(p.url) || Object.values(p.headers).some(refs) || Object.values(p.query).some(refs) || refs(p.body) ? [label] : [];
  return [
    ...inParts('authentication details', c.auth),
    ...(c.mtls?.passphraseSecret === name ? ['client key passphrase'] : []),
    ...c.requests.flatMap((r) => inParts(`request "${r.name}"`, r)),
  ];
}

async function remove(ctx: HubContext): Promise<number> {
  const [conn, name] = takePositionals(ctx, ['CONN', 'NAME']);
  const c = await ctx.store.getConnection(conn!);
  if (!(await ctx.store.listSecrets(conn!)).some((s) => s.name === name)) {
    throw new SnipError('SNIP4008', `connection "${conn}" has no secret named "${name}"`);
  }
  const root = scriptsRoot(ctx);
  const scripts = (await findSecretUses(root.dir, conn!, name!, [ctx.folder.dir])).map((u) => `${u.file}:${u.line}`);
  const where = [...configUses(c, name!), ...scripts];
  if (where.length > 0 && ctx.values.force !== true) {
    throw new SnipError('SNIP4011', `secret "${name}" of "${conn}" is used by ${where.join(', ')}; change those first, or delete with --force`);
  }
  if (where.length > 0) ctx.io.stderr(`snip hub: warning: deleting secret "${name}" still used by ${where.join(', ')}\n`);
  await ctx.store.deleteSecret(conn!, name!);
  print(ctx, { connection: conn, deleted: name, usedBy: where, checked: root.shown }, `deleted secret "${name}" of "${conn}" (checked the .studio files under ${root.shown})`);
  return EXIT.ok;
}
