// The interpreter benchmark (issue 3, Performance): workloads W1-W7 written in Snippet for us and in
// JavaScript for the peers (native V8, quickjs-emscripten, js-interpreter, sval); results checked equal.
// `--base=DIR` adds the snipstudio build in DIR (a copy of an earlier `dist`) as one more engine in the
// same rounds, and prints each workload's time as a ratio to it.
import { createRequire } from 'node:module';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { performance } from 'node:perf_hooks';
import { getQuickJS, type QuickJSWASMModule } from 'quickjs-emscripten';
import Sval from 'sval';
import { compile, type Program } from '../runtime/compile.js';

interface JsInterpreter {
  run(): boolean;
  value: unknown;
  setProperty(obj: unknown, name: string, value: unknown): void;
}
type JsInterpreterCtor = new (code: string, init?: (i: JsInterpreter, global: unknown) => void) => JsInterpreter;
const JSInterpreter = createRequire(import.meta.url)('js-interpreter') as JsInterpreterCtor;

/** One workload: Snippet source (result in `result`) and an ES5 function body over `text` returning the result. */
export interface Workload {
  id: string;
  title: string;
  snip: string;
  js: string;
  /** Runs the whole workload this many times per sample (W7: the loop is the point). */
  text?: string;
}

/** A deterministic ~200 KB JSON document with 1,700 items (W4). */
function makeJsonText(): string {
  const items = [];
  for (let i = 1; i <= 1700; i++) {
    items.push({ id: i, name: `item number ${i}`, price: (i * 37) % 1000, active: i % 3 === 0, tags: ['alpha', 'beta', `t${i % 17}`], note: 'x'.repeat(20 + (i % 15)) });
  }
  return JSON.stringify({ count: items.length, items });
}

const W7_SNIP = 'a = 1\nb = a + 2\nc = "x{b}"\nd = c.length\ne = d * 3';
const W7_JS = 'var a = 1; var b = a + 2; var c = "x" + b; var d = c.length; var e = d * 3; e';

/**
 * C1, a true cold start: a script never seen before (its first line differs on every call, so no
 * compile cache can answer), parsed, compiled and run. Six lines: a tag, then W7's five.
 */
let coldSerial = 0;
const coldSnip = (): string => `tag = "run${++coldSerial}"\n${W7_SNIP}`;
const coldJs = (): string => `var tag = "run${++coldSerial}"; ${W7_JS}`;
const COLD_SCRIPTS = 1000;

