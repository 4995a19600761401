// Builds the editor snippets from the project's own tables, so they cannot drift from the language:
// every Snippet statement (lsp/keywords.ts, also used by completion) for .snip files and SNIPPET
// bodies, and every Studio action (language/action-catalog.ts) with its required properties and all
// of its branches for .studio files. esbuild.mjs writes the result to dist/snippets/.
import { ACTIONS, type ActionSpec } from '../../../language/action-catalog';
import { STATEMENT_SNIPPETS } from '../../../lsp/keywords';

export interface VsSnippet {
  prefix: string | string[];
  body: string[];
  description: string;
}

/** `${n:text}` with the characters snippet syntax reserves escaped. */
function placeholder(n: number, text: string): string {
  return `\${${n}:${text.replace(/[$}\\]/g, (c) => `\\${c}`)}}`;
}

function actionSnippet(spec: ActionSpec): VsSnippet {
  let n = 1;
  const label = placeholder(n++, spec.type.toLowerCase() === 'begin' ? 'start' : spec.type.toLowerCase());
  const props = spec.properties
    .filter((p) => p.required)
    .map((p) => `${p.name} = ${placeholder(n++, p.kind === 'choice' ? (p.choices?.[0] ?? p.default ?? '') : p.kind === 'variable-name' ? 'name' : p.name === 'connectName' ? '"Connection"' : p.name === 'requestName' ? '"Request"' : 'value')}`);
  const head = `${spec.type} ${label}${props.length ? ` (${props.join(', ')})` : ''}`;
  const body = [spec.snippetBody ? `${head} {` : head];
  if (spec.snippetBody) body.push(`\t${placeholder(n++, 'ASSIGN x = 1')}`, '}');
  if (!spec.terminal) {
    if (spec.caseValues) body.push(`  ${placeholder(n++, 'value')} -> ${placeholder(n++, 'label')}`);
    for (const b of spec.branches) body.push(`  ${b} -> ${placeholder(n++, b.toLowerCase())}`);
    if (!['IF'].includes(spec.type)) body.push(`  -> ${placeholder(n++, 'next')}`);
  }
  body.push('$0');
  return { prefix: [spec.type, spec.type.toLowerCase()], body, description: spec.description };
}

function statementSnippet(s: { label: string; detail: string; body: string }): VsSnippet {
  return { prefix: [s.label, s.label.toLowerCase()], body: s.body.split('\n'), description: s.detail };
}

/** The two snippet files: Snippet statements (`snip`) and Studio actions plus a script skeleton (`studio`). */
export function buildSnippets(): { snip: Record<string, VsSnippet>; studio: Record<string, VsSnippet> } {
  const snip: Record<string, VsSnippet> = {};
  for (const s of STATEMENT_SNIPPETS) snip[`Statement ${s.label}`] = statementSnippet(s);
  const studio: Record<string, VsSnippet> = {
    'Studio script': {
      prefix: ['SCRIPT', 'script'],
      body: ['SCRIPT "${1:Name}"', 'PARAMS ${2:input}', '', 'BEGIN start -> ${3:main}', '', 'SNIPPET ${3:main} {', '\t$0', '}', '  -> done', '  Error -> done', '', 'END done'],
      description: 'A .studio script: SCRIPT, PARAMS, BEGIN, a SNIPPET and END.',
    },
  };
  for (const a of ACTIONS) studio[`Action ${a.type}`] = actionSnippet(a);
  return { snip, studio };
}
