// Trace events as Debug Console lines: TRACE output as program output, one line per action, hub
// events and (at statement level) the variables each statement changed. Texts arrive masked.
import type { TraceEvent, TraceLevel } from '../trace/events.js';

/** One line for the console, with where it came from. */
export interface TraceLine {
  category: 'stdout' | 'console';
  text: string;
  where?: { file: string; line: number };
}

/** The line for `e` at `level`, or undefined when the level hides it (`quietActions`: a .snip file). */
export function traceLine(e: TraceEvent, level: TraceLevel, quietActions: boolean): TraceLine | undefined {
  switch (e.type) {
    case 'message':
      return { category: 'stdout', text: `${e.message}\n`, ...(e.fileName !== undefined ? { where: { file: e.fileName, line: e.line } } : {}) };
    case 'hub':
      return level === 'off' ? undefined : { category: 'console', text: `[hub] ${e.connection}: ${e.what} ${e.detail}\n` };
    case 'action': {
      if (level === 'off' || quietActions) return undefined;
      const text = `[${e.action}] ${e.label}${e.branch !== undefined ? ` -> ${e.branch}` : ''}${e.next !== undefined ? ` (${e.next})` : ''}${e.error !== undefined ? `: ${e.error}` : ''}\n`;
      return { category: 'console', text, ...(e.fileName !== undefined ? { where: { file: e.fileName, line: e.line ?? 1 } } : {}) };
    }
    case 'statement': {
      if (level !== 'statements') return undefined;
      const changes = e.changes.map((c) => `${c.name}=${typeof c.new === 'string' ? c.new : JSON.stringify(c.new)}`).join(', ');
      return { category: 'console', text: `  ${e.statement} line ${e.line}${changes ? `: ${changes}` : ''}\n` };
    }
    case 'end':
      return undefined;
  }
}
