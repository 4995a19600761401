// Diagnostics that need the integration hub: an unknown connection or request in CONNECTAUTH /
// CONNECTREQUEST, an inactive request, a `[[ name ]]` that is no secret of a bound connection,
// and an HTTPMETHOD the bound connections' templates do not allow.
import type { Action, Expression, Range, StringLiteral, StudioScript, TextPart } from '../language/ast.js';
import type { Diagnostic } from '../language/diagnostics.js';
import { closestName } from '../language/analyze.js';
import { findConnection, type HubConnectionName, type HubNames } from './hub-names.js';
import { walk } from './ast-walk.js';
import type { LineIndex } from './positions.js';

const CONNECT_TYPES = new Set(['connectauth', 'connectrequest']);

/** The plain text of a string literal without interpolation, else undefined. */
export function literalText(e: Expression | undefined): string | undefined {
  if (!e || e.kind !== 'String' || e.date) return undefined;
  if (!e.parts.every((p) => p.kind === 'Text')) return undefined;
  return e.parts.map((p) => (p as TextPart).value).join('');
}

/** The value expression of an action property, by case-insensitive name. */
export function propertyValue(a: Action, name: string): Expression | undefined {
  const key = name.toLowerCase();
  return a.properties.find((p) => p.name.key === key)?.value;
}

/** The hub connections a studio script binds with CONNECT* actions (literal names that exist). */
export function boundConnections(script: StudioScript, hub: HubNames): HubConnectionName[] {
  const out: HubConnectionName[] = [];
  for (const a of script.actions) {
    if (!CONNECT_TYPES.has(a.type.toLowerCase())) continue;
    const name = literalText(propertyValue(a, 'connectName'));
    const c = name === undefined ? undefined : findConnection(hub, name);
    if (c && !out.includes(c)) out.push(c);
  }
  return out;
}

/** `[[ name ]]` references in a text, with their offsets inside it. */
export function secretRefs(text: string): { name: string; start: number; end: number }[] {
  const out: { name: string; start: number; end: number }[] = [];
  for (const m of text.matchAll(/\[\[\s*([^\]]*?)\s*\]\]/g)) out.push({ name: m[1]!, start: m.index!, end: m.index! + m[0].length });
  return out;
}

function rangeIn(lines: LineIndex, start: number, end: number): Range {
  return { start: lines.astPositionAt(start), end: lines.astPositionAt(end) };
}

function checkConnectAction(a: Action, hub: HubNames, out: Diagnostic[]): void {
  const nameExpr = propertyValue(a, 'connectName');
  const name = literalText(nameExpr);
  if (name === undefined || !nameExpr) return;
  const conn = findConnection(hub, name);
  if (!conn) {
    const suggestion = closestName(name, hub.connections.map((c) => c.name));
    out.push({
      code: 'SNIP4002',
      message: `the hub has no connection '${name}'${suggestion ? `; did you mean '${suggestion}'?` : ''}`,
      range: nameExpr.range,
      severity: 'error',
      data: suggestion ? { suggestion, quoted: true } : { name },
    });
    return;
  }
  if (a.type.toLowerCase() !== 'connectrequest') return;
  const reqExpr = propertyValue(a, 'requestName');
  const reqName = literalText(reqExpr);
  if (reqName === undefined || !reqExpr) return;
  const req = conn.requests.find((r) => r.name.toLowerCase() === reqName.trim().toLowerCase());
  if (!req) {
    const suggestion = closestName(reqName, conn.requests.map((r) => r.name));
    out.push({
      code: 'SNIP4002',
      message: `connection '${conn.name}' has no request '${reqName}'${suggestion ? `; did you mean '${suggestion}'?` : ''}`,
      range: reqExpr.range,
      severity: 'error',
      data: suggestion ? { suggestion, quoted: true } : { name: reqName },
    });
  } else if (!req.active) {
    out.push({
      code: 'SNIP4007',
      message: `request '${req.name}' of connection '${conn.name}' is inactive: it refuses to run until it is made active`,
      range: reqExpr.range,
      severity: 'warning',
    });
  }
}

/** Hub-aware diagnostics of a document; none for a .snip file or when there is no hub. */
export function hubDiagnostics(document: StudioScript | { kind: 'Snippet' }, lines: LineIndex, hub: HubNames | undefined): Diagnostic[] {
  if (!hub || document.kind !== 'Studio') return [];
  const out: Diagnostic[] = [];
  for (const a of document.actions) if (CONNECT_TYPES.has(a.type.toLowerCase())) checkConnectAction(a, hub, out);
  const bound = boundConnections(document, hub);
  if (bound.length === 0) return out;
  const secrets = new Set(bound.flatMap((c) => c.secrets.map((s) => s.toLowerCase())));
  const known = bound.flatMap((c) => c.secrets);
  const verbSets = bound.filter((c) => c.verbs !== undefined).map((c) => c.verbs!);
  walk(document, (n) => {
    if (n.kind === 'Text') {
      for (const ref of secretRefs(n.raw)) {
        if (secrets.has(ref.name.toLowerCase())) continue;
        const suggestion = closestName(ref.name, known);
        out.push({
          code: 'SNIP4008',
          message: `'${ref.name}' is not a secret of ${bound.map((c) => `'${c.name}'`).join(', ')}${suggestion ? `; did you mean '${suggestion}'?` : ''}`,
          range: rangeIn(lines, n.range.start.offset + ref.start, n.range.start.offset + ref.end),
          severity: 'error',
          data: suggestion ? { suggestion } : { name: ref.name },
        });
      }
    } else if (n.kind === 'Assign' && n.target.kind === 'Member' && n.target.name.toUpperCase() === 'HTTPMETHOD' && verbSets.length) {
      const verb = literalText(n.value as StringLiteral);
      if (verb !== undefined && !verbSets.some((v) => v.includes(verb.trim().toUpperCase()))) {
        out.push({
          code: 'SNIP4005',
          message: `the template of ${bound.map((c) => `'${c.name}'`).join(', ')} does not allow '${verb}' (allowed: ${[...new Set(verbSets.flat())].join(', ')})`,
          range: n.value.range,
          severity: 'error',
        });
      }
    }
  });
  return out;
}
