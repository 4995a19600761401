import { describe, expect, test } from 'vitest';
import { completion } from '../../lsp/completion.js';
import { at, HUB } from './cursor.js';

const labels = (marked: string, fileName?: string, extra?: Parameters<typeof at>[2]) => {
  const c = at(marked, fileName, extra);
  return completion(c.doc, c.position, c.workspace).map((i) => i.label);
};

describe('completion', () => {
  test('statement start: statement snippets, keywords, variables, user functions and built-ins', () => {
    const got = labels('ASSIGN total = 1\nFUNCTION twice(n)\n{\n  RETURN n * 2\n}\n<|>');
    expect(got.slice(0, 3)).toEqual(['ASSIGN', 'DYNAMIC', 'IF']);
    expect(got).toContain('total');
    expect(got).toContain('twice');
    expect(got).toContain('left');
    // A function's parameter is not in scope outside it.
    expect(got).not.toContain('n');
  });

  test('parameters are offered inside their function', () => {
    expect(labels('FUNCTION twice(n)\n{\n  RETURN <|>\n}')).toContain('n');
  });

  test('members after `.`: assigned ones and the keys of JSON given to DYNAMIC, then fitting methods', () => {
    const got = labels('DYNAMIC o = $"\\{\\"name\\": \\"a\\", \\"items\\": [\\{\\"id\\": 1}]}"\nASSIGN o.extra = 1\nASSIGN t = o.<|>');
    expect(got.slice(0, 3).sort()).toEqual(['extra', 'items', 'name']);
    expect(got).toEqual(expect.arrayContaining(['asjson', 'containskey']));
    expect(got).not.toContain('left');
  });

  test('nested members follow the path typed so far', () => {
    const got = labels('DYNAMIC req\nASSIGN req.HEADERS.Accept = "x"\nASSIGN req.URL = "u"\nASSIGN a = req.HEADERS.<|>');
    expect(got[0]).toBe('Accept');
    expect(got).not.toContain('URL');
  });

  test('text receivers get text methods, a RestProxy gets its members', () => {
    const text = labels('ASSIGN s = "abc"\nASSIGN t = s.<|>');
    expect(text).toContain('left');
    expect(text).not.toContain('containskey');
    const proxy = labels('ASSIGN p = GetRESTProxy()\np.<|>');
    expect(proxy).toEqual(expect.arrayContaining(['StatusCode', 'AddHeader', 'MakeRestRequest']));
  });

  test('labels after `->`', () => {
    expect(labels('BEGIN start -> check\nIF check (Expression = 1)\n  True -> <|>\nEND done\nEND failed', 'a.studio')).toEqual([
      'start',
      'check',
      'done',
      'failed',
    ]);
  });

  test('branch names that fit the action and are not wired yet', () => {
    expect(labels('BEGIN start -> c\nCONNECTAUTH c (connectName = "x")\n  OnError -> done\n  <|>\nEND done', 'a.studio')).toEqual([
      'Default',
      'OnSuccess',
      'OnTimeout',
    ]);
  });

  test('action types at the start of a line, property names inside the parentheses', () => {
    expect(labels('BEGIN start -> c\n<|>', 'a.studio')).toEqual(expect.arrayContaining(['SNIPPET', 'CONNECTREQUEST', 'END']));
    expect(labels('BEGIN start -> c\nCONNECTREQUEST c (connectName = "x", <|>)\nEND done', 'a.studio')).toEqual([
      'requestName',
      'requestPayload',
      'Caption',
      'requestBodyVarName',
      'requestErrorDetailsVarName',
      'requestHeadersListVarName',
      'requestProxyVarName',
    ]);
  });

  test('connection and request names inside CONNECT* properties', () => {
    expect(labels('BEGIN start -> c\nCONNECTAUTH c (connectName = "Ag<|>")\nEND done', 'a.studio', { hub: HUB })).toEqual(['Agents API', 'Billing']);
    expect(labels('BEGIN start -> c\nCONNECTREQUEST c (connectName = "Agents API", requestName = "<|>")\nEND done', 'a.studio', { hub: HUB })).toEqual([
      'Lookup agent',
      'Old lookup',
    ]);
  });

  test('secret names after `[[`: those of the connections the script binds', () => {
    const c = at('BEGIN start -> c\nCONNECTAUTH c (connectName = "Agents API")\nSNIPPET s {\n  ASSIGN u = "[[ <|>"\n}\nEND done', 'a.studio', { hub: HUB });
    const items = completion(c.doc, c.position, c.workspace);
    expect(items.map((i) => i.label)).toEqual(['INSTANCEURI', 'API TOKEN']);
    expect(items[0]!.textEdit).toEqual({ range: { start: { line: 3, character: 17 }, end: { line: 3, character: 17 } }, newText: 'INSTANCEURI ]]' });
    // A .snip file binds nothing: every connection's secrets.
    expect(labels('ASSIGN u = "[[<|>"', 'a.snip', { hub: HUB })).toEqual(['INSTANCEURI', 'API TOKEN', 'BILLING KEY']);
  });

  test('functions declared in other files of the workspace', () => {
    const got = labels('ASSIGN g = <|>', 'main.snip', { others: [{ fileName: 'lib.snip', text: 'FUNCTION greet(name)\n{\n  RETURN name\n}' }] });
    expect(got).toContain('greet');
  });

  test('nothing inside comments or plain string text', () => {
    expect(labels('// a comment <|>')).toEqual([]);
    expect(labels('ASSIGN a = "text <|>"')).toEqual([]);
  });
});

describe('completion resolve', () => {
  test('built-in and user-function documentation is filled in on resolve', async () => {
    const { resolveCompletion } = await import('../../lsp/completion.js');
    const c = at('FUNCTION add(a, b) // Adds.\n{\n  RETURN a + b\n}\nASSIGN x = <|>');
    const items = completion(c.doc, c.position, c.workspace);
    const left = resolveCompletion(items.find((i) => i.label === 'left')!, c.workspace);
    expect(left.documentation).toMatchObject({ kind: 'markdown', value: expect.stringMatching(/^```snip\nleft\(text: text, count: number\): text/) });
    const add = resolveCompletion(items.find((i) => i.label === 'add')!, c.workspace);
    expect(add.documentation).toEqual({ kind: 'markdown', value: '```snip\nFUNCTION add(a, b)\n```\nAdds.' });
  });
});
