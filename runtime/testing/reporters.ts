// Reporters: the same results as a readable summary with a diff per failure (pretty), as one JSON
// document (json), or as JUnit XML for CI systems (junit: one testsuite per test file).
import { XMLBuilder } from 'fast-xml-parser';
import type { CaseResult, Failure } from './runner.js';

export type ReporterName = 'pretty' | 'json' | 'junit';
export const REPORTERS: readonly ReporterName[] = ['pretty', 'json', 'junit'];

/** Colours for the pretty reporter (identity functions when colour is off). */
export interface Paint {
  green(t: string): string;
  red(t: string): string;
  dim(t: string): string;
  bold(t: string): string;
}

export const noPaint: Paint = { green: (t) => t, red: (t) => t, dim: (t) => t, bold: (t) => t };

function indent(text: string, by: string): string {
  return text.split('\n').map((l) => by + l).join('\n');
}

/** A failure as text: what was checked, then expected and actual on their own lines. */
export function failureText(f: Failure, paint: Paint = noPaint): string {
  const lines = [f.message];
  if (f.expected !== undefined) lines.push(paint.green(indent(`expected: ${f.expected.replace(/\n/g, '\n          ')}`, '')));
  if (f.actual !== undefined) lines.push(paint.red(`actual:   ${f.actual.replace(/\n/g, '\n          ')}`));
  return lines.join('\n');
}

/** One line per case as it ends (pretty reporter, streaming). */
export function prettyCaseLine(r: CaseResult, paint: Paint = noPaint): string {
  const mark = r.passed ? paint.green('PASS') : paint.red('FAIL');
  return `${mark} ${r.file} > ${r.name} ${paint.dim(`(${r.durationMs} ms)`)}\n`;
}

/** The failures in detail and the totals (pretty reporter, at the end). */
export function prettySummary(results: readonly CaseResult[], paint: Paint = noPaint): string {
  const failed = results.filter((r) => !r.passed);
  const out: string[] = [];
  for (const r of failed) {
    out.push('', paint.bold(paint.red(`FAIL ${r.file} > ${r.name}`)) + paint.dim(` (${r.script})`));
    for (const f of r.failures) out.push(indent(failureText(f, paint), '  '));
  }
  const passed = results.length - failed.length;
  out.push('', `${paint.bold('Cases:')} ${failed.length ? paint.red(`${failed.length} failed`) + ', ' : ''}${paint.green(`${passed} passed`)}, ${results.length} total`);
  return out.join('\n') + '\n';
}

/** Every result as one JSON document (traces left out). */
export function jsonReport(results: readonly CaseResult[]): string {
  const cases = results.map(({ trace: _trace, ...r }) => r);
  const failed = cases.filter((r) => !r.passed).length;
  return JSON.stringify({ passed: failed === 0, total: cases.length, failed, cases }, null, 2) + '\n';
}

/** JUnit XML: a testsuite per test file, a testcase per case, a failure element per failed case. */
export function junitReport(results: readonly CaseResult[]): string {
  const byFile = new Map<string, CaseResult[]>();
  for (const r of results) {
    const list = byFile.get(r.file) ?? [];
    list.push(r);
    byFile.set(r.file, list);
  }
  const seconds = (ms: number) => (ms / 1000).toFixed(3);
  const suites = [...byFile].map(([file, list]) => ({
    '@_name': file,
    '@_tests': list.length,
    '@_failures': list.filter((r) => !r.passed).length,
    '@_errors': 0,
    '@_time': seconds(list.reduce((s, r) => s + r.durationMs, 0)),
    testcase: list.map((r) => ({
      '@_name': r.name,
      '@_classname': file.replace(/\.test\.json$/, '').replace(/[/\\]/g, '.'),
      '@_file': file,
      '@_time': seconds(r.durationMs),
      ...(r.passed
        ? {}
        : {
            failure: {
              '@_message': r.failures.map((f) => f.message.split('\n')[0]).join('; '),
              '@_type': r.failures[0]?.kind ?? 'failure',
              '#text': r.failures.map((f) => failureText(f)).join('\n\n'),
            },
          }),
    })),
  }));
  const builder = new XMLBuilder({ ignoreAttributes: false, attributeNamePrefix: '@_', format: true, suppressEmptyNode: true });
  const failures = results.filter((r) => !r.passed).length;
  const doc = {
    testsuites: {
      '@_name': 'snip test',
      '@_tests': results.length,
      '@_failures': failures,
      '@_errors': 0,
      '@_time': seconds(results.reduce((s, r) => s + r.durationMs, 0)),
      testsuite: suites,
    },
  };
  return '<?xml version="1.0" encoding="UTF-8"?>\n' + (builder.build(doc) as string);
}
