// `snip test [PATHS...]`: runs the cases of `*.test.json` files offline against their cassettes (or
// records the cassettes against the real upstreams), prints a report, and exits like `snip run`.
import { promises as fs, readFileSync, watch } from 'node:fs';
import { TEMP_SUFFIX } from '../../runtime/atomic-write.js';
import { affectedBy, type Rerun } from '../../runtime/testing/watch.js';
import path from 'node:path';
import pc from 'picocolors';
import { SnipError } from '../../runtime/errors.js';
import { collectCoverage, coverageLcov, coverageTable } from '../../runtime/testing/coverage.js';
import { findTestFiles, loadTestFile, TEST_FILE_SUFFIX, type TestFile } from '../../runtime/testing/model.js';
import { jsonReport, junitReport, noPaint, prettyCaseLine, prettySummary, REPORTERS, type Paint, type ReporterName } from '../../runtime/testing/reporters.js';
import { runTests, type CaseResult, type RunTestsOptions } from '../../runtime/testing/runner.js';
import { updateTestFile } from '../../runtime/testing/update.js';
import { EXIT, UsageError, parseCommandArgs, type CliIO, type Command } from '../io.js';
import { writeFileAtomic } from '../files.js';

const HELP = `snip test: run the script tests in *.test.json files

Usage: snip test [options] [PATHS...]

PATHS are test files or folders searched for *.test.json (default: the working folder).
Cases replay their HTTP from cassettes with the network disabled: a request the cassette does
not hold, or one that changed, fails the case with a diff.

Options:
  --filter TEXT           only cases whose "file > case name" contains TEXT
  --reporter NAME         pretty (default), json or junit (JUnit XML for CI)
  --out FILE              write the report to FILE (atomically) instead of stdout
  --record                send to the real upstreams and (re)write the cassettes; secrets and
                          tokens are written as [[ name ]] placeholders
  --var NAME=VALUE        override a test file var (repeatable), e.g. the upstream's address
                          when recording: --var DEMO_URL=http://127.0.0.1:8080
  --watch                 after the run, rerun the cases a change touches (test files,
                          scripts and subscripts, cassettes, hub definitions) until Ctrl+C
  --update                write what failing cases did into their expectations (path, error,
                          requests, listed plain outputs and variables; matchers stay)
  --demo-api              start the offline demo API on a free loopback port and set DEMO_URL
                          (to record the samples' cassettes)
  --coverage              print which actions, branches and Snippet lines ran, per script
  --coverage-json FILE    write the coverage as JSON (implies --coverage)
  --coverage-lcov FILE    write the coverage as an LCOV tracefile (implies --coverage)
  --concurrency N         cases run at once (default 4)
  --timeout MS            time limit of each case run (default 10000)
  -h, --help              show this help

Exit codes: 0 every case passed, 1 a case failed, 2 usage errors, no test files, a bad
test file, hub definition or cassette, or a script that does not compile.
`;

function paintFor(io: CliIO, toFile: boolean): Paint {
  if (!io.isTTY || toFile || io.env['NO_COLOR']) return noPaint;
  const c = pc.createColors(true);
  return { green: c.green, red: c.red, dim: c.dim, bold: c.bold };
}

function positiveInt(name: string, v: unknown): number | undefined {
  if (v === undefined) return undefined;
  const n = Number(v);
  if (!Number.isInteger(n) || n <= 0) throw new UsageError(`${name} expects a positive whole number, got '${String(v)}'`);
  return n;
}

/**
 * Watches the roots (recursively) and reruns what each change touches, until SIGINT/SIGTERM.
 * Changes are gathered for a moment so that an editor's save (write + rename) is one rerun.
 */