export const WORKLOADS: Workload[] = [
  {
    id: 'W1',
    title: 'sum (i*2)%7, 1e6',
    snip: 'FOR i = 1 TO 1000000\n{\n  s = s + (i * 2) % 7\n}\nresult = s',
    js: 'var s = 0; for (var i = 1; i <= 1000000; i++) { s = s + (i * 2) % 7; } return String(s);',
  },
  {
    id: 'W2',
    title: '10k-part string, replace, length',
    snip: 'FOR i = 1 TO 10000\n{\n  s = "{s}item{i}:alpha;"\n}\nresult = s.replace("a", "b").length',
    js: 'var s = ""; for (var i = 1; i <= 10000; i++) { s = s + "item" + i + ":alpha;"; } return String(s.split("a").join("b").length);',
  },
  {
    id: 'W3',
    title: 'object of 1k members, asjson',
    snip:
      'DYNAMIC o\nFOR i = 1 TO 1000\n{\n  DYNAMIC m\n  m.id = i\n  m.name = "name{i}"\n  m.active = true\n  o.setvalue("m{i}", m)\n}\nresult = o.asjson().length',
    js: 'var o = {}; for (var i = 1; i <= 1000; i++) { o["m" + i] = { id: String(i), name: "name" + i, active: "true" }; } return String(JSON.stringify(o).length);',
  },
  {
    id: 'W4',
    title: 'parse 200 KB JSON, sum a field',
    snip: 'DYNAMIC d = text\ns = 0\nFOREACH item IN d.items\n{\n  s = s + item.price\n}\nresult = s',
    js: 'var d = JSON.parse(text); var s = 0; for (var i = 0; i < d.items.length; i++) { s = s + d.items[i].price; } return String(s);',
    text: makeJsonText(),
  },
  {
    id: 'W5',
    title: 'fib(24), user function',
    snip: 'FUNCTION fib(n)\n{\n  IF n < 2\n  {\n    RETURN n\n  }\n  RETURN fib(n - 1) + fib(n - 2)\n}\nresult = fib(24)',
    js: 'function fib(n) { if (n < 2) { return n; } return fib(n - 1) + fib(n - 2); } return String(fib(24));',
  },
  {
    id: 'W6',
    title: '10k Studio request payloads',
    snip: [
      'FOR i = 1 TO 10000',
      '{',
      '  DYNAMIC p',
      '  p.URL = "https://api.example.com/v1/customers/{i}/orders"',
      '  p.HTTPMETHOD = "POST"',
      '  p.HEADERS.ContentHYPHENPLACEHOLDERType = "application/json"',
      '  p.HEADERS.Authorization = "Bearer token{i}"',
      '  p.HEADERS.XHYPHENPLACEHOLDERRequestHYPHENPLACEHOLDERId = "req-{i}"',
      '  p.QUERYPARAMETERS.page = "{i}"',
      '  p.QUERYPARAMETERS.limit = "50"',
      '  p.BODY.customerId = "C{i}"',
      '  p.BODY.amount = "{i}.50"',
      '  p.BODY.currency = "EUR"',
      '  p.BODY.note = "order {i} for customer C{i}"',
      '  j = p.asjson().replace("HYPHENPLACEHOLDER", "-")',
      '  total = total + j.length',
      '}',
      'result = total',
    ].join('\n'),
    js: [
      'var total = 0;',
      'for (var i = 1; i <= 10000; i++) {',
      '  var p = { URL: "https://api.example.com/v1/customers/" + i + "/orders", HTTPMETHOD: "POST",',
      '    HEADERS: { ContentHYPHENPLACEHOLDERType: "application/json", Authorization: "Bearer token" + i, XHYPHENPLACEHOLDERRequestHYPHENPLACEHOLDERId: "req-" + i },',
      '    QUERYPARAMETERS: { page: String(i), limit: "50" },',
      '    BODY: { customerId: "C" + i, amount: i + ".50", currency: "EUR", note: "order " + i + " for customer C" + i } };',
      '  var j = JSON.stringify(p).split("HYPHENPLACEHOLDER").join("-");',
      '  total = total + j.length;',
      '}',
      'return String(total);',
    ].join('\n'),
  },
];

/** Generous limits: the workloads exceed Studio's per-snippet defaults on purpose. */
export const LIMITS = { maxSteps: 1e9, maxTimeMs: 120_000, maxStringSize: 1 << 24, maxDynamicBytes: 1 << 24, maxCallDepth: 256 };

type Runner = () => string | Promise<string>;

interface Engine {
  name: string;
  /** Prepares a workload once (compile, load); returns the measured step. */
  prepare(w: Workload): Runner;
  /** W7: 1,000 fresh contexts each running a 5-line script. */
  fresh(): Runner;
  /** C1: 1,000 fresh contexts each parsing, compiling and running a new 6-line script. */
  cold(): Runner;
}

function ours(compileFn: typeof compile = compile, name = 'snipstudio'): Engine {
  const compile = compileFn;
  return {
    name,
    prepare(w) {
      const { program, diagnostics } = compile(w.snip, { fileName: `${w.id}.snip` });
      if (program === undefined) throw new Error(`${w.id}: ${diagnostics.map((d) => d.message).join('; ')}`);
      const p: Program = program;
      const inputs = w.text === undefined ? {} : { text: w.text };
      return async () => {
        const r = await p.run({ inputs, limits: LIMITS });
        if (r.error) throw new Error(`${w.id}: ${r.error.message}`);
        return String(r.variables.result);
      };
    },
    fresh() {
      return async () => {
        let last = '';
        for (let i = 0; i < 1000; i++) {
          const { program } = compile(W7_SNIP, { fileName: 'w7.snip' });
          const r = await program!.run();
          last = String(r.variables.e);
        }
        return last;
      };
    },
    cold() {
      return async () => {
        let last = '';
        for (let i = 0; i < COLD_SCRIPTS; i++) {
          const { program } = compile(coldSnip(), { fileName: 'c1.snip' });
          const r = await program!.run();
          last = String(r.variables.e);
        }
        return last;
      };
    },
  };
}

function native(): Engine {
  return {
    name: 'native V8',
    prepare(w) {
      const fn = new Function('text', w.js) as (text: string | undefined) => string;
      return () => fn(w.text);
    },
    fresh() {
      const fn = new Function(`${W7_JS.replace(/ e$/, ' return String(e);')}`) as () => string;
      return () => {
        let last = '';
        for (let i = 0; i < 1000; i++) last = fn();
        return last;
      };
    },
    cold() {
      return () => {
        let last = '';
        for (let i = 0; i < COLD_SCRIPTS; i++) last = (new Function(`${coldJs().replace(/ e$/, ' return String(e);')}`) as () => string)();
        return last;
      };
    },
  };
}

