// Finds files under a folder for the server (workspace scripts, hub files), to a bounded depth, so a
// huge or cyclic tree cannot stall start-up. A folder that cannot be read is skipped, not an error.
import { readdir } from 'node:fs/promises';
import { join } from 'node:path';

export interface FindOptions {
  /** Which file names to keep. */
  accept(name: string): boolean;
  /** How many folder levels below `dir` to enter. */
  maxDepth: number;
  /** Folder names not to enter. */
  skipDir?(name: string): boolean;
}

/** Every accepted file below `dir`, as full paths. */
export async function findFiles(dir: string, options: FindOptions, depth = 0): Promise<string[]> {
  if (depth > options.maxDepth) return [];
  let entries;
  try {
    entries = await readdir(dir, { withFileTypes: true });
  } catch {
    return [];
  }
  const out: string[] = [];
  for (const e of entries) {
    const p = join(dir, e.name);
    if (e.isDirectory()) {
      if (!options.skipDir?.(e.name)) out.push(...(await findFiles(p, options, depth + 1)));
    } else if (e.isFile() && options.accept(e.name)) out.push(p);
  }
  return out;
}