async function watchLoop(roots: string[], files: TestFile[], io: CliIO, paint: Paint, options: RunTestsOptions): Promise<void> {
  const pending = new Set<string>();
  let timer: NodeJS.Timeout | undefined;
  let running = Promise.resolve();
  const rerun = async (): Promise<void> => {
    const changed = [...pending];
    pending.clear();
    const stale: Rerun = new Map();
    for (const c of changed) {
      if (c.endsWith(TEST_FILE_SUFFIX)) {
        const i = files.findIndex((f) => f.file === c);
        try {
          const loaded = await loadTestFile(c);
          if (i >= 0) files[i] = loaded;
          else files.push(loaded);
        } catch (e) {
          io.stderr(e instanceof SnipError ? `error ${e.code}: ${e.message}\n` : `error: ${(e as Error).message}\n`);
          continue;
        }
      }
      affectedBy(files, c, stale, (f) => {
        try {
          return readFileSync(f, 'utf8');
        } catch {
          return undefined;
        }
      });
    }
    if (stale.size === 0) return;
    const selected = files
      .filter((f) => stale.has(f.file))
      .map((f) => {
        const names = stale.get(f.file);
        return names === undefined ? f : { ...f, cases: f.cases.filter((c) => names.has(c.name)) };
      });
    io.stdout(`\nchange: ${changed.map((c) => path.relative(io.cwd, c).split(path.sep).join('/')).join(', ')}\n`);
    const results = await runTests(selected, { ...options, onCase: (r) => io.stdout(prettyCaseLine(r, paint)) });
    io.stdout(prettySummary(results, paint));
  };
  const dirs = await Promise.all(roots.map(async (r) => ((await fs.stat(r)).isFile() ? path.dirname(r) : r)));
  const watchers = [...new Set(dirs)].map((root) =>
    watch(root, { recursive: true }, (_event, name) => {
      if (!name) return;
      const full = path.resolve(root, name.toString());
      if (full.endsWith(TEMP_SUFFIX)) return;
      pending.add(full);
      clearTimeout(timer);
      timer = setTimeout(() => {
        running = running.then(rerun, rerun);
      }, 150);
    }),
  );
  io.stdout('watching for changes (Ctrl+C to stop)\n');
  await new Promise<void>((resolve) => {
    process.once('SIGINT', resolve);
    process.once('SIGTERM', resolve);
  });
  clearTimeout(timer);
  for (const w of watchers) w.close();
  await running;
}

/** As `snip run`: 2 when a script does not compile or a case could not be set up, 1 for a failed case. */
function exitCode(results: readonly CaseResult[]): number {
  if (results.some((r) => r.failures.some((f) => f.kind === 'compile' || f.kind === 'setup'))) return EXIT.usage;
  return results.every((r) => r.passed) ? EXIT.ok : EXIT.failure;
}