const wrap = (w: Workload) => `(function () {\n${w.js}\n})()`;

function quickjs(qjs: QuickJSWASMModule): Engine {
  return {
    name: 'quickjs-emscripten',
    prepare(w) {
      const code = wrap(w);
      return () => {
        const ctx = qjs.newContext();
        try {
          if (w.text !== undefined) {
            const h = ctx.newString(w.text);
            ctx.setProp(ctx.global, 'text', h);
            h.dispose();
          }
          const h = ctx.unwrapResult(ctx.evalCode(code));
          const v = String(ctx.dump(h));
          h.dispose();
          return v;
        } finally {
          ctx.dispose();
        }
      };
    },
    fresh() {
      return () => {
        let last = '';
        for (let i = 0; i < 1000; i++) {
          const ctx = qjs.newContext();
          const h = ctx.unwrapResult(ctx.evalCode(W7_JS));
          last = String(ctx.dump(h));
          h.dispose();
          ctx.dispose();
        }
        return last;
      };
    },
    cold() {
      return () => {
        let last = '';
        for (let i = 0; i < COLD_SCRIPTS; i++) {
          const ctx = qjs.newContext();
          const h = ctx.unwrapResult(ctx.evalCode(coldJs()));
          last = String(ctx.dump(h));
          h.dispose();
          ctx.dispose();
        }
        return last;
      };
    },
  };
}

function jsInterpreter(): Engine {
  return {
    name: 'js-interpreter',
    prepare(w) {
      const code = wrap(w);
      return () => {
        const it = new JSInterpreter(code, (i, g) => {
          if (w.text !== undefined) i.setProperty(g, 'text', w.text);
        });
        it.run();
        return String(it.value);
      };
    },
    fresh() {
      return () => {
        let last = '';
        for (let i = 0; i < 1000; i++) {
          const it = new JSInterpreter(W7_JS);
          it.run();
          last = String(it.value);
        }
        return last;
      };
    },
    cold() {
      return () => {
        let last = '';
        for (let i = 0; i < COLD_SCRIPTS; i++) {
          const it = new JSInterpreter(coldJs());
          it.run();
          last = String(it.value);
        }
        return last;
      };
    },
  };
}

function sval(): Engine {
  return {
    name: 'sval',
    prepare(w) {
      const code = `exports.result = ${wrap(w)};`;
      return () => {
        const it = new Sval({ ecmaVer: 5, sandBox: true });
        if (w.text !== undefined) it.import({ text: w.text });
        it.run(code);
        return String(it.exports.result);
      };
    },
    fresh() {
      const code = `${W7_JS.replace(/ e$/, ' exports.result = e;')}`;
      return () => {
        let last = '';
        for (let i = 0; i < 1000; i++) {
          const it = new Sval({ ecmaVer: 5, sandBox: true });
          it.run(code);
          last = String(it.exports.result);
        }
        return last;
      };
    },
    cold() {
      return () => {
        let last = '';
        for (let i = 0; i < COLD_SCRIPTS; i++) {
          const it = new Sval({ ecmaVer: 5, sandBox: true });
          it.run(coldJs().replace(/ e$/, ' exports.result = e;'));
          last = String(it.exports.result);
        }
        return last;
      };
    },
  };
}

interface Measured {
  median: number;
  result: string;
  samples: number;
}

/** One runner measured on its own (bench/dap.ts compares two ways of running one engine). */
export async function measure(run: Runner): Promise<Measured> {
  return (await measureAll([run]))[0]!;
}

/**
 * Every engine's runner of one workload, sampled in rounds (one sample each per round, the order
 * rotating, each after an unmeasured run) so that load on a shared machine hits all engines alike:
 * a warm-up run each, then
 * samples until each has ~1 s of them (at least 3, at most 15; one when a run is very slow).
 */
