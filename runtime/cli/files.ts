// File arguments of `snip check` / `snip fmt`: expands FILE and DIR arguments into .snip/.studio
// files (directories recursively, skipping node_modules and dot folders), and writes files
// atomically (temp file + rename) so an interrupted `snip fmt` never leaves half a file.
import { promises as fs } from 'node:fs';
import path from 'node:path';
import { UsageError } from './io.js';
import { writeFileAtomic as writeDurably } from '../atomic-write.js';

/** Extensions the language front end reads. */
export const SOURCE_EXTENSIONS = ['.snip', '.studio'] as const;

export function isSourceFile(name: string): boolean {
  const ext = path.extname(name).toLowerCase();
  return (SOURCE_EXTENSIONS as readonly string[]).includes(ext);
}

async function walk(dir: string, out: string[]): Promise<void> {
  const entries = await fs.readdir(dir, { withFileTypes: true });
  entries.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  for (const e of entries) {
    const full = path.join(dir, e.name);
    if (e.isDirectory()) {
      if (e.name === 'node_modules' || e.name.startsWith('.')) continue;
      await walk(full, out);
    } else if (e.isFile() && isSourceFile(e.name)) {
      out.push(full);
    }
  }
}

/**
 * Absolute paths of the source files named by `args` (relative to `cwd`), in argument order,
 * without duplicates. A missing path is a usage error; a file with another extension named
 * explicitly is accepted (the user asked for it).
 */
export async function expandFileArgs(args: readonly string[], cwd: string): Promise<string[]> {
  if (args.length === 0) throw new UsageError('no files given: pass one or more .snip/.studio files or directories');
  const out: string[] = [];
  for (const arg of args) {
    const full = path.resolve(cwd, arg);
    let stat;
    try {
      stat = await fs.stat(full);
    } catch {
      throw new UsageError(`no such file or directory: ${arg}`);
    }
    if (stat.isDirectory()) await walk(full, out);
    else out.push(full);
  }
  return [...new Set(out)];
}

/** The path to show the user: relative to `cwd` when inside it, with forward slashes. */
export function displayPath(file: string, cwd: string): string {
  const rel = path.relative(cwd, file);
  const shown = rel && !rel.startsWith('..') && !path.isAbsolute(rel) ? rel : file;
  return shown.split(path.sep).join('/');
}

/** Reads a source file; a file that cannot be read is a usage error naming it as shown. */
export async function readSource(file: string, shown: string): Promise<string> {
  try {
    return await fs.readFile(file, 'utf8');
  } catch (e) {
    throw new UsageError(`cannot read ${shown}: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}`);
  }
}

/** Replaces `file` with `text` atomically and durably, keeping its mode. */
export async function writeFileAtomic(file: string, text: string): Promise<void> {
  let mode: number | undefined;
  try {
    mode = (await fs.stat(file)).mode & 0o777;
  } catch {
    mode = undefined;
  }
  await writeDurably(file, text, mode === undefined ? {} : { mode });
}
