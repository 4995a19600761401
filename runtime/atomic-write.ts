// Atomic file replacement for everything Snipstudio writes (hub files, formatted sources, trace
// files): write a temporary file in the same folder, fsync it, rename it over the target, fsync the
// folder. A crash at any point leaves either the old or the new file, never half of one.
import { open, rename, rm } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import { randomBytes } from 'node:crypto';

/** Suffix of temporary files; readers skip files ending with it. */
export const TEMP_SUFFIX = '.tmp';

/** Options of `writeFileAtomic`. */
export interface AtomicWriteOptions {
  /** File mode of the new file (default 0o644). */
  mode?: number;
  /** Test hook: runs after the temporary file is durable and before the rename. */
  beforeRename?: (tempFile: string) => void | Promise<void>;
}

/** Replaces `file` with `data` atomically. */
export async function writeFileAtomic(file: string, data: string, options: AtomicWriteOptions = {}): Promise<void> {
  const temp = join(dirname(file), `.${basename(file)}.${randomBytes(4).toString('hex')}${TEMP_SUFFIX}`);
  const handle = await open(temp, 'w', options.mode ?? 0o644);
  let renamed = false;
  try {
    await handle.writeFile(data, 'utf8');
    // The mode passed to open is filtered by the umask; a key file must be 0600 whatever it is.
    await handle.chmod(options.mode ?? 0o644);
    await handle.sync();
    await handle.close();
    await options.beforeRename?.(temp);
    await rename(temp, file);
    renamed = true;
    await syncDir(dirname(file));
  } finally {
    if (!renamed) {
      await handle.close().catch(() => undefined);
      await rm(temp, { force: true });
    }
  }
}

async function syncDir(dir: string): Promise<void> {
  // Makes the rename itself durable; some platforms cannot open folders, which is fine to skip.
  try {
    const h = await open(dir, 'r');
    try {
      await h.sync();
    } finally {
      await h.close();
    }
  } catch {
    // Not supported here: the rename is still atomic, only its durability is the OS's.
  }
}
