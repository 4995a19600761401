// File arguments of `snip check` / `snip fmt`: expands FILE and DIR arguments into .snip/.studio
// files (directories recursively, skipping node_modules and dot folders), and writes files
// atomically (temp file + rename) so an interrupted `snip fmt` never leaves half a file.
import { constants as fsConstants, promises as fs } from 'node:fs';
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

/** How much of a file is sniffed for binary content (as git does: a NUL byte early on). */
const SNIFF_BYTES = 8000;

/** Whether bytes look like a binary file rather than script text. */
export function looksBinary(bytes: Uint8Array): boolean {
  const n = Math.min(bytes.length, SNIFF_BYTES);
  for (let i = 0; i < n; i++) if (bytes[i] === 0) return true;
  return false;
}

function binaryError(shown: string): UsageError {
  return new UsageError(`${shown} looks like a binary file, not a .snip or .studio script`);
}

/** Reads a source file; a file that cannot be read, or a binary one, is a usage error naming it as shown. */
export async function readSource(file: string, shown: string): Promise<string> {
  let bytes: Buffer;
  try {
    bytes = await fs.readFile(file);
  } catch (e) {
    throw new UsageError(`cannot read ${shown}: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}`);
  }
  if (looksBinary(bytes)) throw binaryError(shown);
  return bytes.toString('utf8');
}

/**
 * Checks that `file` is a script `snip run` can run, before anything else happens: it exists, is
 * not a folder, ends in .snip or .studio, and does not start like a binary file (only the first
 * bytes are read).
 */
export async function checkScriptFile(file: string, shown: string): Promise<void> {
  let stat;
  try {
    stat = await fs.stat(file);
  } catch (e) {
    throw new UsageError(`cannot read ${shown}: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}`);
  }
  if (stat.isDirectory()) throw new UsageError(`${shown} is a folder: give one .snip or .studio file to run`);
  if (!isSourceFile(file)) throw new UsageError(`${shown} is not a .snip or .studio file`);
  let handle;
  try {
    handle = await fs.open(file, 'r');
    const head = Buffer.alloc(SNIFF_BYTES);
    const { bytesRead } = await handle.read(head, 0, SNIFF_BYTES, 0);
    if (looksBinary(head.subarray(0, bytesRead))) throw binaryError(shown);
  } catch (e) {
    if (e instanceof UsageError) throw e;
    throw new UsageError(`cannot read ${shown}: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}`);
  } finally {
    await handle?.close();
  }
}

/**
 * Checks before a run that `file` can be written later (its folder exists and is writable, and it
 * is not a folder or a read-only file), so a long run does not end with "cannot write".
 */
export async function checkWritable(file: string, shown: string): Promise<void> {
  let stat;
  try {
    stat = await fs.stat(file);
  } catch {
    stat = undefined;
  }
  if (stat?.isDirectory()) throw new UsageError(`cannot write ${shown}: it is a folder`);
  const target = stat === undefined ? path.dirname(file) : file;
  try {
    await fs.access(target, fsConstants.W_OK);
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code ?? (e as Error).message;
    throw new UsageError(`cannot write ${shown}: ${stat === undefined && code === 'ENOENT' ? 'its folder does not exist' : code}`);
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
