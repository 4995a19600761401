// Speed of the extension in real VS Code (code-server + chromium, as in test/vscode): activation time
// (as the extension measures it around activate(), reported by its self-test command), first
// diagnostics after opening a 1,000-line script (open to the squiggle drawn, timed inside the page), and
// the trace view under 10,000 events (time until the last one shows, and the longest stall of the
// workbench and of the webview while they stream in). Printed beside the targets as ratios; the tests
// assert behaviour only. Needs the tools of `bash scripts/setup-vscode-tools.sh`.
import { existsSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { availableParallelism, loadavg } from 'node:os';
import path from 'node:path';
import type { Frame, Page } from 'playwright-core';
import {
  openFile,
  openWorkbench,
  removeCodeServerDirs,
  runCommand,
  startCodeServer,
  webviewFrame,
} from '../test/helpers/code-server.js';
import { ensureVsix, paletteTitle } from '../test/helpers/extension-vsix.js';
import { makeSnipWorkspace } from '../test/helpers/snip-workspace.js';
import { chromiumBin, codeServerBin } from '../test/helpers/tool-paths.js';
import { generate } from './lsp.js';

const TARGET = { activationMs: 100, firstDiagnosticsMs: 300, traceStallMs: 250 };
const SELF_TEST_KEY = 'ctrl+alt+shift+f10';
const TRACE_EVENTS = 10_000;

/** A 1,000-line script with one error near the top (so its squiggle is in view when the file opens). */
function thousandLines(run: number): string {
  const lines = generate(1000).snippet.split('\n');
  lines.pop(); // the generator's trailing incomplete line: its error would be out of view
  lines.splice(2, 0, `ASSIGN first${run} = lefft("bench", 1)`);
  return lines.slice(0, 1000).join('\n') + '\n';
}

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)] ?? NaN;
}

async function activation(page: Page, workspace: string): Promise<number> {
  const out = path.join(workspace, '.snip-selftest.json');
  // The command exists once the extension has activated: press until the report appears.
  for (let i = 0; i < 60 && !existsSync(out); i++) {
    await page.keyboard.press('Control+Alt+Shift+F10');
    await new Promise((r) => setTimeout(r, 1000));
  }
  for (let i = 0; i < 30; i++) {
    try {
      return (JSON.parse(readFileSync(out, 'utf8')) as { activationMs: number }).activationMs;
    } catch {
      await new Promise((r) => setTimeout(r, 500)); // not written completely yet
    }
  }
  throw new Error('the self-test command wrote no report');
}

// Page-side code is passed as text: the project compiles without the DOM library.
const WATCH_OPEN = (marker: string) => `(() => {
  const w = window;
  w.__snipOpen = new Promise((resolve, reject) => {
    setTimeout(() => reject(new Error('no squiggle within 60 s')), 60000);
    let shown;
    const check = () => {
      const lines = document.querySelector('.editor-instance .view-lines');
      // Monaco draws spaces as non-breaking ones.
      if (shown === undefined && lines && lines.textContent.replace(/\\u00a0/g, ' ').includes(${JSON.stringify(marker)})) shown = performance.now();
      if (shown !== undefined && document.querySelector('.editor-instance .squiggly-error')) {
        obs.disconnect();
        resolve({ shown, squiggle: performance.now() });
      }
    };
    const obs = new MutationObserver(check);
    obs.observe(document.body, { subtree: true, childList: true, characterData: true, attributes: true, attributeFilter: ['class'] });
  });
})()`;

/**
 * Opens `rel` (quick open, Enter) and times, inside the page, until its text is drawn and until an
 * error squiggle is drawn in it. `marker` is text of the line with the error.
 */
async function firstDiagnostics(page: Page, rel: string, marker: string): Promise<{ openToSquiggle: number; textToSquiggle: number }> {
  await page.evaluate(WATCH_OPEN(marker));
  await page.keyboard.press('Control+P');
  const input = page.locator('.quick-input-widget input.input');
  await input.fill(rel);
  await page.locator('.quick-input-widget .monaco-list-row').first().filter({ hasText: rel }).waitFor();
  const t0 = (await page.evaluate('performance.now()')) as number;
  await page.keyboard.press('Enter');
  const t = (await page.evaluate('window.__snipOpen')) as { shown: number; squiggle: number };
  return { openToSquiggle: t.squiggle - t0, textToSquiggle: t.squiggle - t.shown };
}

/** Starts a watcher of animation-frame gaps in a page or frame; the returned function stops and reads it. */
async function watchStalls(target: Page | Frame): Promise<() => Promise<number>> {
  await target.evaluate(`(() => {
    const s = (window.__snipStall = { max: 0, on: true });
    let last = performance.now();
    const tick = (now) => {
      s.max = Math.max(s.max, now - last);
      last = now;
      if (s.on) requestAnimationFrame(tick);
    };
    requestAnimationFrame(tick);
  })()`);
  return async () => (await target.evaluate('(window.__snipStall.on = false, window.__snipStall.max)')) as number;
}

