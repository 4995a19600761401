// Runs the cases of test files: each case is a headless run of its script with its own hub session,
// token cache and HTTP tape, so cases are independent and run in parallel (a small pool). A case
// passes when every expectation holds, every request matched the cassette and every fault fired.
import path from 'node:path';
import { formatDiagnostic } from '../../language/diagnostics.js';
import { Redactor } from '../hub/redact.js';
import { HubServices } from '../hub/services.js';
import { runScript, type RunScriptResult } from '../run-script.js';
import type { TraceEvent } from '../trace/events.js';
import { readCassette, writeCassette, type Cassette, type Exchange } from './cassette.js';
import { FaultPlan } from './faults.js';
import { openHubFixture, type HubFixture } from './hub-fixture.js';
import { matchVariables, pathDiff } from './matchers.js';
import type { TestCase, TestFile } from './model.js';
import { Placeholders } from './placeholders.js';
import { CaseTape, RecordingHttpClient, replayAgent, replayClient } from './tape.js';
import type { HttpClient } from '../hub/http.js';

/** One reason a case failed. */
export interface Failure {
  /** `setup` (hub definition, cassette) and `compile` (the script does not compile) make `snip test` exit 2. */
  kind: 'output' | 'variable' | 'path' | 'error' | 'request' | 'fault' | 'setup' | 'compile';
  message: string;
  expected?: string;
  actual?: string;
}

export interface CaseResult {
  /** Test file, relative to the working folder (forward slashes). */
  file: string;
  name: string;
  /** Script as shown (relative to the working folder). */
  script: string;
  passed: boolean;
  failures: Failure[];
  durationMs: number;
  /** The trace when coverage was asked for. */
  trace?: TraceEvent[];
  /** What the run did, when `keepActual` was asked for (`--update` writes it into the test file). */
  actual?: ActualRun;
}

/** What a case run did, in the terms of its expectations. */
export interface ActualRun {
  path: string[];
  outputs: Record<string, unknown>;
  variables: Record<string, unknown>;
  error: string | null;
  requests: string[];
}

export interface RunTestsOptions {
  cwd: string;
  /** Only cases whose `file > name` contains this text. */
  filter?: string;
  /** Send to the real upstreams and write the cassettes (default: replay). */
  record?: boolean;
  /** Var values overriding the test files' (an upstream's address when recording). */
  vars?: Record<string, string>;
  /** Collect statement-level traces for coverage. */
  coverage?: boolean;
  /** Cases at once (default 4). */
  concurrency?: number;
  /** Per-case run time limit in ms (default 10000). */
  timeoutMs?: number;
  /** Keep what each run did in `CaseResult.actual` (masked). */
  keepActual?: boolean;
  /** Told when a case ends. */
  onCase?: (r: CaseResult) => void;
}

function rel(cwd: string, file: string): string {
  const r = path.relative(cwd, file);
  return (r.startsWith('..') ? file : r).split(path.sep).join('/');
}

/** Runs at most `n` tasks at once, in the order they ask; shared by every test file of a run. */
function limiter(n: number): <R>(task: () => Promise<R>) => Promise<R> {
  let active = 0;
  const waiting: (() => void)[] = [];
  return async (task) => {
    while (active >= n) await new Promise<void>((resolve) => waiting.push(resolve));
    active++;
    try {
      return await task();
    } finally {
      active--;
      waiting.shift()?.();
    }
  };
}

/** The path a run took: `label:Branch` per action of the main script (`label` at END). */
export function pathOf(trace: readonly TraceEvent[], mainFile: string | undefined): string[] {
  const steps: string[] = [];
  for (const e of trace) {
    if (e.type !== 'action') continue;
    if (mainFile !== undefined && e.fileName !== undefined && e.fileName !== mainFile) continue;
    steps.push(e.branch === undefined ? e.label : `${e.label}:${e.branch}`);
  }
  return steps;
}

