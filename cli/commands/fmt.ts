// `snip fmt FILE|DIR... [--check]`: formats .snip/.studio files in place (atomically), or with
// --check only lists the files that would change. Files with syntax errors are left untouched.
import { formatDiagnostic } from '../../language/diagnostics.js';
import { formatDocument } from '../../language/formatter.js';
import { displayPath, expandFileArgs, readSource, writeFileAtomic } from '../files.js';
import { EXIT, parseCommandArgs, type Command } from '../io.js';

const HELP = `snip fmt: format .snip and .studio files

Usage: snip fmt [options] FILE|DIR...

Rewrites each file in the canonical style (upper-case keywords, two-space indentation,
\`IF cond {\` / \`} ELSE {\`, comments and single blank lines kept). Directories are searched
recursively. A file with syntax errors is not changed; its errors are printed.

Options:
  --check      change nothing; list the files that would change and exit 1 if any would
  -h, --help   show this help

Exit codes: 0 done (or nothing to change), 1 --check found files to format or a file has
syntax errors, 2 usage error.
`;

export const command: Command = {
  summary: 'format .snip/.studio files (--check to verify only)',
  help: HELP,
  async run(args, io) {
    const { values, positionals } = parseCommandArgs(args, { check: { type: 'boolean' } });
    const check = values.check === true;
    const files = await expandFileArgs(positionals, io.cwd);
    let changed = 0;
    let broken = 0;
    for (const file of files) {
      const shown = displayPath(file, io.cwd);
      const source = await readSource(file, shown);
      const { text, diagnostics } = formatDocument(file, source);
      const errors = diagnostics.filter((d) => d.severity === 'error');
      if (errors.length) {
        broken++;
        for (const d of errors) io.stderr(formatDiagnostic(shown, d) + '\n');
        io.stderr(`${shown}: not formatted (syntax errors)\n`);
        continue;
      }
      if (text === source) continue;
      changed++;
      if (check) io.stdout(`${shown}\n`);
      else {
        await writeFileAtomic(file, text);
        io.stdout(`formatted ${shown}\n`);
      }
    }
    const n = (k: number) => `${k} file${k === 1 ? '' : 's'}`;
    if (check) io.stderr(changed ? `${n(changed)} would be reformatted\n` : `${n(files.length)} already formatted\n`);
    else io.stderr(`${n(changed)} formatted, ${n(files.length - changed - broken)} unchanged\n`);
    return changed > 0 && check ? EXIT.failure : broken > 0 ? EXIT.failure : EXIT.ok;
  },
};
