// What `snip test --watch` reruns after a change: a changed test file reruns all its cases; a
// changed cassette or hub definition reruns the files that use it; a changed script reruns the
// cases that run it, or, when it is a RUNSUB subscript, the cases whose script names it.
import path from 'node:path';
import type { TestFile } from './model.js';

/** Cases to rerun, by test file path (`undefined` means every case of that file). */
export type Rerun = Map<string, Set<string> | undefined>;

/** Adds to `into` what a change of `changed` (an absolute path) makes stale. */
export function affectedBy(files: readonly TestFile[], changed: string, into: Rerun = new Map(), readSource: (file: string) => string | undefined = () => undefined): Rerun {
  const all = (f: TestFile) => into.set(f.file, undefined);
  const some = (f: TestFile, name: string) => {
    if (into.has(f.file) && into.get(f.file) === undefined) return;
    const set = into.get(f.file) ?? new Set<string>();
    set.add(name);
    into.set(f.file, set);
  };
  const ext = path.extname(changed).toLowerCase();
  for (const f of files) {
    if (f.file === changed || f.cassette === changed || f.hub === changed) {
      all(f);
      continue;
    }
    if (ext !== '.studio' && ext !== '.snip') continue;
    const inside = !path.relative(f.dir, changed).startsWith('..');
    // A subscript: RUNSUB names it without its extension (ScriptName = "sum-sub").
    const name = path.basename(changed, ext);
    for (const c of f.cases) {
      const script = path.resolve(f.dir, c.script);
      if (script === changed) some(f, c.name);
      else if (inside && ext === '.studio') {
        const text = readSource(script);
        if (text === undefined || text.includes(name)) some(f, c.name);
      }
    }
  }
  return into;
}
