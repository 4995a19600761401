// Trace cost (issue 12): traced vs untraced runs of linear flows of 10, 100 and 1,000 actions, in one
// process, alternating so that machine load hits both alike. Each action writes one new variable and
// updates a running total; a 40-member dynamic object built first stays in scope the whole run,
// as a request payload would. The trace sink only counts events, so what is measured is the runtime's
// own cost of producing them.
import { performance } from 'node:perf_hooks';
import { compileScript, type CompiledScriptResult } from '../runtime/flow/compile-script.js';
import { runCompiledScript } from '../runtime/run-script.js';
import type { TraceEvent } from '../runtime/trace/events.js';

/** A `.studio` flow of `actions` actions (BEGIN, SNIPPETs, END), each falling through to the next. */
export function linearFlow(actions: number): string {
  const out = ['SCRIPT "Linear"', 'BEGIN start', 'SNIPPET setup {', '  DYNAMIC payload'];
  for (let m = 1; m <= 40; m++) out.push(`  payload.field${m} = "value number ${m}"`);
  out.push('  total = 0', '}');
  for (let i = 1; i <= actions - 3; i++) out.push(`SNIPPET step${i} {`, `  v${i} = "step {total} of ${i}"`, `  total = total + ${i}`, '}');
  out.push('END done');
  return out.join('\n') + '\n';
}

const LIMITS = { maxSteps: 1e7, maxTimeMs: 600_000 };

async function runOnce(compiled: CompiledScriptResult, traced: boolean): Promise<string> {
  let events = 0;
  const sink = traced ? (_e: TraceEvent) => void events++ : undefined;
  const r = await runCompiledScript(compiled, { fileName: 'linear.studio', limits: LIMITS, ...(sink ? { onTrace: sink, traceLevel: 'actions' as const } : {}) });
  if (r.error) throw new Error(`bench trace: ${r.error.code} ${r.error.message}`);
  return `${String(r.variables['total'])}${traced ? `/${events}` : ''}`;
}

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)]!;
}

/** `npm run bench -- trace [--samples=N]`. */
export async function main(args: string[]): Promise<void> {
  const a = args.find((x) => x.startsWith('--samples='));
  const samples = a === undefined ? 21 : Number(a.slice(10));
  if (!Number.isInteger(samples) || samples < 1) throw new Error('bench trace: --samples must be a positive integer');
  const rows: string[] = [];
  for (const n of [10, 100, 1000]) {
    const compiled = compileScript(linearFlow(n), { fileName: 'linear.studio' });
    if (compiled.flow === undefined) throw new Error(`bench trace: ${compiled.diagnostics[0]?.message}`);
    if (compiled.flow.nodes.length !== n) throw new Error(`bench trace: expected ${n} actions, got ${compiled.flow.nodes.length}`);
    // Small flows are timed in batches so that each sample is long enough to measure.
    const batch = Math.max(1, Math.round(10_000 / n));
    // Wall time, and the process's CPU time: on a shared machine the second is the steadier one.
    const time = async (traced: boolean): Promise<[number, number, string]> => {
      const t0 = performance.now();
      const c0 = process.cpuUsage();
      let last = '';
      for (let i = 0; i < batch; i++) last = await runOnce(compiled, traced);
      const cpu = process.cpuUsage(c0);
      return [(performance.now() - t0) / batch, (cpu.user + cpu.system) / 1000 / batch, last];
    };
    for (let i = 0; i < 3; i++) {
      await time(false);
      await time(true);
    }
    const plain: number[] = [];
    const traced: number[] = [];
    const plainCpu: number[] = [];
    const tracedCpu: number[] = [];
    const results = ['', ''];
    for (let i = 0; i < samples; i++) {
      const order = i % 2 === 0 ? [false, true] : [true, false];
      for (const t of order) {
        const [ms, cpu, result] = await time(t);
        (t ? traced : plain).push(ms);
        (t ? tracedCpu : plainCpu).push(cpu);
        results[t ? 1 : 0] = result;
      }
      process.stderr.write('.');
    }
    const [total, events] = results[1]!.split('/');
    if (total !== results[0]) throw new Error(`bench trace: traced total ${total} differs from untraced ${results[0]}`);
    if (Number(events) !== n + 1) throw new Error(`bench trace: ${events} events for ${n} actions`);
    const p = median(plain);
    const t = median(traced);
    const pc = median(plainCpu);
    const tc = median(tracedCpu);
    rows.push(`| ${n} | ${p.toFixed(3)} | ${t.toFixed(3)} | ${(t / p).toFixed(2)}x | ${pc.toFixed(3)} | ${tc.toFixed(3)} | ${(tc / pc).toFixed(2)}x |`);
  }
  process.stderr.write('\n');
  console.log(`trace benchmark: linear flows, each action writes a new variable and a total; a 40-member dynamic object in scope`);
  console.log(`settings: median of ${samples} alternating samples (each a batch of runs, about 10,000 actions) after 3 warm-ups; trace level 'actions', sink counts events; Node ${process.version}`);
  console.log('| actions | untraced ms | traced ms | traced / untraced | untraced CPU ms | traced CPU ms | CPU traced / untraced |');
  console.log('|---|---|---|---|---|---|---|');
  for (const r of rows) console.log(r);
}
