// `snip hub template create|list|show`: templates are immutable, so there is no update.
import { readFile } from 'node:fs/promises';
import { extname, isAbsolute, resolve } from 'node:path';
import { EXIT, UsageError, type CliIO } from '../io.js';
import { AUTH_TYPES, type AuthType, type Template, type TemplateHeader } from '../../runtime/hub/model.js';
import { warnProblems } from './connections.js';
import { guarded, many, open, print, required, str, table, takePositionals } from './context.js';

const CREATE = {
  application: { type: 'string' },
  auth: { type: 'string' },
  verbs: { type: 'string' },
  header: { type: 'string', multiple: true },
  description: { type: 'string' },
  icon: { type: 'string' },
} as const;

const ICON_TYPES: Record<string, string> = { '.png': 'image/png', '.svg': 'image/svg+xml', '.jpg': 'image/jpeg', '.jpeg': 'image/jpeg', '.gif': 'image/gif' };

/** Runs `snip hub template <action> ...`. */
export async function runTemplate(action: string | undefined, args: string[], io: CliIO): Promise<number> {
  const ctx = open(args, io, action === 'create' ? CREATE : {});
  return guarded(ctx, async () => {
    switch (action) {
      case 'create': {
        const [name] = takePositionals(ctx, ['NAME']);
        const auth = required(ctx, 'auth');
        if (!(AUTH_TYPES as readonly string[]).includes(auth)) throw new UsageError(`--auth must be one of ${AUTH_TYPES.join(', ')}`);
        const headers: TemplateHeader[] = many(ctx, 'header').map((h) => {
          const m = /^(.*?)(?::(required|optional))?$/i.exec(h)!;
          return { name: m[1]!, required: m[2]?.toLowerCase() === 'required' };
        });
        const input = {
          name: name!,
          application: required(ctx, 'application'),
          authType: auth as AuthType,
          verbs: required(ctx, 'verbs').split(',').map((v) => v.trim()).filter((v) => v !== ''),
          authHeaders: headers,
          ...(str(ctx, 'description') !== undefined ? { description: str(ctx, 'description')! } : {}),
          ...(str(ctx, 'icon') !== undefined ? { icon: await readIcon(str(ctx, 'icon')!, io.cwd) } : {}),
        };
        const t = await ctx.store.createTemplate(input);
        print(ctx, t, `created template "${t.name}" (${t.authType}; verbs ${t.verbs.join(', ')})`);
        return EXIT.ok;
      }
      case 'list': {
        takePositionals(ctx, []);
        const list = await ctx.store.listTemplates();
        await warnProblems(ctx, 'templates');
        const rows = [['NAME', 'APPLICATION', 'AUTH', 'VERBS'], ...list.map((t) => [t.name, t.application, t.authType, t.verbs.join(',')])];
        print(ctx, list, list.length ? table(rows) : 'no templates\n');
        return EXIT.ok;
      }
      case 'show': {
        const [name] = takePositionals(ctx, ['NAME']);
        const t = await ctx.store.getTemplate(name!);
        print(ctx, t, describe(t));
        return EXIT.ok;
      }
      default:
        throw new UsageError(action ? `unknown template action '${action}' (create, list, show)` : 'missing template action (create, list, show)');
    }
  });
}

function describe(t: Template): string {
  const lines = [
    `template     ${t.name}`,
    `application  ${t.application}`,
    `method       ${t.integrationMethod}`,
    `auth         ${t.authType}`,
    `verbs        ${t.verbs.join(', ')}`,
    `headers      ${t.authHeaders.map((h) => `${h.name}${h.required ? ' (required)' : ''}`).join(', ') || '-'}`,
    `description  ${t.description || '-'}`,
    `icon         ${t.icon === undefined ? '-' : t.icon.startsWith('data:') ? '(embedded image)' : t.icon}`,
    `created      ${t.createdAt}`,
  ];
  return lines.join('\n') + '\n';
}

// An existing image file is embedded as a data: URL (the hub folder travels through git as is);
// anything else is kept as an icon name.
async function readIcon(icon: string, cwd: string): Promise<string> {
  const type = ICON_TYPES[extname(icon).toLowerCase()];
  if (!type) return icon;
  const path = isAbsolute(icon) ? icon : resolve(cwd, icon);
  try {
    return `data:${type};base64,${(await readFile(path)).toString('base64')}`;
  } catch {
    throw new UsageError(`--icon: cannot read '${icon}'`);
  }
}
