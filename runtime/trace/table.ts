// The readable trace for terminals: one aligned row per action (branch -> next, duration), its
// variable changes, TRACE messages and `_ERR` beneath it, statements indented at level
// `statements`. Colour only when asked (a TTY); dynamic objects summarised; long values cut.
import { createColors } from 'picocolors';
import type { ActionEvent, EndEvent, StatementEvent, TraceEvent, TraceSink, VariableChange } from './events.js';

export interface TableOptions {
  write(text: string): void;
  /** Colour (use only on a TTY without NO_COLOR). */
  color?: boolean;
  /** Width of the label column (default 14; longer labels widen their row only). */
  labelWidth?: number;
  /** Longest value shown before it is cut (default 60). */
  maxValue?: number;
}

/** The cut marker: the text shown ends with it and says how much was left out. */
export const CUT_MARKER = '…';

/** A value as the table shows it: JSON objects/arrays summarised, long text cut with a marker. */
export function summarise(text: unknown, max = 60): string {
  if (text === null || text === undefined) return '(new)';
  const s = String(text);
  const t = s.trimStart();
  if ((t.startsWith('{') || t.startsWith('[')) && s.length > 2) {
    try {
      const v: unknown = JSON.parse(s);
      if (Array.isArray(v)) return `[${v.length} item${v.length === 1 ? '' : 's'}]`;
      if (v !== null && typeof v === 'object') {
        const keys = Object.keys(v);
        const shown = keys.slice(0, 4).join(', ');
        return `{${shown}${keys.length > 4 ? `, +${keys.length - 4}` : ''}}`;
      }
    } catch {
      // Text that merely starts with a brace is shown as text.
    }
  }
  if (s.length <= max) return JSON.stringify(s);
  return `${JSON.stringify(s.slice(0, max)).slice(0, -1)}${CUT_MARKER}(+${s.length - max} chars)`;
}

/** Creates a sink that writes the table, header first. */
export function tableSink(options: TableOptions): TraceSink {
  const c = createColors(options.color === true);
  const lw = options.labelWidth ?? 14;
  const max = options.maxValue ?? 60;
  let headed = false;
  let actions = 0;
  const w = options.write;
  const change = (ch: VariableChange, indent: string): string =>
    `${indent}${c.cyan(ch.name)}: ${c.dim(summarise(ch.old, max))} -> ${summarise(ch.new, max)}\n`;

  const header = (): void => {
    headed = true;
    w(c.bold(`${'#'.padStart(4)}  ${'label'.padEnd(lw)}  ${'action'.padEnd(14)}  ${'branch -> next'.padEnd(28)}  ${'ms'.padStart(8)}`) + '\n');
  };
  const action = (e: ActionEvent): void => {
    actions++;
    const route = e.branch === undefined ? '' : `${e.branch}${e.next !== undefined ? ` -> ${e.next}` : ' -> (end)'}`;
    const routeText = e.error !== undefined ? c.red(route.padEnd(28)) : route.padEnd(28);
    w(`${String(e.seq).padStart(4)}  ${c.bold(e.label.padEnd(lw))}  ${c.yellow(e.action.padEnd(14))}  ${routeText}  ${e.durationMs.toFixed(1).padStart(8)}\n`);
    // The _ERR line below shows the error in full; its variables would only repeat it cut short.
    const shown = e.error === undefined ? e.changes : e.changes.filter((ch) => !/^_?_err$/i.test(ch.name));
    for (const ch of shown) w(change(ch, '        '));
    for (const m of e.messages) w(`        ${c.magenta('trace')}: ${m}\n`);
    if (e.error !== undefined) w(`        ${c.red('_ERR')}: ${e.error}\n`);
  };
  const statement = (e: StatementEvent): void => {
    w(c.dim(`      · ${e.label}:${e.line}:${e.column} ${e.statement}`) + '\n');
    for (const ch of e.changes) w(change(ch, '          '));
  };
  const end = (e: EndEvent): void => {
    const what = e.outcome === 'completed' ? c.green('completed') : c.red(e.outcome);
    w(`${what} in ${e.durationMs.toFixed(1)} ms, ${actions} action${actions === 1 ? '' : 's'}`);
    w(e.error ? `: ${c.red(`${e.error.code} ${e.error.message}`)}\n` : '\n');
  };
  return (event: TraceEvent) => {
    if (!headed && event.type !== 'end') header();
    switch (event.type) {
      case 'action':
        return action(event);
      case 'statement':
        return statement(event);
      case 'end':
        return end(event);
      case 'hub':
        return w(`        ${c.blue('hub')} ${event.connection} ${event.what}: ${event.detail}\n`);
      case 'message':
        return; // shown under its action, which follows
    }
  };
}
