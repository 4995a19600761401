// Writes syntaxes/snip.tmLanguage.json and syntaxes/studio.tmLanguage.json (committed); rerun after
// changing this file: `node scripts/gen-grammars.mjs`. Keeping the grammar as code keeps the
// regular expressions readable (no JSON double escaping).
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const here = path.dirname(fileURLToPath(import.meta.url));
const KEYWORDS = ['ASSIGN', 'DYNAMIC', 'IF', 'ELSE', 'SELECT', 'SWITCH', 'CASE', 'DEFAULT', 'FOREACH', 'FOR', 'TO', 'IN', 'REPEAT', 'WHILE', 'BREAK', 'FUNCTION', 'RETURN', 'TRACE', 'USES'];
const ACTIONS = ['BEGIN', 'SNIPPET', 'ASSIGN', 'IF', 'CASE', 'RUNSUB', 'RETURN', 'WAIT', 'END', 'CONNECTAUTH', 'CONNECTREQUEST', 'RESTAPI'];
const word = (list) => `(?i)\\b(?:${list.join('|')})\\b`;
const ID = '(?:global:)?[A-Za-z_$][A-Za-z0-9_$]*';

/** Strings: `{...}` is an embedded expression; `$` strings have escapes; `#` strings are dates. */
function strings() {
  const interpolation = {
    name: 'meta.embedded.expression.snip',
    begin: '\\{(?!\\s*\\})',
    end: '\\}',
    beginCaptures: { 0: { name: 'punctuation.section.embedded.begin.snip' } },
    endCaptures: { 0: { name: 'punctuation.section.embedded.end.snip' } },
    patterns: [{ include: '#expression' }],
  };
  const secret = {
    name: 'variable.other.secret.snip',
    match: '\\[\\[\\s*((?:(?!\\]\\]).)+?)\\s*\\]\\]',
    captures: { 1: { name: 'entity.name.secret.snip' } },
  };
  const escapes = { name: 'constant.character.escape.snip', match: '\\\\["\'{}\\\\trnb0]' };
  const badEscape = { name: 'invalid.illegal.escape.snip', match: '\\\\.' };
  const make = (prefix, quote, name, extra) => ({
    name,
    begin: `${prefix}${quote}`,
    end: `${quote}|$`,
    beginCaptures: { 0: { name: 'punctuation.definition.string.begin.snip' } },
    endCaptures: { 0: { name: 'punctuation.definition.string.end.snip' } },
    patterns: [...extra, secret, interpolation],
  });
  const all = [];
  for (const q of ['"', "'"]) {
    all.push(make('\\$', q, `string.quoted.${q === '"' ? 'double' : 'single'}.escaped.snip`, [escapes, badEscape]));
    all.push(make('#', q, 'string.quoted.other.date.snip constant.other.date.snip', []));
    all.push(make('', q, `string.quoted.${q === '"' ? 'double' : 'single'}.snip`, []));
  }
  return all;
}

const repository = {
  comment: { name: 'comment.line.double-slash.snip', match: '//.*$' },
  number: { name: 'constant.numeric.snip', match: '\\b\\d+(?:\\.\\d+)?\\b' },
  boolean: { name: 'constant.language.boolean.snip', match: '(?i)\\b(?:true|false)\\b' },
  string: { patterns: strings() },
  call: {
    match: `(${ID})\\s*(?=\\()`,
    captures: { 1: { name: 'entity.name.function.snip' } },
  },
  method: {
    match: `(\\.)\\s*(${ID})\\s*(?=\\()`,
    captures: { 1: { name: 'punctuation.accessor.snip' }, 2: { name: 'entity.name.function.member.snip' } },
  },
  member: {
    match: `(\\.)\\s*(${ID})`,
    captures: { 1: { name: 'punctuation.accessor.snip' }, 2: { name: 'variable.other.property.snip' } },
  },
  operator: {
    patterns: [
      { name: 'keyword.operator.comparison.snip', match: '!=|<>|<=|=<|>=|=>|<|>|=' },
      { name: 'keyword.operator.arithmetic.snip', match: '[-+*/\\\\%^]' },
      { name: 'keyword.operator.logical.snip', match: '[&|!~]' },
    ],
  },
  variable: { name: 'variable.other.snip', match: ID },
  expression: {
    patterns: [
      { include: '#comment' },
      { include: '#string' },
      { include: '#number' },
      { include: '#boolean' },
      { include: '#call' },
      { include: '#method' },
      { include: '#member' },
      { include: '#operator' },
      { name: 'meta.group.snip', begin: '\\(', end: '\\)', patterns: [{ include: '#expression' }] },
      { name: 'meta.index.snip', begin: '\\[', end: '\\]', patterns: [{ include: '#expression' }] },
      { include: '#variable' },
    ],
  },
  functionDeclaration: {
    match: `(?i)\\b(FUNCTION)\\s+(${ID})`,
    captures: { 1: { name: 'keyword.other.function.snip' }, 2: { name: 'entity.name.function.declaration.snip' } },
  },
  keyword: { name: 'keyword.control.snip', match: word(KEYWORDS) },
  statements: {
    patterns: [
      { include: '#comment' },
      { include: '#functionDeclaration' },
      { include: '#keyword' },
      { name: 'meta.block.snip', begin: '\\{', end: '\\}', patterns: [{ include: '#statements' }] },
      { include: '#expression' },
    ],
  },
};

