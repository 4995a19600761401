import { describe, expect, test } from 'vitest';
import { documentDiagnostics } from '../../lsp/diagnostics.js';
import { at, HUB } from './cursor.js';

const FLOW = (body: string, conn = 'Agents API', request = 'Lookup agent') =>
  [
    'BEGIN start -> build',
    'SNIPPET build {',
    body,
    '}',
    `CONNECTREQUEST call (connectName = "${conn}", requestName = "${request}", requestPayload = p)`,
    '  -> done',
    'END done',
  ].join('\n');

const diags = (src: string, fileName = 'a.studio', hub = HUB) => {
  const c = at(src, fileName, { hub });
  return documentDiagnostics(c.doc, c.workspace).map((d) => [d.code, d.message, d.range.start.line, d.range.start.character, d.severity]);
};

describe('diagnostics', () => {
  test('syntax and analysis diagnostics with code, source and 0-based range', () => {
    const c = at('ASSIGN a = lefft("x", 1)');
    expect(documentDiagnostics(c.doc, c.workspace)).toEqual([
      {
        range: { start: { line: 0, character: 11 }, end: { line: 0, character: 16 } },
        severity: 1,
        code: 'SNIP2003',
        source: 'snip',
        message: "unknown function 'lefft'; did you mean 'left'?",
        data: { name: 'lefft', suggestion: 'left' },
      },
    ]);
  });

  test('a clean flow against the hub has none', () => {
    expect(diags(FLOW('  ASSIGN p = "[[ INSTANCEURI ]]/x"'))).toEqual([]);
  });

  test('unknown connection, unknown request and inactive request', () => {
    expect(diags(FLOW('  ASSIGN p = 1', 'Agents APX'))).toEqual([
      ['SNIP4002', "the hub has no connection 'Agents APX'; did you mean 'Agents API'?", 4, 35, 1],
    ]);
    expect(diags(FLOW('  ASSIGN p = 1', 'Agents API', 'Lookup agnt'))).toEqual([
      ['SNIP4002', "connection 'Agents API' has no request 'Lookup agnt'; did you mean 'Lookup agent'?", 4, 63, 1],
    ]);
    expect(diags(FLOW('  ASSIGN p = 1', 'Agents API', 'Old lookup'))).toEqual([
      ['SNIP4007', "request 'Old lookup' of connection 'Agents API' is inactive: it refuses to run until it is made active", 4, 63, 2],
    ]);
  });

  test('a secret of another connection, and a verb the template does not allow', () => {
    expect(diags(FLOW('  DYNAMIC p\n  ASSIGN p.URL = "https://x/[[ BILLING KEY ]]"\n  ASSIGN p.HTTPMETHOD = "DELETE"'))).toEqual([
      ['SNIP4008', "'BILLING KEY' is not a secret of 'Agents API'", 3, 28, 1],
      ['SNIP4005', "the template of 'Agents API' does not allow 'DELETE' (allowed: GET, POST)", 4, 24, 1],
    ]);
  });

  test('no hub, or a .snip file: no hub diagnostics', () => {
    const c = at(FLOW('  ASSIGN p = 1', 'Nope'), 'a.studio');
    expect(documentDiagnostics(c.doc, c.workspace)).toEqual([]);
    expect(diags('ASSIGN p = "[[ nope ]]"', 'a.snip')).toEqual([]);
  });
});
