// Signatures and Markdown docs of built-ins, host members, user functions and actions, shared by
// completion, hover and signature help (one wording everywhere).
import type { BuiltinEntry, HostMemberEntry, ParamSpec } from '../language/catalog-types.js';
import type { ActionSpec } from '../language/action-catalog.js';
import type { FunctionSymbol } from '../language/analysis/symbols.js';

const PROVENANCE = { D: 'documented by NICE', R: 'seen in real scripts', I: 'Snipstudio decision' } as const;

/** `name: kind`, `name?: kind` or `...name: kind`. */
export function paramLabel(p: ParamSpec): string {
  return `${p.rest ? '...' : ''}${p.name}${p.optional ? '?' : ''}: ${p.kind}`;
}

/** `left(text: text, count: number): text` (function form). */
export function builtinSignature(b: BuiltinEntry | HostMemberEntry): string {
  return `${b.name}(${b.params.map(paramLabel).join(', ')}): ${b.returns}`;
}

/** The forms a built-in can be written in, e.g. `left(s, 3)` / `s.left(3)`. */
function formsLine(b: BuiltinEntry): string {
  const [first, ...rest] = b.params;
  const restNames = rest.map((p) => p.name).join(', ');
  const shown: string[] = [];
  if (b.forms.includes('function')) shown.push(`\`${b.name}(${b.params.map((p) => p.name).join(', ')})\``);
  if (b.forms.includes('method') && first) shown.push(`\`${first.name}.${b.name}(${restNames})\``);
  if (b.forms.includes('property') && first) shown.push(`\`${first.name}.${b.name}\``);
  return shown.join(' · ');
}

/** Hover/completion documentation of a built-in. */
export function builtinDoc(b: BuiltinEntry): string {
  const params = b.params.filter((p) => p.description).map((p) => `- \`${p.name}\`: ${p.description}`);
  return [
    '```snip',
    builtinSignature(b),
    '```',
    b.description,
    '',
    formsLine(b),
    ...(params.length ? ['', ...params] : []),
    '',
    '```snip',
    b.example,
    '```',
    `*${b.category}; ${PROVENANCE[b.provenance]}${b.aliases?.length ? `; also ${b.aliases.join(', ')}` : ''}*`,
  ].join('\n');
}

/** Documentation of a RestProxy member. */
export function hostMemberDoc(typeName: string, m: HostMemberEntry): string {
  const head = m.kind === 'method' ? builtinSignature(m) : `${m.name}: ${m.returns}${m.readOnly ? ' (read-only)' : ''}`;
  return ['```snip', `${typeName}.${head}`, '```', m.description, '', '```snip', m.example, '```'].join('\n');
}

/** `name(a, b)` of a user function. */
export function userFunctionSignature(f: Pick<FunctionSymbol, 'name' | 'params'>): string {
  return `FUNCTION ${f.name}(${f.params.join(', ')})`;
}

/** Documentation of a user function (its declaration-line comment). */
export function userFunctionDoc(f: Pick<FunctionSymbol, 'name' | 'params' | 'doc'>, where?: string): string {
  return ['```snip', userFunctionSignature(f), '```', ...(f.doc ? [f.doc.trim()] : []), ...(where ? ['', where] : [])].join('\n');
}

/** Documentation of an action type: description, properties, branches and outputs. */
export function actionDoc(spec: ActionSpec): string {
  const props = spec.properties.map((p) => `- \`${p.name}\`${p.required ? ' (required)' : ''}: ${p.description}${p.choices ? ` One of ${p.choices.join(', ')}.` : ''}`);
  const outputs = spec.outputs.map((o) => `- \`${o.property}\` (default \`${o.defaultVariable}\`): ${o.description}`);
  const branches = spec.terminal ? [] : ['Default', ...spec.branches, ...(spec.caseValues ? ['one per value'] : [])];
  return [
    `**${spec.type}**: ${spec.description}`,
    ...(props.length ? ['', 'Properties:', ...props] : []),
    ...(outputs.length ? ['', 'Outputs:', ...outputs] : []),
    ...(branches.length ? ['', `Branches: ${branches.join(', ')}`] : []),
  ].join('\n');
}
