// `snip check FILE|DIR...`: parses and analyses .snip/.studio files and prints every diagnostic as
// `file:line:col: severity CODE: message` (or JSON with --format json). Exit 0 without errors
// (warnings allowed), 1 with errors, 2 on usage problems. With a hub at hand (--hub, SNIP_HUB or
// ./hub), a `connectName` naming a connection without a resource domain gets a warning.
import { checkDocument } from '../../../language/analyze.js';
import { formatDiagnostic, type Diagnostic } from '../../../language/diagnostics.js';
import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import { FileHubStore, hubDirFrom } from '../../hub/file-store.js';
import { connectionWarnings } from '../../hub/rules.js';
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
  --hub DIR            the hub whose connections the scripts use (default SNIP_HUB, then ./hub
                       when it exists): warns about connections without a resource domain
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
      hub: { type: 'string' },
    });
    const format = (values.format as string | undefined) ?? 'text';
    if (format !== 'text' && format !== 'json') throw new UsageError(`unknown --format '${format}' (use text or json)`);
    const files = await expandFileArgs(positionals, io.cwd);
    const results: FileResult[] = [];
    const hub = openHub(values.hub as string | undefined, io.cwd, io.env);
    for (const file of files) {
      const shown = displayPath(file, io.cwd);
      const source = await readSource(file, shown);
      const diagnostics = checkDocument(file, source).diagnostics;
      if (hub && file.toLowerCase().endsWith('.studio')) diagnostics.push(...(await connectionDiagnostics(source, hub)));
      results.push({ file: shown, diagnostics });
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

/** The hub named by --hub or SNIP_HUB, or ./hub when it exists; none otherwise (no warnings then). */
function openHub(flag: string | undefined, cwd: string, env: Record<string, string | undefined>): FileHubStore | undefined {
  const dir = hubDirFrom(flag, env);
  if (flag === undefined && !env.SNIP_HUB && !existsSync(resolve(cwd, dir))) return undefined;
  return new FileHubStore({ dir: resolve(cwd, dir), cwd, env });
}

const CONNECT_NAME = /\bconnectName\s*=\s*"((?:[^"\\]|\\.)*)"/gi;

/** A warning at each `connectName = "X"` whose connection has no resource domain. */
async function connectionDiagnostics(source: string, hub: FileHubStore): Promise<Diagnostic[]> {
  const out: Diagnostic[] = [];
  const cache = new Map<string, string[]>();
  for (const m of source.matchAll(CONNECT_NAME)) {
    const name = m[1]!.replace(/\\(.)/g, '$1');
    let warnings = cache.get(name);
    if (warnings === undefined) {
      try {
        const c = await hub.getConnection(name);
        warnings = connectionWarnings(c, (await hub.getTemplate(c.template)).authType);
      } catch {
        // An unknown connection or an unreadable hub is for the run to report, not a warning here.
        warnings = [];
      }
      cache.set(name, warnings);
    }
    const offset = m.index!;
    const before = source.slice(0, offset);
    const line = before.split('\n').length;
    const column = offset - (before.lastIndexOf('\n') + 1) + 1;
    const range = {
      start: { line, column, offset },
      end: { line, column: column + m[0].length, offset: offset + m[0].length },
    };
    for (const message of warnings) out.push({ code: 'SNIP4030', severity: 'warning', message, range });
  }
  return out;
}