async function traceUnderLoad(page: Page, rel: string, lastSeq: number): Promise<{ shownMs: number; workbenchStallMs: number; webviewStallMs: number }> {
  await openFile(page, rel);
  const stopWorkbench = await watchStalls(page);
  const t0 = Date.now();
  await runCommand(page, paletteTitle('snipstudio.runWithTrace'));
  const frame = await webviewFrame(page, '.trace-row', 120_000);
  const stopWebview = await watchStalls(frame);
  // The view may render only the rows in view: wait for the last event's row, however it is reached.
  await frame.locator(`.trace-row[data-seq="${lastSeq}"]`).waitFor({ state: 'attached', timeout: 300_000 });
  const shownMs = Date.now() - t0;
  return { shownMs, workbenchStallMs: await stopWorkbench(), webviewStallMs: await stopWebview() };
}

function row(name: string, value: number, target: number): string {
  return `${name.padEnd(44)} ${value.toFixed(1).padStart(9)} ms   target ${String(target).padStart(4)} ms   ratio ${(value / target).toFixed(2)}`;
}

export async function main(args: string[]): Promise<void> {
  const runsArg = args.indexOf('--runs');
  const runs = runsArg >= 0 ? Math.max(1, Number(args[runsArg + 1]) || 3) : 3;
  if (codeServerBin() === undefined || chromiumBin() === undefined) {
    process.stdout.write('vscode: skipped (code-server or chromium missing): run bash scripts/setup-vscode-tools.sh\n');
    return;
  }
  const vsix = await ensureVsix();
  let hasTraceView = true;
  try {
    paletteTitle('snipstudio.runWithTrace');
  } catch {
    hasTraceView = false;
  }
  const act: number[] = [];
  const diag: { openToSquiggle: number; textToSquiggle: number }[] = [];
  const trace: { shownMs: number; workbenchStallMs: number; webviewStallMs: number }[] = [];
  for (let r = 0; r < runs; r++) {
    const ws = await makeSnipWorkspace();
    const big = `bench-1000-${r}.snip`;
    writeFileSync(path.join(ws.dir, big), thousandLines(r));
    writeFileSync(path.join(ws.dir, 'bench-trace.snip'), `FOR i = 1 TO ${TRACE_EVENTS} {\n  TRACE "event {i}"\n}\n`);
    const server = await startCodeServer({
      workspace: ws.dir,
      vsix: [vsix],
      keybindings: [{ key: SELF_TEST_KEY, command: 'snipstudio.selfTest', args: { files: ['complete.snip'] } }],
    });
    try {
      const wb = await openWorkbench(server);
      try {
        // A small file first: activation and the server's start are not part of "first diagnostics".
        await openFile(wb.page, 'complete.snip');
        act.push(await activation(wb.page, ws.dir));
        diag.push(await firstDiagnostics(wb.page, big, `lefft("bench", 1)`));
        // Events: one per TRACE, the SNIPPET action, then the end event.
        if (hasTraceView) trace.push(await traceUnderLoad(wb.page, 'bench-trace.snip', TRACE_EVENTS + 2));
      } finally {
        await wb.close();
      }
    } finally {
      await server.stop();
      removeCodeServerDirs(server);
      rmSync(ws.dir, { recursive: true, force: true });
    }
  }
  // The machine's load says how much of the figures is contention (the tests' machine is shared).
  const load = loadavg().map((l) => l.toFixed(1)).join(' ');
  const out: string[] = [`vscode: real VS Code (code-server 4.100.3 + chromium), ${runs} fresh runs, medians; load ${load} on ${availableParallelism()} cores`];
  out.push(row('extension activation', median(act), TARGET.activationMs));
  out.push(row('first diagnostics, 1,000-line script: open', median(diag.map((d) => d.openToSquiggle)), TARGET.firstDiagnosticsMs));
  out.push(row('  from its text drawn to its squiggle drawn', median(diag.map((d) => d.textToSquiggle)), TARGET.firstDiagnosticsMs));
  if (trace.length > 0) {
    out.push(`${'trace view, 10,000 events: all shown after'.padEnd(44)} ${median(trace.map((t) => t.shownMs)).toFixed(1).padStart(9)} ms`);
    out.push(row('  longest workbench stall meanwhile', median(trace.map((t) => t.workbenchStallMs)), TARGET.traceStallMs));
    out.push(row('  longest trace webview stall meanwhile', median(trace.map((t) => t.webviewStallMs)), TARGET.traceStallMs));
  } else {
    out.push('trace view: not measured (the extension contributes no snipstudio.runWithTrace yet)');
  }
  process.stdout.write(out.join('\n') + '\n');
}
