// Semantic analysis of .studio scripts: labels, branches, action types, properties, reachability
// and script-wide variables across SNIPPET bodies.
import { describe, expect, it } from 'vitest';
import { checkDocument } from '../../language/analyze.js';

const GOOD = `SCRIPT "Agent lookup"
PARAMS ani, accountId

BEGIN start -> build

SNIPPET build {
  DYNAMIC requestPayload
  ASSIGN requestPayload.URL = "[[INSTANCEURI]]/agents/{accountId}"
  ASSIGN requestPayload.HTTPMETHOD = "GET"
  ASSIGN payloadJSON = requestPayload.asjson()
}
  Error -> failed

CONNECTAUTH auth (connectName = "Agents API")
  OnSuccess -> call
  OnError -> failed
  OnTimeout -> failed

CONNECTREQUEST call (connectName = "Agents API", requestName = "Lookup agent", requestPayload = payloadJSON)
  OnSuccess -> done
  OnError -> failed
  OnTimeout -> failed

SNIPPET done {
  status = requestProxy.StatusCode
  name = requestBody.name
}

END finished
END failed
`;

function codes(source: string): string[] {
  return checkDocument('t.studio', source).diagnostics.map((d) => `${d.code}@${d.range.start.line}:${d.range.start.column}`);
}

describe('studio scripts', () => {
  it('accepts the design sketch without problems', () => {
    const { diagnostics } = checkDocument('t.studio', GOOD);
    expect(diagnostics).toEqual([]);
  });

  it('builds labels with their references', () => {
    const { analysis } = checkDocument('t.studio', GOOD);
    const failed = analysis.symbols.labels.get('failed')!;
    expect(failed.type).toBe('END');
    expect(failed.references).toHaveLength(5);
    expect(analysis.symbols.variables.get('requestbody')!.definitions[0]!.role).toBe('action-output');
    expect(analysis.symbols.variables.get('ani')!.system).toBe(true);
  });

  it('reports unknown branch targets with a suggestion, and duplicate labels', () => {
    const src = 'BEGIN start -> mian\nEND main\nEND main\n';
    const { diagnostics } = checkDocument('t.studio', src);
    const unknown = diagnostics.find((d) => d.code === 'SNIP2001')!;
    expect(unknown.range.start).toMatchObject({ line: 1, column: 16 });
    expect(unknown.data).toEqual({ suggestion: 'main' });
    const dup = diagnostics.find((d) => d.code === 'SNIP2002')!;
    expect(dup.range.start.line).toBe(3);
    expect(dup.related?.[0]?.range.start.line).toBe(2);
  });

  it('reports unknown action types, branch names and properties, and missing required ones', () => {
    const src = [
      'BEGIN start -> a',
      'CONNECTAUTH a (connectNme = "x")',
      '  OnSucess -> b',
      'SNIPET b {',
      '}',
      'END c',
    ].join('\n');
    expect(codes(src)).toEqual(['SNIP2016@2:13', 'SNIP2017@2:16', 'SNIP2014@3:3', 'SNIP2015@4:1']);
    const d = checkDocument('t.studio', src).diagnostics;
    expect(d.find((x) => x.code === 'SNIP2014')!.data).toEqual({ suggestion: 'OnSuccess' });
    expect(d.find((x) => x.code === 'SNIP2015')!.data).toEqual({ suggestion: 'SNIPPET' });
  });

  it('reports a script without BEGIN', () => {
    expect(codes('SNIPPET a {\n  x = 1\n}\nEND b\n')).toEqual(['SNIP2018@1:1']);
  });

  it('treats a lone Error branch as leaving Default to fall through', () => {
    expect(codes('BEGIN start -> a\nSNIPPET a {\n}\n  Error -> e\nEND next\nEND e\n')).toEqual([]);
  });

  it('reports actions no path reaches, following fall-through and branches', () => {
    const src = [
      'BEGIN start -> a',
      'SNIPPET a {',
      '  x = 1',
      '}',
      'END b',
      'SNIPPET orphan {',
      '}',
      '  -> b',
      'END c',
    ].join('\n');
    // a falls through to b (its Default is not wired); END stops; orphan and c are unreachable.
    expect(codes(src)).toEqual(['SNIP2008@6:9', 'SNIP2008@9:5']);
  });

  it('shares variables across SNIPPET bodies and functions across snippets', () => {
    const src = [
      'PARAMS who',
      'BEGIN start -> a',
      'SNIPPET a {',
      '  FUNCTION greet(n)',
      '  {',
      '    RETURN "hi {n}"',
      '  }',
      '  msg = greet(who)',
      '}',
      'SNIPPET b {',
      '  out = "{msg} {greet(who)} {missing}"',
      '  bad = greet()',
      '}',
      'END done',
    ].join('\n');
    expect(codes(src)).toEqual(['SNIP2009@11:30', 'SNIP2004@12:9']);
  });

  it('treats ASSIGN action variables and renamed outputs as assignments', () => {
    const src = [
      'BEGIN start -> a',
      'ASSIGN a (Variable = total, Value = "1")',
      'CONNECTAUTH auth (connectName = "x", authBodyVarName = tokenBody)',
      'SNIPPET b {',
      '  x = "{total} {tokenBody} {authHeadersList}"',
      '}',
      'END done',
    ].join('\n');
    expect(codes(src)).toEqual([]);
  });
});
