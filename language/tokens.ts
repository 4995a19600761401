// Token definitions for Snippet and `.studio` files.
// Order matters: Chevrotain tries patterns in this order, so
//  - comments come before `/` (division),
//  - string literals (with their `$` and `#` prefixes) come before identifiers and `$`-names,
//  - keywords come before Identifier and use `longer_alt` so `format` is not `FOR` + `mat`,
//  - longer operators (`->`, `<=`, `!=`, `=>`) come before their one-character prefixes.
import { createToken, Lexer, type TokenType } from 'chevrotain';
import { scanString } from './string-scan.js';

export const Newline = createToken({ name: 'Newline', pattern: /\r\n|\r|\n/, line_breaks: true, label: 'end of line' });
export const WhiteSpace = createToken({ name: 'WhiteSpace', pattern: /[ \t\f\v\u00a0\ufeff]+/, group: Lexer.SKIPPED });
export const Comment = createToken({ name: 'Comment', pattern: /\/\/[^\r\n]*/, group: 'comments' });

/** Any quoted string, including its `$`/`#` prefix and every `{...}` interpolation. */
export const StringLiteral = createToken({
  name: 'StringLiteral',
  pattern: { exec: (text, offset) => matchString(text, offset) },
  line_breaks: false,
  start_chars_hint: ['"', "'", '$', '#'],
  label: 'string',
});

function matchString(text: string, offset: number): RegExpExecArray | null {
  const end = scanString(text, offset);
  if (end < 0) return null;
  const m = [text.slice(offset, end)] as unknown as RegExpExecArray;
  return m;
}

/** Every word-like token (identifiers and keywords): `.studio` action types, labels and branch names. */
export const Word = createToken({ name: 'Word', pattern: Lexer.NA });

export const Identifier = createToken({
  name: 'Identifier',
  pattern: /(?:global:)?[A-Za-z_$][A-Za-z0-9_$]*/i,
  categories: [Word],
  label: 'name',
});

function keyword(name: string): TokenType {
  return createToken({
    name,
    pattern: new RegExp(`${name}(?![A-Za-z0-9_$])`, 'i'),
    longer_alt: Identifier,
    categories: [Word],
    label: name,
  });
}

export const Assign = keyword('ASSIGN');
export const Dynamic = keyword('DYNAMIC');
export const If = keyword('IF');
export const Else = keyword('ELSE');
export const Select = keyword('SELECT');
export const Switch = keyword('SWITCH');
export const Case = keyword('CASE');
export const Default = keyword('DEFAULT');
export const ForEach = keyword('FOREACH');
export const For = keyword('FOR');
export const To = keyword('TO');
export const In = keyword('IN');
export const Repeat = keyword('REPEAT');
export const While = keyword('WHILE');
export const Break = keyword('BREAK');
export const Function = keyword('FUNCTION');
export const Return = keyword('RETURN');
export const Trace = keyword('TRACE');
export const Uses = keyword('USES');
export const True = keyword('TRUE');
export const False = keyword('FALSE');

export const NumberLiteral = createToken({ name: 'NumberLiteral', pattern: /\d+(?:\.\d+)?/, label: 'number' });

export const Arrow = createToken({ name: 'Arrow', pattern: /->/, label: "'->'" });
export const NotEquals = createToken({ name: 'NotEquals', pattern: /!=|<>/, label: "'!='" });
export const LessEquals = createToken({ name: 'LessEquals', pattern: /<=|=</, label: "'<='" });
export const GreaterEquals = createToken({ name: 'GreaterEquals', pattern: />=|=>/, label: "'>='" });
export const Less = createToken({ name: 'Less', pattern: /</, label: "'<'" });
export const Greater = createToken({ name: 'Greater', pattern: />/, label: "'>'" });
export const Equals = createToken({ name: 'Equals', pattern: /=/, label: "'='" });
export const Plus = createToken({ name: 'Plus', pattern: /\+/, label: "'+'" });
export const Minus = createToken({ name: 'Minus', pattern: /-/, label: "'-'" });
export const Star = createToken({ name: 'Star', pattern: /\*/, label: "'*'" });
export const Slash = createToken({ name: 'Slash', pattern: /\//, label: "'/'" });
export const Backslash = createToken({ name: 'Backslash', pattern: /\\/, label: "'\\'" });
export const Percent = createToken({ name: 'Percent', pattern: /%/, label: "'%'" });
export const Caret = createToken({ name: 'Caret', pattern: /\^/, label: "'^'" });
export const Ampersand = createToken({ name: 'Ampersand', pattern: /&/, label: "'&'" });
export const Pipe = createToken({ name: 'Pipe', pattern: /\|/, label: "'|'" });
export const Tilde = createToken({ name: 'Tilde', pattern: /~/, label: "'~'" });
export const LParen = createToken({ name: 'LParen', pattern: /\(/, label: "'('" });
export const RParen = createToken({ name: 'RParen', pattern: /\)/, label: "')'" });
export const LBracket = createToken({ name: 'LBracket', pattern: /\[/, label: "'['" });
export const RBracket = createToken({ name: 'RBracket', pattern: /\]/, label: "']'" });
export const LCurly = createToken({ name: 'LCurly', pattern: /\{/, label: "'{'" });
export const RCurly = createToken({ name: 'RCurly', pattern: /\}/, label: "'}'" });
export const Comma = createToken({ name: 'Comma', pattern: /,/, label: "','" });
export const Dot = createToken({ name: 'Dot', pattern: /\./, label: "'.'" });

export const KEYWORDS: readonly TokenType[] = [
  Assign, Dynamic, If, Else, Select, Switch, Case, Default, ForEach, For, To, In, Repeat, While, Break,
  Function, Return, Trace, Uses, True, False,
];

/** All tokens in lexing order. */
export const ALL_TOKENS: readonly TokenType[] = [
  Newline,
  WhiteSpace,
  Comment,
  StringLiteral,
  Word,
  ...KEYWORDS,
  Identifier,
  NumberLiteral,
  Arrow,
  NotEquals,
  LessEquals,
  GreaterEquals,
  Less,
  Greater,
  Equals,
  Plus,
  Minus,
  Star,
  Slash,
  Backslash,
  Percent,
  Caret,
  Ampersand,
  Pipe,
  Tilde,
  LParen,
  RParen,
  LBracket,
  RBracket,
  LCurly,
  RCurly,
  Comma,
  Dot,
];
