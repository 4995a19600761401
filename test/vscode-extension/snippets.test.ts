// The editor snippets (vscode-extension/src/snippets/build-snippets.ts): one per Snippet statement and
// one per Studio action with all its branches, and each one, filled with its defaults, parses.
import { describe, expect, it } from 'vitest';
import { ACTIONS } from '../../language/action-catalog.js';
import { parseSnippet, parseStudio } from '../../language/parse.js';
import { STATEMENT_SNIPPETS } from '../../lsp/keywords.js';
import { buildSnippets } from '../../vscode-extension/src/snippets/build-snippets.js';

/** The text a snippet inserts when every placeholder keeps its default. */
function expand(body: string[]): string {
  return body
    .join('\n')
    .replace(/\$\{\d+:((?:\\.|[^}\\])*)\}/g, (_m, text: string) => text.replace(/\\(.)/g, '$1'))
    .replace(/\$\d+/g, '');
}

describe('snippets', () => {
  const { snip, studio } = buildSnippets();

  it('cover every statement and every action, with every branch', () => {
    expect(Object.keys(snip)).toEqual(STATEMENT_SNIPPETS.map((s) => `Statement ${s.label}`));
    for (const a of ACTIONS) {
      const s = studio[`Action ${a.type}`];
      expect(s, a.type).toBeDefined();
      const text = expand(s!.body);
      for (const b of a.branches) expect(text, `${a.type} ${b}`).toContain(`${b} ->`);
    }
  });

  it('parse without syntax errors once filled in', () => {
    for (const [name, s] of Object.entries(snip)) {
      const body = expand(s.body);
      // Statements that only make sense inside something else get a context.
      const text = /^(RETURN|BREAK)/.test(body) ? `FUNCTION f()\n{\nFOR i = 1 TO 2\n{\n${body}\n}\n}` : body;
      expect(parseSnippet(text).diagnostics.filter((d) => d.code.startsWith('SNIP1')), name).toEqual([]);
    }
    for (const [name, s] of Object.entries(studio)) {
      const text = name === 'Studio script' ? expand(s.body) : `BEGIN start -> x\n${expand(s.body).replace(/\$0/g, '')}\nEND next\n`;
      expect(parseStudio(text).diagnostics.filter((d) => d.code.startsWith('SNIP1')), `${name}:\n${text}`).toEqual([]);
    }
  });
});
