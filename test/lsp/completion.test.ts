import { describe, expect, test } from 'vitest';
import { analyzeText } from '../../lsp/analyzed-document.js';
import { completion } from '../../lsp/completion.js';
import type { WorkspaceView } from '../../lsp/workspace.js';
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

  // Issue 12, item 6: expression items are kept per document version; these check they follow
  // the cursor, each new version of the document and of the workspace's other documents.
  describe('per-version cache', () => {
    const labelsAt = (doc: ReturnType<typeof analyzeText>, offset: number, workspace: WorkspaceView) =>
      completion(doc, doc.lines.positionAt(offset), workspace).map((i) => i.label);

    test('the same version answers alike at other places, with the half-typed word left out where it is typed', () => {
      const text = 'ASSIGN total = 1\nASSIGN x = tot\nASSIGN y = \n';
      const doc = analyzeText('file:///ws/a.snip', text, 1);
      const ws: WorkspaceView = { documents: () => [doc], hub: undefined };
      const inWord = text.indexOf('tot\n') + 3;
      const elsewhere = text.length - 1;
      expect(labelsAt(doc, inWord, ws)).not.toContain('tot');
      const there = labelsAt(doc, elsewhere, ws);
      expect(there).toContain('tot');
      expect(there).toContain('total');
      expect(labelsAt(doc, inWord, ws)).not.toContain('tot');
      expect(labelsAt(doc, elsewhere, ws)).toEqual(there);
    });

    test('a new version of the document brings its new variables and functions', () => {
      const v1 = analyzeText('file:///ws/a.snip', 'ASSIGN first = 1\n', 1);
      expect(labelsAt(v1, v1.text.length, { documents: () => [v1], hub: undefined })).not.toContain('second');
      const v2 = analyzeText('file:///ws/a.snip', 'ASSIGN first = 1\nASSIGN second = 2\nFUNCTION helper()\n{\n  RETURN 1\n}\n', 2);
      const got = labelsAt(v2, v2.text.length, { documents: () => [v2], hub: undefined });
      expect(got).toEqual(expect.arrayContaining(['first', 'second', 'helper']));
    });

    test('a changed workspace document brings or takes away its functions', () => {
      const doc = analyzeText('file:///ws/a.snip', 'ASSIGN n = 1\n', 1);
      let other = analyzeText('file:///ws/lib.snip', 'FUNCTION shared1()\n{\n  RETURN 1\n}\n', 1);
      const ws: WorkspaceView = { documents: () => [doc, other], hub: undefined };
      expect(labelsAt(doc, doc.text.length, ws)).toContain('shared1');
      other = analyzeText('file:///ws/lib.snip', 'FUNCTION shared2()\n{\n  RETURN 2\n}\n', 2);
      const got = labelsAt(doc, doc.text.length, ws);
      expect(got).toContain('shared2');
      expect(got).not.toContain('shared1');
    });

    test('inside a function its parameters are offered, outside they are not, on one version', () => {
      const text = 'FUNCTION twice(n)\n{\n  RETURN n * 2\n}\nASSIGN z = 1\n';
      const doc = analyzeText('file:///ws/a.snip', text, 1);
      const ws: WorkspaceView = { documents: () => [doc], hub: undefined };
      expect(labelsAt(doc, text.length, ws)).not.toContain('n');
      expect(labelsAt(doc, text.indexOf('RETURN') + 7, ws)).toContain('n');
      expect(labelsAt(doc, text.length, ws)).not.toContain('n');
    });
  });
});
