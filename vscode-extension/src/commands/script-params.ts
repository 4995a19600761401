// Pure helpers for run inputs: the PARAMS a script declares and where its inputs file lives.
import * as path from 'node:path';

/** The PARAMS a .studio script declares (a cheap scan: the line is simple and comes first). */
export function scriptParams(source: string): string[] {
  for (const raw of source.split(/\r?\n/)) {
    const line = raw.replace(/\/\/.*$/, '').trim();
    if (!line || /^SCRIPT\b/i.test(line)) continue;
    const m = /^PARAMS\b(.*)$/i.exec(line);
    return m ? m[1]!.split(',').map((s) => s.trim()).filter((s) => /^[A-Za-z_$][A-Za-z0-9_$]*$/.test(s)) : [];
  }
  return [];
}

/** `hello.studio` -> `hello.inputs.json` beside it (read like `snip run --inputs`). */
export function inputsFileFor(script: string): string {
  return path.join(path.dirname(script), `${path.basename(script, path.extname(script))}.inputs.json`);
}
