// Lex+parse throughput of a generated 10,000-line Snippet script, beside TypeScript's own
// `ts.createSourceFile` on an equivalent JavaScript program generated alongside.
import ts from 'typescript';
import { parseSnippet } from '../language/parse.js';

/** A Snippet program and an equivalent JavaScript program of about `lines` lines each. */
export function generate(lines: number): { snippet: string; js: string } {
  const snip: string[] = [];
  const js: string[] = [];
  let i = 0;
  while (snip.length < lines) {
    i++;
    snip.push(
      `// block ${i}`,
      `ASSIGN total${i} = a${i} * 2 + (b - 3) / 4 ^ 2`,
      `msg = "Hello {name}, you have {count + ${i}} new items"`,
      `IF total${i} >= 10 & flag = true`,
      `{`,
      `  FOR k = 1 TO 5 { list[k] = k * ${i} }`,
      `}`,
      `ELSE`,
      `{`,
      `  obj.member.items[2].name = "x{obj.id}"`,
      `  TRACE obj.asjson().replace("a", 'b')`,
      `}`,
      `FOREACH item IN names { count = count + item.size }`,
      `SWITCH code { CASE 200 { ok = true } DEFAULT { ok = false } }`,
    );
    js.push(
      `// block ${i}`,
      `let total${i} = a${i} * 2 + (b - 3) / 4 ** 2;`,
      `msg = \`Hello \${name}, you have \${count + ${i}} new items\`;`,
      `if (total${i} >= 10 && flag === true)`,
      `{`,
      `  for (let k = 1; k <= 5; k++) { list[k] = k * ${i}; }`,
      `}`,
      `else`,
      `{`,
      `  obj.member.items[2].name = \`x\${obj.id}\`;`,
      `  console.log(obj.asjson().replace("a", 'b'));`,
      `}`,
      `for (const item of names) { count = count + item.size; }`,
      `switch (code) { case 200: { ok = true; break; } default: { ok = false; } }`,
    );
  }
  return { snippet: snip.join('\n'), js: js.join('\n') };
}

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)]!;
}

/**
 * Median times of `a` and `b`, run alternately so that load on a shared machine affects both
 * alike (after warm-up runs of each).
 */
function timePair(a: () => void, b: () => void, iterations: number): [number, number] {
  for (let i = 0; i < 5; i++) {
    a();
    b();
  }
  const sa: number[] = [];
  const sb: number[] = [];
  const once = (fn: () => void, into: number[]): void => {
    const t0 = performance.now();
    fn();
    into.push(performance.now() - t0);
  };
  for (let i = 0; i < iterations; i++) {
    // Which one goes first alternates too, so neither always inherits the other's garbage.
    if (i % 2 === 0) {
      once(a, sa);
      once(b, sb);
    } else {
      once(b, sb);
      once(a, sa);
    }
  }
  return [median(sa), median(sb)];
}

/** Prints the table; no arguments. */
export function main(_args: string[] = []): void {
  const { snippet, js } = generate(10_000);
  const check = parseSnippet(snippet);
  if (check.diagnostics.length) throw new Error(`generated script has diagnostics: ${check.diagnostics[0]!.message}`);
  const [ours, theirs] = timePair(
    () => parseSnippet(snippet),
    () => ts.createSourceFile('bench.js', js, ts.ScriptTarget.ES2022, true, ts.ScriptKind.JS),
    21,
  );
  const lines = snippet.split('\n').length;
  const rows = [
    ['parser', 'lines', 'median ms', 'lines/ms'],
    ['snipstudio parseSnippet (lex+parse)', String(lines), ours.toFixed(1), (lines / ours).toFixed(0)],
    ['typescript createSourceFile (JS)', String(js.split('\n').length), theirs.toFixed(1), (js.split('\n').length / theirs).toFixed(0)],
  ];
  const w = rows[0]!.map((_, c) => Math.max(...rows.map((r) => r[c]!.length)));
  process.stdout.write('parse benchmark (median of 21 alternating runs after 5 warm-ups)\n');
  for (const r of rows) process.stdout.write(r.map((cell, c) => cell.padEnd(w[c]!)).join('  ') + '\n');
  process.stdout.write(`ratio: snipstudio takes ${(ours / theirs).toFixed(2)}x TypeScript's time (below 1 is faster)\n`);
}
