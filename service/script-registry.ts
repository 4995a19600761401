// The scripts of one tenant: `NAME.studio` or `NAME.snip` in its scripts folder, compiled once and
// recompiled when the file changes (the runtime's per-file script cache: one stat per run, or per
// event-loop turn when several runs of a script start in one). Names are
// plain words, so no name can reach outside the folder.
import { promises as fs } from 'node:fs';
import path from 'node:path';
import type { CompiledScriptResult } from '../runtime/flow/compile-script.js';
import { compileFile } from '../runtime/script-cache.js';
import { ServiceError } from './errors.js';

/** A script name as it appears in URLs: letters, digits, `-`, `_`. */
export const SCRIPT_NAME = /^[A-Za-z0-9][A-Za-z0-9_-]{0,127}$/;

/** A compiled script ready to run. */
export interface LoadedScript {
  name: string;
  /** `NAME.studio`, as shown in errors and traces. */
  fileName: string;
  file: string;
  compiled: CompiledScriptResult;
}

export class ScriptRegistry {
  /** The last script handed out per file; a new compiled result means the file changed. */
  private readonly loaded = new Map<string, LoadedScript>();
  /** Compiles done (tests read it to see that a change recompiles and no change does not). */
  compiles = 0;
  /**
   * Scripts handed out during this event-loop turn: under load several runs start in one turn, and
   * they share one file check (a stat) instead of one each. Cleared at the end of the turn, so a
   * change to a file is seen by every run that starts in a later turn, as before.
   */
  private readonly thisTurn = new Map<string, LoadedScript>();
  private clearing = false;

  constructor(readonly dir: string) {}

  /**
   * The compiled script `name`.
   * @throws ServiceError SNIP6009 bad name, SNIP6008 no such script, SNIP6017 compile errors.
   */
  async get(name: string): Promise<LoadedScript> {
    const seen = this.thisTurn.get(name);
    if (seen !== undefined) return seen;
    if (!SCRIPT_NAME.test(name)) {
      throw new ServiceError(400, 'SNIP6009', 'a script name is letters, digits, "-" or "_" (no folders, no extension)');
    }
    for (const ext of ['.studio', '.snip']) {
      const file = path.join(this.dir, name + ext);
      const fileName = name + ext;
      const compiled = await compileFile(file, { fileName });
      // Missing, a folder or unreadable: try the other extension, then answer 404.
      if ('readFailed' in compiled) continue;
      let script = this.loaded.get(file);
      if (script?.compiled !== compiled) {
        this.compiles++;
        script = { name, fileName, file, compiled };
        this.loaded.set(file, script);
      }
      if (compiled.flow === undefined) {
        const d = compiled.diagnostics.find((x) => x.severity === 'error') ?? compiled.diagnostics[0];
        const where = d ? `${fileName}:${d.range.start.line}:${d.range.start.column}: ${d.code} ${d.message}` : fileName;
        throw new ServiceError(422, 'SNIP6017', `the script does not compile: ${where}`);
      }
      this.remember(name, script);
      return script;
    }
    throw new ServiceError(404, 'SNIP6008', `no script named '${name}'`);
  }

  private remember(name: string, script: LoadedScript): void {
    this.thisTurn.set(name, script);
    if (this.clearing) return;
    this.clearing = true;
    setImmediate(() => {
      this.thisTurn.clear();
      this.clearing = false;
    });
  }

  /** Names of the tenant's scripts. */
  async list(): Promise<string[]> {
    let entries: string[];
    try {
      entries = await fs.readdir(this.dir);
    } catch {
      return [];
    }
    return entries
      .filter((f) => /\.(studio|snip)$/.test(f))
      .map((f) => f.replace(/\.(studio|snip)$/, ''))
      .filter((n) => SCRIPT_NAME.test(n))
      .sort();
  }
}
