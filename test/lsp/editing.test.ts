import { describe, expect, test } from 'vitest';
import { codeActions } from '../../lsp/code-actions.js';
import { documentDiagnostics } from '../../lsp/diagnostics.js';
import { formatDocumentEdits, formatRangeEdits } from '../../lsp/formatting.js';
import { at, HUB } from './cursor.js';

const ALL = { start: { line: 0, character: 0 }, end: { line: 99, character: 0 } };

function fixes(marked: string, fileName = 'test.snip', hub = HUB) {
  const c = at(marked, fileName, { hub });
  const diags = documentDiagnostics(c.doc, c.workspace);
  return codeActions(c.doc, ALL, diags).map((a) => ({ title: a.title, edits: a.edit!.changes![c.doc.uri] }));
}

describe('formatting', () => {
  test('the whole document, or nothing when it is formatted already', () => {
    const { doc } = at('assign  a=1\nif a=1 {\ntrace a\n}\n');
    const edits = formatDocumentEdits(doc);
    expect(edits).toEqual([
      { range: { start: { line: 0, character: 0 }, end: { line: 4, character: 0 } }, newText: 'ASSIGN a = 1\nIF a = 1 {\n  TRACE a\n}\n' },
    ]);
    expect(formatDocumentEdits(at(edits[0]!.newText).doc)).toEqual([]);
  });

  test('a range formats the statements it touches', () => {
    const { doc } = at('ASSIGN a = 1\nassign  b=2\nASSIGN c = 3\n');
    expect(formatRangeEdits(doc, { start: { line: 1, character: 0 }, end: { line: 1, character: 3 } })).toEqual([
      { range: { start: { line: 1, character: 0 }, end: { line: 2, character: 0 } }, newText: 'ASSIGN b = 2\n' },
    ]);
  });
});

describe('code actions', () => {
  test('member case mismatch: use the spelling that was assigned', () => {
    expect(fixes('DYNAMIC o\nASSIGN o.Name = "a"\nTRACE o.name')).toEqual([
      { title: "Change to 'Name' (as assigned)", edits: [{ range: { start: { line: 2, character: 8 }, end: { line: 2, character: 12 } }, newText: 'Name' }] },
    ]);
  });

  test('did-you-mean for unknown functions and labels', () => {
    expect(fixes('ASSIGN a = lefft("abc", 1)')).toEqual([
      { title: "Change to 'left'", edits: [{ range: { start: { line: 0, character: 11 }, end: { line: 0, character: 16 } }, newText: 'left' }] },
    ]);
    expect(fixes('BEGIN start -> dnoe\nEND done', 'a.studio')).toEqual([
      { title: "Change to 'done'", edits: [{ range: { start: { line: 0, character: 15 }, end: { line: 0, character: 19 } }, newText: 'done' }] },
    ]);
  });

  test('a `-` in a member name becomes the HYPHENPLACEHOLDER form', () => {
    expect(fixes('DYNAMIC h\nASSIGN h.Content-Type = "x"\nASSIGN a = h.Content-Type').map((f) => f.title)).toContain(
      "Write 'ContentHYPHENPLACEHOLDERType' (HYPHENPLACEHOLDER form)",
    );
  });

  test('an unwired branch can be wired to where the errors go', () => {
    const got = fixes('BEGIN start -> c\nCONNECTAUTH c (connectName = "Agents API")\n  OnSuccess -> done\n  OnError -> failed\nEND done\nEND failed', 'a.studio');
    expect(got).toEqual([
      {
        title: "Wire branch 'OnTimeout' of 'c' to 'failed'",
        edits: [{ range: { start: { line: 3, character: 19 }, end: { line: 3, character: 19 } }, newText: '\n  OnTimeout -> failed' }],
      },
    ]);
  });

  test('hub names: the closest connection, quoted', () => {
    const got = fixes('BEGIN start -> c\nCONNECTAUTH c (connectName = "Agents AP")\n  -> done\nEND done', 'a.studio');
    expect(got[0]).toEqual({
      title: "Change to 'Agents API'",
      edits: [{ range: { start: { line: 1, character: 29 }, end: { line: 1, character: 40 } }, newText: '"Agents API"' }],
    });
  });
});
