// Renders docs/builtins.md from the catalog (pure: `npm run gen:docs` writes the file, and a test
// fails when the committed file differs from this output).
import type { BuiltinCategory, BuiltinEntry, HostTypeEntry, ParamSpec } from '../catalog-types.js';

const CATEGORY_TITLES: [BuiltinCategory, string][] = [
  ['string', 'Text'],
  ['number', 'Numbers'],
  ['math', 'Math'],
  ['date', 'Dates and times'],
  ['array', 'Arrays'],
  ['dynamic', 'Dynamic objects'],
  ['encoding', 'Encoding'],
  ['conversion', 'Conversions and checks'],
  ['misc', 'Other'],
  ['restproxy', 'REST proxy'],
];

const INTRO = `# Built-in functions

Generated from the built-in catalog (\`language/catalog/\`) by \`npm run gen:docs\`; do not edit by hand.
Provenance: **D** documented by NICE, **R** seen in real customer code, **I** Snipstudio's decision.

## Calling rules

- Function form \`f(x, a)\` and method form \`x.f(a)\` are the same call: the receiver is the first
  argument. A few built-ins are also properties without parentheses (\`Names.size\`).
- Names are case-insensitive (\`GetRestProxy\` = \`GetRESTProxy\`); aliases are listed per entry.
- Text positions and indexes are **1-based** and count Unicode characters (code points).
- Where a number is expected, null (never assigned) and "" count as 0; other text that is not a
  number is an invalid argument (SNIP3012).
- A text result longer than the run's MaxStringSize (Limit2K ... Limit32K, default 32768) fails
  with SNIP3005 string-size-limit.
- Date arguments accept a date value, date text or an OLE Automation number. Date text formats:
  \`MM/dd/yyyy\`, \`yyyy/MM/dd\`, ISO 8601 \`yyyy-MM-dd\`, each optionally followed by
  \`HH:mm[:ss[.fff]]\` or \`h:mm[:ss] AM/PM\`; ISO times may end in \`Z\` or \`+hh:mm\` (converted
  to UTC). A time alone is that time on 30 Dec 1899 (OLE date 0). Anything else fails with
  SNIP3017 invalid-date.
- Dates are OLE Automation numbers: days since midnight 30 Dec 1899, time of day as the fraction
  (6:00 AM on 31 Dec 1899 is 1.25). Dates carry no zone: business-unit time, which is UTC in
  Snipstudio, so \`asgmt\`/\`asutc\` do not shift the time. The default date text is
  \`MM/dd/yyyy HH:mm:ss\` (24-hour clock).
- Date units (dateadd, datediff, datepart): year (yyyy, yy), quarter (qq, q), month (mm, m), week
  (wk, ww), day (dd, d), hour (hh), minute (mi, n), second (ss, s), millisecond (ms); datepart also
  takes dayofyear (dy, y) and weekday (dw, dow; 0 = Sunday). Plural names are accepted.
- \`asjson()\` writes members in insertion order, no spacing, every scalar as a JSON string
  (\`{"count":"5","active":"true"}\`), null as \`""\`, nested objects and arrays nested. \`asxml()\`
  writes each member as an element (no wrapper), array members repeated, a top-level array as
  \`<item>\` elements. Both are cut at the run's dynamic-object limit (32 KB by default) when
  longer, never splitting a character: the documented truncation.
- Parsing JSON (\`DYNAMIC x = text\`, \`parsejson\`, REST responses): objects become dynamic
  objects, arrays dynamic arrays, numbers stay numbers, booleans booleans, null null; a \`__type\`
  member is a type hint and is dropped. Errors are SNIP3007 with line:col.
- Parsing XML (\`parsexml\`, REST selector 1): the root element is the object's one member;
  attributes and child elements are members; repeated elements are an array; an element's text
  next to attributes or children is the member \`text\`; all values are text. Errors are SNIP3008
  with line:col.
`;

function signature(name: string, params: ParamSpec[]): string {
  const ps = params.map((p) => (p.rest ? `...${p.name}` : p.optional ? `[${p.name}]` : p.name));
  return `${name}(${ps.join(', ')})`;
}

function forms(b: BuiltinEntry): string {
  const out: string[] = [];
  if (b.forms.includes('function')) out.push(`\`${signature(b.name, b.params)}\``);
  if (b.forms.includes('method') && b.params.length > 0) out.push(`\`${b.params[0]!.name}.${signature(b.name, b.params.slice(1))}\``);
  if (b.forms.includes('property') && b.params.length > 0) out.push(`\`${b.params[0]!.name}.${b.name}\``);
  return out.join(' · ');
}

function paramLines(params: ParamSpec[]): string[] {
  return params.map((p) => {
    const flags = p.rest ? ', any number' : p.optional ? ', optional' : '';
    return `  - \`${p.name}\` (${p.kind}${flags})${p.description ? `: ${p.description}` : ''}`;
  });
}

function entry(b: BuiltinEntry): string[] {
  const extra: string[] = [];
  if (b.aliases?.length) extra.push(`aliases: ${b.aliases.map((a) => `\`${a}\``).join(', ')}`);
  if (b.async) extra.push('performs I/O');
  if (b.assignsReceiver) extra.push('as a method statement, stores the result back in the receiver');
  return [
    `### ${b.name}`,
    '',
    `${forms(b)} → ${b.returns} · **${b.provenance}**${extra.length ? ` · ${extra.join(' · ')}` : ''}`,
    '',
    b.description,
    '',
    ...(b.params.length ? [...paramLines(b.params), ''] : []),
    '```',
    b.example,
    '```',
    '',
  ];
}

function hostType(t: HostTypeEntry): string[] {
  const lines = [`### ${t.name}`, '', t.description, '', '| Member | Kind | Returns | Default | Tag | Description |', '| --- | --- | --- | --- | --- | --- |'];
  for (const m of t.members) {
    const name = m.kind === 'method' ? signature(m.name, m.params) : m.name;
    const kind = m.kind === 'property' ? (m.readOnly ? 'property, read-only' : 'property') : m.async ? 'method, I/O' : 'method';
    lines.push(`| \`${name}\` | ${kind} | ${m.returns} | ${m.default ?? ''} | ${m.provenance} | ${m.description.replace(/\|/g, '\\|')} |`);
  }
  lines.push('', 'Examples:', '', '```', ...t.members.map((m) => m.example), '```', '');
  return lines;
}

/** The whole of docs/builtins.md. */
export function renderBuiltinsDoc(builtins: readonly BuiltinEntry[], hostTypes: readonly HostTypeEntry[]): string {
  const lines = [INTRO];
  for (const [cat, title] of CATEGORY_TITLES) {
    const inCat = builtins.filter((b) => b.category === cat).sort((a, b) => a.name.localeCompare(b.name));
    if (inCat.length === 0 && cat !== 'restproxy') continue;
    lines.push(`## ${title}`, '');
    for (const b of inCat) lines.push(...entry(b));
    if (cat === 'restproxy') for (const t of hostTypes) lines.push(...hostType(t));
  }
  return lines.join('\n').replace(/\n{3,}/g, '\n\n').trimEnd() + '\n';
}