export const command: Command = {
  summary: 'run the script tests in *.test.json files (replayed HTTP, faults, JUnit)',
  help: HELP,
  async run(args, io) {
    const { values, positionals } = parseCommandArgs(args, {
      filter: { type: 'string' },
      reporter: { type: 'string' },
      out: { type: 'string' },
      record: { type: 'boolean' },
      var: { type: 'string', multiple: true },
      'demo-api': { type: 'boolean' },
      update: { type: 'boolean' },
      watch: { type: 'boolean' },
      coverage: { type: 'boolean' },
      'coverage-json': { type: 'string' },
      'coverage-lcov': { type: 'string' },
      concurrency: { type: 'string' },
      timeout: { type: 'string' },
      help: { type: 'boolean', short: 'h' },
    });
    if (values.help === true) {
      io.stdout(HELP);
      return EXIT.ok;
    }
    const reporter = ((values.reporter as string | undefined) ?? 'pretty') as ReporterName;
    if (!REPORTERS.includes(reporter)) throw new UsageError(`--reporter expects pretty, json or junit, got '${reporter}'`);
    const vars: Record<string, string> = {};
    for (const pair of (values.var as string[] | undefined) ?? []) {
      const eq = pair.indexOf('=');
      if (eq <= 0) throw new UsageError(`--var expects NAME=VALUE, got '${pair}'`);
      vars[pair.slice(0, eq)] = pair.slice(eq + 1);
    }
    const concurrency = positiveInt('--concurrency', values.concurrency);
    const timeoutMs = positiveInt('--timeout', values.timeout);
    const out = values.out as string | undefined;
    if (values.watch === true && (values.record === true || values.update === true)) throw new UsageError('--watch does not go with --record or --update');
    const covJson = values['coverage-json'] as string | undefined;
    const covLcov = values['coverage-lcov'] as string | undefined;
    const coverage = values.coverage === true || covJson !== undefined || covLcov !== undefined;

    const roots = (positionals.length ? positionals : ['.']).map((p) => path.resolve(io.cwd, p));
    let found: string[];
    try {
      found = await findTestFiles(roots);
    } catch (e) {
      throw new UsageError(`cannot read ${(e as NodeJS.ErrnoException).path ?? 'a path'}: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}`);
    }
    if (found.length === 0) {
      io.stderr(`snip test: no *.test.json files under ${positionals.join(', ') || '.'}\n`);
      return EXIT.usage;
    }
    const files: TestFile[] = [];
    let bad = false;
    for (const f of found) {
      try {
        files.push(await loadTestFile(f));
      } catch (e) {
        bad = true;
        io.stderr(e instanceof SnipError ? `error ${e.code}: ${e.message}\n` : `error: ${(e as Error).message}\n`);
      }
    }
    if (bad) return EXIT.usage;

    let stopApi: (() => Promise<void>) | undefined;
    if (values['demo-api'] === true) {
      const { startDemoApi } = await import('../../samples/demo-api/index.js');
      const api = await startDemoApi({ port: 0 });
      stopApi = () => api.close();
      vars['DEMO_URL'] ??= api.url;
    }
    const paint = paintFor(io, out !== undefined);
    let results: CaseResult[];
    try {
      results = await runTests(files, {
        cwd: io.cwd,
        ...(values.filter !== undefined ? { filter: values.filter as string } : {}),
        record: values.record === true,
        coverage,
        keepActual: values.update === true,
        vars,
        ...(concurrency !== undefined ? { concurrency } : {}),
        ...(timeoutMs !== undefined ? { timeoutMs } : {}),
        ...(reporter === 'pretty' && out === undefined ? { onCase: (r: CaseResult) => io.stdout(prettyCaseLine(r, paint)) } : {}),
      });
    } finally {
      await stopApi?.();
    }
    if (results.length === 0) {
      io.stderr(`snip test: no case matches --filter '${String(values.filter)}'\n`);
      return EXIT.usage;
    }
    const report =
      reporter === 'json'
        ? jsonReport(results)
        : reporter === 'junit'
          ? junitReport(results)
          : (out !== undefined ? results.map((r) => prettyCaseLine(r)).join('') : '') + prettySummary(results, paint);
    if (out !== undefined) {
      try {
        await fs.mkdir(path.dirname(path.resolve(io.cwd, out)), { recursive: true });
        await writeFileAtomic(path.resolve(io.cwd, out), report);
      } catch (e) {
        io.stderr(`snip test: cannot write ${out}: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}\n`);
        return EXIT.failure;
      }
      if (reporter !== 'pretty') io.stdout(prettySummary(results, paint));
    } else io.stdout(report);
    if (coverage) {
      const cov = await collectCoverage(results.flatMap((r) => (r.trace ? [r.trace] : [])), io.cwd);
      // The table goes to stdout with the pretty report, to stderr when stdout holds JSON or XML.
      const table = coverageTable(cov);
      if (reporter === 'pretty' || out !== undefined) io.stdout(`\n${table}`);
      else io.stderr(table);
      const writes: [string | undefined, string][] = [
        [covJson, JSON.stringify(cov, null, 2) + '\n'],
        [covLcov, coverageLcov(cov)],
      ];
      for (const [file, text] of writes) {
        if (file === undefined) continue;
        try {
          await fs.mkdir(path.dirname(path.resolve(io.cwd, file)), { recursive: true });
          await writeFileAtomic(path.resolve(io.cwd, file), text);
        } catch (e) {
          io.stderr(`snip test: cannot write ${file}: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}\n`);
          return EXIT.failure;
        }
      }
    }
    if (values.update === true) {
      for (const f of files) {
        const n = await updateTestFile(f.file, results.filter((r) => path.resolve(io.cwd, r.file) === f.file));
        if (n > 0) io.stdout(`updated ${n} case(s) in ${path.relative(io.cwd, f.file).split(path.sep).join('/')}\n`);
      }
    }
    if (values.record === true) io.stdout(`cassettes recorded for ${results.length} case(s)\n`);
    if (values.watch === true) {
      await watchLoop(roots, files, io, paint, {
        cwd: io.cwd,
        ...(values.filter !== undefined ? { filter: values.filter as string } : {}),
        vars,
        ...(concurrency !== undefined ? { concurrency } : {}),
        ...(timeoutMs !== undefined ? { timeoutMs } : {}),
      });
      return EXIT.ok;
    }
    return exitCode(results);
  },
};
