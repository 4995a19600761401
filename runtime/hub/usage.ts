// Which `.studio` files of a workspace use a connection (`connectName = "X"`) or one of its secrets
// (`[[ NAME ]]` in a file that uses the connection): deleting either is refused while in use.
// A text scan, so it also works on files that do not parse yet.
import { readdir, readFile } from 'node:fs/promises';
import { join, relative, sep } from 'node:path';

/** One place that uses a connection or secret. */
export interface Use {
  /** Path relative to the workspace, with `/` separators. */
  file: string;
  line: number;
  text: string;
}

const SKIP = new Set(['node_modules', '.git', 'dist', 'coverage', '.snip-tmp']);
const CONNECT_NAME = /\bconnectName\s*=\s*"((?:[^"\\]|\\.)*)"/gi;

async function studioFiles(root: string, skip: ReadonlySet<string>): Promise<string[]> {
  const out: string[] = [];
  const walk = async (dir: string): Promise<void> => {
    let entries;
    try {
      entries = await readdir(dir, { withFileTypes: true });
    } catch {
      return;
    }
    for (const e of entries) {
      const p = join(dir, e.name);
      if (e.isDirectory()) {
        if (!SKIP.has(e.name) && !skip.has(p)) await walk(p);
      } else if (e.isFile() && e.name.toLowerCase().endsWith('.studio')) out.push(p);
    }
  };
  await walk(root);
  return out.sort();
}

function unescape(s: string): string {
  return s.replace(/\\(.)/g, '$1');
}

function usesConnection(line: string, connection: string): boolean {
  for (const m of line.matchAll(CONNECT_NAME)) if (unescape(m[1]!) === connection) return true;
  return false;
}

/**
 * Every `connectName = "connection"` under `root`. `skip` holds absolute folders not to scan (the
 * hub folder itself).
 */
export async function findConnectionUses(root: string, connection: string, skip: readonly string[] = []): Promise<Use[]> {
  const uses: Use[] = [];
  for (const file of await studioFiles(root, new Set(skip))) {
    const lines = (await readFile(file, 'utf8')).split(/\r?\n/);
    lines.forEach((text, i) => {
      if (usesConnection(text, connection)) uses.push({ file: relative(root, file).split(sep).join('/'), line: i + 1, text: text.trim() });
    });
  }
  return uses;
}

/** Every `[[ secret ]]` reference in `.studio` files under `root` that also use `connection`. */
export async function findSecretUses(root: string, connection: string, secret: string, skip: readonly string[] = []): Promise<Use[]> {
  const uses: Use[] = [];
  const ref = /\[\[\s*((?:(?!\]\]).)+?)\s*\]\]/g;
  for (const file of await studioFiles(root, new Set(skip))) {
    const lines = (await readFile(file, 'utf8')).split(/\r?\n/);
    if (!lines.some((l) => usesConnection(l, connection))) continue;
    lines.forEach((text, i) => {
      for (const m of text.matchAll(ref)) {
        if (m[1] === secret) {
          uses.push({ file: relative(root, file).split(sep).join('/'), line: i + 1, text: text.trim() });
          break;
        }
      }
    });
  }
  return uses;
}
