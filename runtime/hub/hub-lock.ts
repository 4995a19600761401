// One writer at a time per hub folder: every store write is a read-modify-write under this lock.
// Across processes it is proper-lockfile's lock directory `<hub>/.lock` (its mtime is refreshed while
// held; a lock left by a crashed process is broken once stale). Within a process, writers queue on a
// promise chain first, so they do not spin against their own lock.
import { join } from 'node:path';
import lockfile from 'proper-lockfile';
import { SnipError } from '../errors.js';

/** The lock directory's name inside the hub folder (git-ignored). */
export const LOCK_NAME = '.lock';

/** A lock not refreshed for this long belongs to a dead process and is broken. */
export const STALE_LOCK_MS = 10_000;

/** Options of `withHubLock` (tests shorten the wait). */
export interface HubLockOptions {
  /** How long to keep trying before giving up with SNIP4041 (default 60 s). */
  waitMs?: number;
  /** Age after which a lock is considered stale (default `STALE_LOCK_MS`, at least 2000). */
  staleMs?: number;
}

const queues = new Map<string, Promise<unknown>>();

/**
 * Runs `work` holding the lock of hub folder `dir` (absolute; it must exist). `shown` names the
 * folder in messages.
 * @throws SnipError SNIP4041 when the lock cannot be had in time, or was lost while held.
 */
export async function withHubLock<T>(dir: string, shown: string, work: () => Promise<T>, options: HubLockOptions = {}): Promise<T> {
  const before = queues.get(dir) ?? Promise.resolve();
  const turn = before.then(
    () => locked(dir, shown, work, options),
    () => locked(dir, shown, work, options),
  );
  const tail = turn.catch(() => undefined);
  queues.set(dir, tail);
  void tail.then(() => {
    if (queues.get(dir) === tail) queues.delete(dir);
  });
  return turn;
}

async function locked<T>(dir: string, shown: string, work: () => Promise<T>, options: HubLockOptions): Promise<T> {
  const stale = Math.max(2000, options.staleMs ?? STALE_LOCK_MS);
  const waitMs = options.waitMs ?? 60_000;
  let lost: Error | undefined;
  let release: () => Promise<void>;
  try {
    release = await lockfile.lock(dir, {
      lockfilePath: join(dir, LOCK_NAME),
      realpath: false,
      stale,
      update: Math.floor(stale / 2),
      // Randomised backoff: twenty CLI processes should not wake up in step.
      retries: { retries: Math.ceil(waitMs / 100), minTimeout: 5, maxTimeout: 100, factor: 1.5, randomize: true },
      onCompromised: (e) => {
        lost = e;
      },
    });
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ELOCKED') {
      throw new SnipError('SNIP4041', `the hub ${shown} is locked by another process writing it (${shown}/${LOCK_NAME}); try again (a lock left by a stopped process is broken after ${stale / 1000} s)`);
    }
    throw e;
  }
  try {
    const result = await work();
    if (lost) throw lostError(shown);
    return result;
  } finally {
    await release().catch(() => undefined);
  }
}

function lostError(shown: string): SnipError {
  return new SnipError('SNIP4041', `the lock of the hub ${shown} was taken over while this write held it (it looked stale); check the hub with 'snip hub connection list' and repeat the command`);
}