/** Runs the test files' cases; records cassettes when asked. Never throws for a bad file or case. */
export async function runTests(files: readonly TestFile[], options: RunTestsOptions): Promise<CaseResult[]> {
  const filter = options.filter?.toLowerCase();
  // Files and cases are independent: all run in parallel, `concurrency` cases at a time.
  const limit = limiter(options.concurrency ?? 4);
  const perFile = await Promise.all(
    files.map((file) => {
      const cases = file.cases.filter((c) => !filter || `${rel(options.cwd, file.file)} > ${c.name}`.toLowerCase().includes(filter));
      return cases.length === 0 ? Promise.resolve([]) : runFile(file, cases, options, limit);
    }),
  );
  return perFile.flat();
}

async function runFile(file: TestFile, cases: readonly TestCase[], options: RunTestsOptions, limit: ReturnType<typeof limiter>): Promise<CaseResult[]> {
  const shownFile = rel(options.cwd, file.file);
  const vars = { ...file.vars, ...options.vars };
  const setupFailure = (c: TestCase, message: string): CaseResult => {
    const r: CaseResult = { file: shownFile, name: c.name, script: rel(options.cwd, path.resolve(file.dir, c.script)), passed: false, failures: [{ kind: 'setup', message }], durationMs: 0 };
    options.onCase?.(r);
    return r;
  };
  let cassette: Cassette;
  let hub: HubFixture | undefined;
  try {
    cassette = await readCassette(file.cassette);
    hub = await openHubFixture(file.hub, vars);
  } catch (e) {
    const text = e instanceof Error ? `${(e as { code?: string }).code ?? ''} ${e.message}`.trim() : String(e);
    return cases.map((c) => setupFailure(c, text));
  }
  const recorded = new Map<string, Exchange[]>();
  try {
    return await Promise.all(
      cases.map((c) =>
        limit(async () => {
          let r: CaseResult;
          try {
            r = await runCase(file, c, { ...options, vars, shownFile, cassette, hub, recorded });
          } catch (e) {
            // Never a stack trace: an unexpected failure of one case is that case's result.
            const mask = new Redactor(hub?.secrets.values() ?? []).mask;
            return setupFailure(c, mask(`the case could not run: ${e instanceof Error ? e.message : String(e)}`));
          }
          options.onCase?.(r);
          return r;
        }),
      ),
    );
  } finally {
    await hub?.dispose();
    if (options.record && recorded.size > 0) {
      // Cases keep the test file's order; cases not run this time keep their old exchanges.
      const next: Cassette = { version: 1, cases: {} };
      for (const c of file.cases) {
        const list = recorded.get(c.name) ?? cassette.cases[c.name];
        if (list) next.cases[c.name] = list;
      }
      await writeCassette(file.cassette, next);
    }
  }
}

interface CaseContext extends RunTestsOptions {
  vars: Record<string, string>;
  shownFile: string;
  cassette: Cassette;
  hub: HubFixture | undefined;
  recorded: Map<string, Exchange[]>;
}

