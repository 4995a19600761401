// `snip check FILE|DIR...`: parses and analyses .snip/.studio files and prints every diagnostic as
// `file:line:col: severity CODE: message` (or JSON with --format json). Exit 0 without errors
// (warnings allowed), 1 with errors, 2 on usage problems.
import { checkDocument } from '../../../language/analyze.js';
import { formatDiagnostic, type Diagnostic } from '../../../language/diagnostics.js';
import { displayPath, expandFileArgs, readSource } from '../files.js';
import { EXIT, UsageError, parseCommandArgs, type Command } from '../io.js';

const HELP = `snip check: report syntax and analysis problems in .snip and .studio files

Usage: snip check [options] FILE|DIR...

Directories are searched recursively for .snip and .studio files.

Options:
  --format text|json   output format (default text); json prints one object:
                       { files, errors, warnings, diagnostics: [{ file, line, column,
                         endLine, endColumn, severity, code, name, message }] }
  --quiet              print errors only (no warnings, hints or summary)
  -h, --help           show this help

Exit codes: 0 no errors (warnings allowed), 1 errors found, 2 usage error.
`;

interface FileResult {
  file: string;
  diagnostics: Diagnostic[];
}

export const command: Command = {
  summary: 'report syntax and analysis problems in .snip/.studio files',
  help: HELP,
  async run(args, io) {
    const { values, positionals } = parseCommandArgs(args, {
      format: { type: 'string' },
      quiet: { type: 'boolean' },
    });
    const format = (values.format as string | undefined) ?? 'text';
    if (format !== 'text' && format !== 'json') throw new UsageError(`unknown --format '${format}' (use text or json)`);
    const files = await expandFileArgs(positionals, io.cwd);
    const results: FileResult[] = [];
    for (const file of files) {
      const shown = displayPath(file, io.cwd);
      const source = await readSource(file, shown);
      results.push({ file: shown, diagnostics: checkDocument(file, source).diagnostics });
    }
    const all = results.flatMap((r) => r.diagnostics.map((d) => ({ file: r.file, d })));
    const errors = all.filter((x) => x.d.severity === 'error').length;
    const warnings = all.filter((x) => x.d.severity === 'warning').length;
    if (format === 'json') {
      const diagnostics = all.map(({ file, d }) => ({
        file,
        line: d.range.start.line,
        column: d.range.start.column,
        endLine: d.range.end.line,
        endColumn: d.range.end.column,
        severity: d.severity,
        code: d.code,
        message: d.message,
        ...(d.data ? { data: d.data } : {}),
      }));
      io.stdout(JSON.stringify({ files: files.length, errors, warnings, diagnostics }, null, 2) + '\n');
    } else {
      const quiet = values.quiet === true;
      for (const { file, d } of all) {
        if (quiet && d.severity !== 'error') continue;
        io.stdout(formatDiagnostic(file, d) + '\n');
      }
      if (!quiet) {
        const plural = (n: number, w: string) => `${n} ${w}${n === 1 ? '' : 's'}`;
        const others = all.length - errors - warnings;
        io.stdout(
          `${plural(files.length, 'file')} checked: ${plural(errors, 'error')}, ${plural(warnings, 'warning')}` +
            (others ? `, ${plural(others, 'hint')}` : '') +
            '\n',
        );
      }
    }
    return errors > 0 ? EXIT.failure : EXIT.ok;
  },
};