const snip = {
  $schema: 'https://raw.githubusercontent.com/martinring/tmlanguage/master/tmlanguage.json',
  name: 'Snippet',
  scopeName: 'source.snip',
  patterns: [{ include: '#statements' }],
  repository,
};

const studio = {
  $schema: snip.$schema,
  name: 'Studio script',
  scopeName: 'source.studio',
  patterns: [
    { include: 'source.snip#comment' },
    {
      match: `(?i)^\\s*(SCRIPT)\\b`,
      captures: { 1: { name: 'keyword.other.script.studio' } },
    },
    {
      match: `(?i)^\\s*(PARAMS)\\b(.*?)(?=//|$)`,
      captures: {
        1: { name: 'keyword.other.params.studio' },
        2: { patterns: [{ name: 'variable.parameter.studio', match: ID }] },
      },
    },
    { include: '#action' },
    { include: '#branch' },
    { include: 'source.snip#string' },
  ],
  repository: {
    // `TYPE label (props...) -> target` and `SNIPPET label { ... }`.
    action: {
      name: 'meta.action.studio',
      begin: `^\\s*(${ACTIONS.join('|')})\\s+(${ID})`,
      beginCaptures: { 1: { name: 'storage.type.action.studio keyword.control.action.studio' }, 2: { name: 'entity.name.label.studio' } },
      end: '$',
      patterns: [
        { include: '#properties' },
        { include: '#body' },
        { include: '#inlineBranch' },
        { include: 'source.snip#comment' },
      ],
    },
    properties: {
      name: 'meta.properties.studio',
      begin: '\\(',
      end: '\\)|$',
      patterns: [
        {
          match: `(${ID})\\s*(=)`,
          captures: { 1: { name: 'variable.other.property.studio entity.other.attribute-name.studio' }, 2: { name: 'keyword.operator.assignment.studio' } },
        },
        { match: ',', name: 'punctuation.separator.studio' },
        { include: 'source.snip#expression' },
      ],
    },
    body: {
      name: 'meta.embedded.block.snip',
      begin: '\\{',
      end: '\\}',
      beginCaptures: { 0: { name: 'punctuation.section.block.begin.studio' } },
      endCaptures: { 0: { name: 'punctuation.section.block.end.studio' } },
      patterns: [{ include: 'source.snip' }],
    },
    inlineBranch: {
      match: `(->)\\s*(${ID})`,
      captures: { 1: { name: 'keyword.operator.branch.studio' }, 2: { name: 'entity.name.label.reference.studio' } },
    },
    branch: {
      match: `^\\s*(${ID})?\\s*(->)\\s*(${ID})`,
      name: 'meta.branch.studio',
      captures: {
        1: { name: 'entity.name.tag.branch.studio' },
        2: { name: 'keyword.operator.branch.studio' },
        3: { name: 'entity.name.label.reference.studio' },
      },
    },
  },
};

writeFileSync(path.join(here, '..', 'syntaxes', 'snip.tmLanguage.json'), JSON.stringify(snip, null, 2) + '\n');
writeFileSync(path.join(here, '..', 'syntaxes', 'studio.tmLanguage.json'), JSON.stringify(studio, null, 2) + '\n');