async function runCase(file: TestFile, c: TestCase, ctx: CaseContext): Promise<CaseResult> {
  const started = Date.now();
  const scriptFile = path.resolve(file.dir, c.script);
  const shownScript = rel(ctx.cwd, scriptFile);
  const placeholders = new Placeholders(ctx.hub?.secrets ?? new Map(), ctx.vars);
  const tape = new CaseTape(placeholders, new FaultPlan(c.faults), ctx.record ? [] : (ctx.cassette.cases[c.name] ?? []));
  const agent = ctx.record ? undefined : replayAgent(tape);
  const http: HttpClient = agent ? replayClient(agent) : new RecordingHttpClient(tape);
  const hub = ctx.hub ? new HubServices(ctx.hub.store, { http, onStoreError: () => undefined }) : undefined;
  let result: RunScriptResult;
  try {
    result = await runScript(scriptFile, {
      fileName: shownScript,
      inputs: expandDeep(c.inputs, (t) => placeholders.expand(t)) as Record<string, unknown>,
      collectTrace: true,
      traceLevel: ctx.coverage ? 'statements' : 'actions',
      limits: { maxTimeMs: ctx.timeoutMs ?? 10_000 },
      ...(hub ? { hub, masker: hub.mask } : {}),
    });
  } finally {
    await hub?.close();
    await http.close();
    await agent?.close();
  }
  const mask = hub ? hub.mask : (t: string) => t;
  if (ctx.record) ctx.recorded.set(c.name, tape.exchanges(mask));
  const failures = check(c, result, tape, shownScript, mask);
  const out: CaseResult = { file: ctx.shownFile, name: c.name, script: shownScript, passed: failures.length === 0, failures, durationMs: Date.now() - started };
  if (ctx.coverage && result.trace) out.trace = result.trace;
  if (ctx.keepActual) {
    const masked = (v: Record<string, unknown>) => JSON.parse(mask(JSON.stringify(v))) as Record<string, unknown>;
    out.actual = {
      path: pathOf(result.trace ?? [], shownScript),
      outputs: masked(result.outputs),
      variables: masked(result.variables),
      error: result.error?.code ?? null,
      requests: [...tape.made],
    };
  }
  return out;
}

/** `{{NAME}}` in input texts becomes the var's value (an upstream's address while recording). */
function expandDeep(v: unknown, expand: (t: string) => string): unknown {
  if (typeof v === 'string') return expand(v);
  if (Array.isArray(v)) return v.map((x) => expandDeep(x, expand));
  if (v && typeof v === 'object') return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, expandDeep(x, expand)]));
  return v;
}

/** Every expectation of the case against what the run did. Texts are masked with the hub's redactor. */
function check(c: TestCase, result: RunScriptResult, tape: CaseTape, shownScript: string, mask: (t: string) => string): Failure[] {
  const failures: Failure[] = [];
  if (result.diagnostics !== undefined) {
    // A script that does not compile: its problems, not a cascade of unmet expectations.
    const problems = result.diagnostics.filter((d) => d.severity === 'error').map((d) => formatDiagnostic(result.error?.fileName ?? shownScript, d));
    return [{ kind: 'compile', message: `the script does not compile\n${problems.join('\n')}` }];
  }
  const e = c.expect;
  for (const p of tape.problems) {
    failures.push({ kind: 'request', message: `unexpected or changed request ${p.request}\n${p.diff.join('\n')}` });
  }
  const wantError = e.error ?? null;
  const gotError = result.error?.code ?? null;
  if (e.error !== undefined || gotError !== null) {
    if (wantError !== gotError) {
      failures.push({ kind: 'error', message: 'run error', expected: wantError ?? '(no error)', actual: gotError ? `${gotError}: ${result.error!.message}` : '(no error)' });
    }
  }
  if (e.outputs) for (const m of matchVariables(e.outputs, result.outputs, 'outputs')) failures.push({ kind: 'output', message: m.where, expected: m.expected, actual: m.actual });
  if (e.variables) for (const m of matchVariables(e.variables, result.variables, 'variables')) failures.push({ kind: 'variable', message: m.where, expected: m.expected, actual: m.actual });
  if (e.path) {
    const d = pathDiff(e.path, pathOf(result.trace ?? [], shownScript));
    if (d) failures.push({ kind: 'path', message: d });
  }
  if (e.requests) {
    const made = tape.made;
    const ok = e.requests.length === made.length && e.requests.every((r, i) => made[i] === r);
    if (!ok) failures.push({ kind: 'request', message: 'requests made', expected: e.requests.join('\n'), actual: made.join('\n') || '(none)' });
  }
  for (const f of tape.faults.unused()) failures.push({ kind: 'fault', message: `the ${f.kind} fault for '${f.request}' never fired: no request matched it` });
  return failures.map((f) => ({ ...f, message: mask(f.message), ...(f.expected !== undefined ? { expected: mask(f.expected) } : {}), ...(f.actual !== undefined ? { actual: mask(f.actual) } : {}) }));
}