async function measureAll(runs: Runner[]): Promise<Measured[]> {
  const out: { result: string; times: number[]; spent: number; done: boolean }[] = [];
  for (const run of runs) {
    const t = performance.now();
    const result = await run();
    const first = performance.now() - t;
    out.push({ result, times: first > 3000 ? [first] : [], spent: 0, done: first > 3000 });
    process.stderr.write('.');
  }
  for (let round = 0; round < 15 && out.some((o) => !o.done); round++) {
    for (let k = 0; k < runs.length; k++) {
      const i = (k + round) % runs.length;
      const o = out[i]!;
      if (o.done) continue;
      // An unmeasured run first: it pays the garbage the previous engine left behind.
      await runs[i]!();
      const t = performance.now();
      const r = await runs[i]!();
      const ms = performance.now() - t;
      if (r !== o.result) throw new Error(`unstable result: ${r} vs ${o.result}`);
      o.times.push(ms);
      o.spent += ms;
      if (o.times.length >= 3 && o.spent >= 1000) o.done = true;
    }
  }
  return out.map((o) => {
    const times = [...o.times].sort((x, y) => x - y);
    return { median: times[Math.floor(times.length / 2)]!, result: o.result, samples: times.length };
  });
}

const fmt = (ms: number) => (ms >= 100 ? ms.toFixed(0) : ms >= 10 ? ms.toFixed(1) : ms.toFixed(2));

/** Runs every engine on every workload and prints one table of medians (ms) and ratios to native. */
export async function main(args: string[]): Promise<void> {
  const baseArg = args.find((a) => a.startsWith('--base='));
  const ids0 = args.filter((a) => !a.startsWith('--'));
  const only = ids0.length > 0 ? new Set(ids0.map((a) => a.toUpperCase())) : undefined;
  const qjs = await getQuickJS();
  const engines = [native(), ours(), quickjs(qjs), jsInterpreter(), sval()];
  if (baseArg !== undefined) {
    // An earlier build of this package (its dist folder): its `compile` from its own entry point.
    const base = (await import(pathToFileURL(path.resolve(baseArg.slice(7), 'index.js')).href)) as { compile: typeof compile };
    engines.push(ours(base.compile, 'snipstudio base'));
  }
  const toBase: string[] = [];
  const rows: string[][] = [];
  let mismatch = false;
  const ids = [...WORKLOADS.map((w) => w.id), 'W7', 'C1'].filter((id) => only === undefined || only.has(id));
  const titles: Record<string, string> = { W7: '1,000 fresh contexts, 5-line script', C1: `cold start: ${COLD_SCRIPTS} new 6-line scripts (ms = µs/script)` };
  const verdicts: string[] = [];
  for (const id of ids) {
    const w = WORKLOADS.find((x) => x.id === id);
    const title = w?.title ?? titles[id]!;
    const cells = await measureAll(engines.map((e) => (w !== undefined ? e.prepare(w) : id === 'C1' ? e.cold() : e.fresh())));
    // The goals of issue 12: ahead of quickjs-emscripten (index 2) and sval (index 4) on every row.
    const [, us, qj, , sv] = cells.map((c) => c.median);
    verdicts.push(`${id}: snipstudio ${(us! / cells[0]!.median).toFixed(1)}x native, ${(qj! / us!).toFixed(2)}x faster than quickjs, ${(sv! / us!).toFixed(2)}x faster than sval`);
    if (baseArg !== undefined) toBase.push(`${id} ${(us! / cells[5]!.median).toFixed(2)}`);
    const base = cells[0]!;
    const row = [id, title];
    cells.forEach((c, i) => {
      const ok = c.result === base.result;
      if (!ok) mismatch = true;
      row.push(`${fmt(c.median)}${i === 0 ? '' : ` (${(c.median / base.median).toFixed(1)}x)`}${ok ? '' : ` MISMATCH ${c.result}`}`);
    });
    row.push(base.result);
    rows.push(row);
  }
  process.stderr.write('\n');
  const header = ['', 'workload', ...engines.map((e) => e.name), 'result'];
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i]!.length)));
  const line = (r: string[]) => `| ${r.map((c, i) => c.padEnd(widths[i]!)).join(' | ')} |`;
  console.log('Median ms per run (ratio to native V8); engines sampled in rotating rounds, each sample after an unmeasured run; results checked equal.');
  console.log(line(header));
  console.log(`|${widths.map((w) => '-'.repeat(w + 2)).join('|')}|`);
  for (const r of rows) console.log(line(r));
  console.log(`Beside the peers (above 1.00x = snipstudio ahead; Node ${process.version}):`);
  for (const v of verdicts) console.log(`  ${v}`);
  if (baseArg !== undefined) console.log(`Time as a ratio to the base build (below 1.00 = faster than base): ${toBase.join(', ')}`);
  if (mismatch) process.exitCode = 1;
}
