// The debugger's cost (issue 11): each interpreter workload run as `snip run` runs it (runScript of
// the file with a trace sink) and under the debugger with no breakpoints set (debug compilation,
// its gate unarmed: a flag check per statement, the hook every 1024 steps). Prints medians and
// the ratio; the target is at most 3x.
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { ScriptDebugger } from '../runtime/debug/debugger.js';
import { runScript, type RunScriptResult } from '../runtime/run-script.js';
import { LIMITS, WORKLOADS, measure } from './interp.js';

const TARGET = 3;

function result(r: RunScriptResult, id: string): string {
  if (r.error !== undefined) throw new Error(`${id}: ${r.error.code} ${r.error.message}`);
  return String(r.variables['result']);
}

/** One run under the debugger, no breakpoints: resolves with the run's result. */
function underDebugger(file: string, inputs: Record<string, unknown>, id: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const dbg = new ScriptDebugger({
      stopped: () => reject(new Error(`${id}: stopped although no breakpoint is set`)),
      output: () => undefined,
      functionBreakpointsVerified: () => undefined,
      ended: (r) => {
        try {
          resolve(result(r, id));
        } catch (e) {
          reject(e);
        }
      },
    });
    dbg.start({ program: file, inputs, limits: LIMITS, traceLevel: 'actions' }).catch(reject);
  });
}

export async function main(args: string[]): Promise<void> {
  const only = args.length > 0 ? new Set(args.map((a) => a.toUpperCase())) : undefined;
  const dir = await mkdtemp(path.join(tmpdir(), 'snip-bench-dap-'));
  const rows: string[][] = [];
  let over = false;
  try {
    for (const w of WORKLOADS.filter((x) => only === undefined || only.has(x.id))) {
      const file = path.join(dir, `${w.id}.snip`);
      await writeFile(file, w.snip);
      const inputs = w.text === undefined ? {} : { text: w.text };
      const run = await measure(async () =>
        result(await runScript(file, { fileName: `${w.id}.snip`, inputs, limits: LIMITS, traceLevel: 'actions', onTrace: () => undefined }), w.id),
      );
      process.stderr.write('.');
      const dap = await measure(() => underDebugger(file, inputs, w.id));
      process.stderr.write('.');
      if (dap.result !== run.result) throw new Error(`${w.id}: results differ: ${dap.result} vs ${run.result}`);
      const ratio = dap.median / run.median;
      if (ratio > TARGET) over = true;
      rows.push([w.id, w.title, run.median.toFixed(1), dap.median.toFixed(1), `${ratio.toFixed(2)}x`]);
    }
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
  process.stderr.write('\n');
  const header = ['', 'workload', 'snip run ms', 'under debugger ms', 'ratio'];
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i]!.length)));
  const line = (r: string[]) => `| ${r.map((c, i) => c.padEnd(widths[i]!)).join(' | ')} |`;
  console.log(`Debugger cost: median ms per run, no breakpoints set (target: at most ${TARGET}x).`);
  console.log(line(header));
  console.log(`|${widths.map((w) => '-'.repeat(w + 2)).join('|')}|`);
  for (const r of rows) console.log(line(r));
  if (over) process.exitCode = 1;
}
