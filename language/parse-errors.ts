// Human messages and stable codes for recognition errors. Chevrotain's defaults talk about token
// type names; these talk about the characters a person typed.
import { EOF, type IParserErrorMessageProvider, type IToken, type TokenType } from 'chevrotain';
import type { Code } from './codes.js';

/** How a token is named in a message: its text, or what it stands for. */
export function describeToken(t: IToken | undefined): string {
  if (t === undefined || t.tokenType === EOF) return 'the end of the file';
  if (t.tokenType.name === 'Newline') return 'the end of the line';
  const image = t.image.length > 30 ? t.image.slice(0, 27) + '...' : t.image;
  return `'${image}'`;
}

function label(t: TokenType): string {
  const l = t.LABEL ?? t.name;
  if (l === 'name') return 'a name';
  if (l === 'string') return 'a string';
  if (l === 'number') return 'a number';
  if (l === 'end of line') return 'the end of the line';
  return l;
}

const WHAT: Record<string, string> = {
  expression: 'an expression',
  xorExpr: 'an expression',
  andExpr: 'an expression',
  comparison: 'an expression',
  additive: 'an expression',
  multiplicative: 'an expression',
  unary: 'an expression',
  power: 'an expression',
  postfix: 'an expression',
  primary: 'an expression',
  statement: 'a statement',
  branch: 'a branch',
  action: 'an action',
};

export const errorMessages: IParserErrorMessageProvider = {
  buildMismatchTokenMessage({ expected, actual }) {
    return `expected ${label(expected)} but found ${describeToken(actual)}`;
  },
  buildNotAllInputParsedMessage({ firstRedundant }) {
    return `unexpected ${describeToken(firstRedundant)}`;
  },
  buildNoViableAltMessage({ actual, ruleName }) {
    const what = WHAT[ruleName];
    return what ? `expected ${what} but found ${describeToken(actual[0])}` : `unexpected ${describeToken(actual[0])}`;
  },
  buildEarlyExitMessage({ actual, ruleName }) {
    const what = WHAT[ruleName];
    return what ? `expected ${what} but found ${describeToken(actual[0])}` : `unexpected ${describeToken(actual[0])}`;
  },
};

/** The stable code of a recognition error, from the start of its message. */
export function codeForMessage(message: string): Code {
  if (message.startsWith("expected '}'")) return 'SNIP1004';
  if (message.startsWith("expected '{'")) return 'SNIP1005';
  if (message.startsWith("expected ')'")) return 'SNIP1008';
  if (message.startsWith("expected ']'")) return 'SNIP1009';
  if (message.startsWith('expected TO')) return 'SNIP1018';
  if (message.startsWith('expected IN')) return 'SNIP1019';
  if (message.startsWith('expected an expression')) return 'SNIP1006';
  if (message.startsWith('expected a statement')) return 'SNIP1024';
  if (message.startsWith('expected an action')) return 'SNIP1020';
  if (message.startsWith('expected a label')) return 'SNIP1021';
  if (message.startsWith('expected the label')) return 'SNIP1022';
  if (message.startsWith('expected a property')) return 'SNIP1023';
  if (/^expected (a name|the loop variable|the function name|a parameter name|a member name)/.test(message)) return 'SNIP1007';
  return 'SNIP1003';
}
