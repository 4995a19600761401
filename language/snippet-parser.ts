// The grammar of Snippet and of `.studio` scripts, as one Chevrotain parser with embedded actions
// that build the AST directly (no CST: about half the work). Newlines are tokens because a newline
// ends a statement; `{` also ends one, and a block's `}` may be followed by another statement.
// Node construction sits inside ACTION so that it does not run while Chevrotain records the grammar.
import { EmbeddedActionsParser, EOF, type IToken, type TokenType } from 'chevrotain';
import * as T from './tokens.js';
import type * as A from './ast.js';
import {
  binary,
  endOf,
  fromTo,
  identifier,
  missingIdentifier,
  startOf,
  stringLiteral,
  tokenRange,
} from './ast-build.js';
import { errorMessages } from './parse-errors.js';

/** A problem the grammar itself notices (beyond Chevrotain's own recognition errors). */
export interface GrammarProblem {
  code: 'SNIP1010' | 'SNIP1011' | 'SNIP1024' | 'SNIP1003';
  message: string;
  range: A.Range;
  severity: 'error' | 'warning';
}

const SIMPLE_ENDERS = new Set<TokenType>([T.Newline, T.RCurly, EOF]);

function describe(t: IToken): string {
  if (t.tokenType === EOF) return 'end of file';
  if (t.tokenType === T.Newline) return 'end of line';
  return `'${t.image}'`;
}

export class SnippetParser extends EmbeddedActionsParser {
  /** Problems found by embedded actions during the current parse. */
  problems: GrammarProblem[] = [];
  /** String literals created during the current parse; their parts are filled in afterwards. */
  strings: A.StringLiteral[] = [];
  /** The raw token of each string literal, for the interpolation pass. */
  stringTokens: IToken[] = [];
  /** The first token the last top-level rule did not consume. */
  stoppedAt: IToken | undefined;

  constructor() {
    super(T.ALL_TOKENS as TokenType[], {
      recoveryEnabled: true,
      maxLookahead: 3,
      skipValidations: true,
      errorMessageProvider: errorMessages,
    });
    this.performSelfAnalysis();
  }

  /** Starts a new parse over `tokens`. */
  begin(tokens: IToken[]): void {
    this.input = tokens;
    this.problems = [];
    this.strings = [];
    this.stringTokens = [];
    this.stoppedAt = undefined;
  }

  private problem(code: GrammarProblem['code'], message: string, range: A.Range): void {
    this.problems.push({ code, message, range, severity: 'error' });
  }

  /** The first token after any newlines, and how far ahead it is. */
  private peekPastNewlines(): { token: IToken; k: number } {
    let k = 1;
    let t = this.LA(k);
    while (t.tokenType === T.Newline) t = this.LA(++k);
    return { token: t, k };
  }

  // ------------------------------------------------------------------------------------------
  // Top level

  /** A whole `.snip` file (or what is left of it after a stray token). */
  public snippetFile = this.RULE('snippetFile', (): A.Statement[] => {
    const body = this.SUBRULE(this.statementList);
    this.ACTION(() => {
      this.stoppedAt = this.LA(1);
    });
    return body;
  });

  /** One interpolation: an expression and nothing else. */
  public interpolation = this.RULE('interpolation', (): A.Expression => {
    const e = this.SUBRULE(this.expression);
    this.ACTION(() => {
      this.stoppedAt = this.LA(1);
    });
    return e;
  });

  private statementList = this.RULE('statementList', (): A.Statement[] => {
    const body: A.Statement[] = [];
    this.MANY(() => {
      this.OR([
        { ALT: () => this.CONSUME(T.Newline) },
        {
          ALT: () => {
            const s = this.SUBRULE(this.statement);
            this.ACTION(() => {
              if (s === undefined) return;
              body.push(s);
              this.checkStatementEnd(s);
            });
          },
        },
      ]);
    });
    return body;
  });

  /** A simple statement must end its line (or its block); the documented rule. */
  private checkStatementEnd(s: A.Statement): void {
    switch (s.kind) {
      case 'Assign':
      case 'Dynamic':
      case 'Break':
      case 'Return':
      case 'Trace':
      case 'Uses':
      case 'ExpressionStatement': {
        const next = this.LA(1);
        if (!SIMPLE_ENDERS.has(next.tokenType)) {
          this.problem(
            'SNIP1010',
            `expected the end of the line after the ${s.kind === 'ExpressionStatement' ? 'call' : s.kind.toUpperCase()} statement, but found ${describe(next)}: put each statement on its own line`,
            tokenRange(next),
          );
        }
      }
    }
  }

  private statement = this.RULE(
    'statement',
    (): A.Statement =>
      this.OR([
        { ALT: () => this.SUBRULE(this.assignStatement) },
        { ALT: () => this.SUBRULE(this.nameStatement) },
        { ALT: () => this.SUBRULE(this.ifStatement) },
        { ALT: () => this.SUBRULE(this.dynamicStatement) },
        { ALT: () => this.SUBRULE(this.forStatement) },
        { ALT: () => this.SUBRULE(this.forEachStatement) },
        { ALT: () => this.SUBRULE(this.selectStatement) },
        { ALT: () => this.SUBRULE(this.switchStatement) },
        { ALT: () => this.SUBRULE(this.whileStatement) },
        { ALT: () => this.SUBRULE(this.repeatStatement) },
        { ALT: () => this.SUBRULE(this.functionDeclaration) },
        { ALT: () => this.SUBRULE(this.returnStatement) },
        { ALT: () => this.SUBRULE(this.traceStatement) },
        { ALT: () => this.SUBRULE(this.usesStatement) },
        { ALT: () => this.SUBRULE(this.breakStatement) },
      ]),
    { recoveryValueFunc: () => undefined as unknown as A.Statement },
  );

  // ------------------------------------------------------------------------------------------
  // Statements

  private assignStatement = this.RULE('assignStatement', (): A.AssignStatement => {
    const kw = this.CONSUME(T.Assign);
    const target = this.SUBRULE(this.postfix);
    this.CONSUME(T.Equals, { ERR_MSG: "expected '=' after the variable of ASSIGN" });
    const value = this.SUBRULE(this.expression);
    return this.ACTION(() => this.assignment(true, startOf(kw), target, value)) as A.AssignStatement;
  });

  /** A statement starting with a name: `x = 1`, `o.m[2] = 3`, `f(1)`, `s.append("x")`. */
  private nameStatement = this.RULE('nameStatement', (): A.Statement => {
    const target = this.SUBRULE(this.postfix);
    let value: A.Expression | undefined;
    this.OPTION(() => {
      this.CONSUME(T.Equals);
      value = this.SUBRULE(this.expression);
    });
    return this.ACTION(() => {
      if (value !== undefined) return this.assignment(false, target.range.start, target, value);
      if (target.kind === 'Call' || target.kind === 'MethodCall') {
        return { kind: 'ExpressionStatement', expression: target, range: target.range };
      }
      this.problem(
        'SNIP1024',
        `'${target.kind === 'Identifier' ? target.name : 'this expression'}' is not a statement: expected '=' and a value, or a call`,
        target.range,
      );
      return { kind: 'ExpressionStatement', expression: { kind: 'Call', callee: missingIdentifier(target.range.start), args: [], range: target.range }, range: target.range };
    }) as A.Statement;
  });

  private assignment(keyword: boolean, start: A.Position, target: A.Expression, value: A.Expression): A.AssignStatement {
    let t = target;
    if (t.kind !== 'Identifier' && t.kind !== 'Member' && t.kind !== 'Index') {
      this.problem('SNIP1011', 'only a variable, a member or an element can be assigned', t.range);
      t = missingIdentifier(t.range.start);
    }
    return { kind: 'Assign', keyword, target: t, value, range: fromTo(start, value) };
  }

  private dynamicStatement = this.RULE('dynamicStatement', (): A.DynamicStatement => {
    const kw = this.CONSUME(T.Dynamic);
    const name = this.CONSUME(T.Identifier, { ERR_MSG: 'expected a name after DYNAMIC' });
    let init: A.Expression | undefined;
    this.OPTION(() => {
      this.CONSUME(T.Equals);
      init = this.SUBRULE(this.expression);
    });
    return this.ACTION(() => {
      const id = identifier(name);
      return { kind: 'Dynamic', name: id, init, range: fromTo(startOf(kw), init ?? id) };
    }) as A.DynamicStatement;
  });

  private block = this.RULE('block', (owner: string, opener: IToken): A.Block => {
    this.MANY(() => this.CONSUME(T.Newline));
    const open = this.CONSUME(T.LCurly, {
      ERR_MSG: `expected '{' to start the ${owner} block`,
    });
    const body = this.SUBRULE(this.statementList);
    const close = this.CONSUME(T.RCurly, {
      ERR_MSG: `expected '}' to close the ${owner} block opened at ${open.startLine ?? opener.startLine}:${open.startColumn ?? opener.startColumn}`,
    });
    return this.ACTION(() => ({ kind: 'Block', body, range: tokenRange(open, close) })) as A.Block;
  });

  private ifStatement = this.RULE('ifStatement', (): A.IfStatement => {
    const kw = this.CONSUME(T.If);
    const condition = this.SUBRULE(this.expression);
    const then = this.SUBRULE(this.block, { ARGS: ['IF', kw] });
    let otherwise: A.Block | undefined;
    this.OPTION({
      GATE: () => this.peekPastNewlines().token.tokenType === T.Else,
      DEF: () => {
        this.MANY(() => this.CONSUME(T.Newline));
        const e = this.CONSUME(T.Else);
        otherwise = this.SUBRULE2(this.block, { ARGS: ['ELSE', e] });
      },
    });
    return this.ACTION(() => ({
      kind: 'If',
      condition,
      then,
      else: otherwise,
      range: fromTo(startOf(kw), otherwise ?? then),
    })) as A.IfStatement;
  });

  private forStatement = this.RULE('forStatement', (): A.ForStatement => {
    const kw = this.CONSUME(T.For);
    const v = this.CONSUME(T.Identifier, { ERR_MSG: 'expected the loop variable after FOR' });
    this.CONSUME(T.Equals, { ERR_MSG: "expected '=' after the FOR variable" });
    const from = this.SUBRULE(this.expression);
    this.CONSUME(T.To, { ERR_MSG: 'expected TO after the start value of FOR' });
    const to = this.SUBRULE2(this.expression);
    const body = this.SUBRULE(this.block, { ARGS: ['FOR', kw] });
    return this.ACTION(() => ({
      kind: 'For',
      variable: identifier(v),
      from,
      to,
      body,
      range: fromTo(startOf(kw), body),
    })) as A.ForStatement;
  });

  private forEachStatement = this.RULE('forEachStatement', (): A.ForEachStatement => {
    const kw = this.CONSUME(T.ForEach);
    const v = this.CONSUME(T.Identifier, { ERR_MSG: 'expected the loop variable after FOREACH' });
    this.CONSUME(T.In, { ERR_MSG: 'expected IN after the FOREACH variable' });
    const iterable = this.SUBRULE(this.expression);
    const body = this.SUBRULE(this.block, { ARGS: ['FOREACH', kw] });
    return this.ACTION(() => ({
      kind: 'ForEach',
      variable: identifier(v),
      iterable,
      body,
      range: fromTo(startOf(kw), body),
    })) as A.ForEachStatement;
  });

  private whileStatement = this.RULE('whileStatement', (): A.WhileStatement => {
    const kw = this.CONSUME(T.While);
    const condition = this.SUBRULE(this.expression);
    const body = this.SUBRULE(this.block, { ARGS: ['WHILE', kw] });
    return this.ACTION(() => ({ kind: 'While', condition, body, range: fromTo(startOf(kw), body) })) as A.WhileStatement;
  });

  private repeatStatement = this.RULE('repeatStatement', (): A.RepeatStatement => {
    const kw = this.CONSUME(T.Repeat);
    const count = this.SUBRULE(this.expression);
    const body = this.SUBRULE(this.block, { ARGS: ['REPEAT', kw] });
    return this.ACTION(() => ({ kind: 'Repeat', count, body, range: fromTo(startOf(kw), body) })) as A.RepeatStatement;
  });

  /** SELECT { CASE cond (stacked) { } ... DEFAULT { } } and SWITCH subject { CASE value ... }. */
  private selectStatement = this.RULE('selectStatement', (): A.SelectStatement => {
    const kw = this.CONSUME(T.Select);
    const arms = this.SUBRULE(this.caseArms, { ARGS: ['SELECT', kw] });
    return this.ACTION(() => ({
      kind: 'Select',
      cases: arms.cases.map((c) => ({ kind: 'SelectCase', conditions: c.labels, body: c.body, range: c.range })),
      default: arms.default,
      range: fromTo(startOf(kw), arms.close),
    })) as A.SelectStatement;
  });

  private switchStatement = this.RULE('switchStatement', (): A.SwitchStatement => {
    const kw = this.CONSUME(T.Switch);
    const subject = this.SUBRULE(this.expression);
    const arms = this.SUBRULE(this.caseArms, { ARGS: ['SWITCH', kw] });
    return this.ACTION(() => ({
      kind: 'Switch',
      subject,
      cases: arms.cases.map((c) => ({ kind: 'SwitchCase', values: c.labels, body: c.body, range: c.range })),
      default: arms.default,
      range: fromTo(startOf(kw), arms.close),
    })) as A.SwitchStatement;
  });

  private caseArms = this.RULE(
    'caseArms',
    (owner: string, opener: IToken): { cases: { labels: A.Expression[]; body: A.Block; range: A.Range }[]; default: A.Block | undefined; close: IToken } => {
      const cases: { labels: A.Expression[]; body: A.Block; range: A.Range }[] = [];
      let dflt: A.Block | undefined;
      this.MANY(() => this.CONSUME(T.Newline));
      const open = this.CONSUME(T.LCurly, { ERR_MSG: `expected '{' to start the ${owner} block` });
      this.MANY2(() => {
        this.OR([
          { ALT: () => this.CONSUME2(T.Newline) },
          {
            ALT: () => {
              const labels: A.Expression[] = [];
              let first: IToken | undefined;
              this.AT_LEAST_ONE(() => {
                const c = this.CONSUME(T.Case);
                first ??= c;
                labels.push(this.SUBRULE(this.expression));
                this.MANY3(() => this.CONSUME3(T.Newline));
              });
              const body = this.SUBRULE(this.block, { ARGS: ['CASE', opener] });
              this.ACTION(() => cases.push({ labels, body, range: fromTo(startOf(first as IToken), body) }));
            },
          },
          {
            ALT: () => {
              const d = this.CONSUME(T.Default);
              const body = this.SUBRULE2(this.block, { ARGS: ['DEFAULT', d] });
              this.ACTION(() => {
                if (dflt !== undefined) this.problem('SNIP1003', `${owner} has more than one DEFAULT`, tokenRange(d));
                dflt = body;
              });
            },
          },
        ]);
      });
      const close = this.CONSUME(T.RCurly, {
        ERR_MSG: `expected '}' to close the ${owner} block opened at ${open.startLine}:${open.startColumn}`,
      });
      return { cases, default: dflt, close };
    },
  );

  private functionDeclaration = this.RULE('functionDeclaration', (): A.FunctionDeclaration => {
    const kw = this.CONSUME(T.Function);
    const name = this.CONSUME(T.Identifier, { ERR_MSG: 'expected the function name after FUNCTION' });
    const params: IToken[] = [];
    this.CONSUME(T.LParen, { ERR_MSG: "expected '(' after the function name" });
    this.OPTION(() => {
      params.push(this.CONSUME2(T.Identifier, { ERR_MSG: 'expected a parameter name' }));
      this.MANY(() => {
        this.CONSUME(T.Comma);
        params.push(this.CONSUME3(T.Identifier, { ERR_MSG: 'expected a parameter name' }));
      });
    });
    this.CONSUME(T.RParen, { ERR_MSG: "expected ')' to close the parameter list" });
    const body = this.SUBRULE(this.block, { ARGS: ['FUNCTION', kw] });
    return this.ACTION(() => ({
      kind: 'Function',
      name: identifier(name),
      params: params.map(identifier),
      body,
      doc: undefined,
      range: fromTo(startOf(kw), body),
    })) as A.FunctionDeclaration;
  });

  private returnStatement = this.RULE('returnStatement', (): A.ReturnStatement => {
    const kw = this.CONSUME(T.Return);
    let value: A.Expression | undefined;
    this.OPTION(() => {
      value = this.SUBRULE(this.expression);
    });
    return this.ACTION(() => ({ kind: 'Return', value, range: value ? fromTo(startOf(kw), value) : tokenRange(kw) })) as A.ReturnStatement;
  });

  private traceStatement = this.RULE('traceStatement', (): A.TraceStatement => {
    const kw = this.CONSUME(T.Trace);
    const value = this.SUBRULE(this.expression);
    return this.ACTION(() => ({ kind: 'Trace', value, range: fromTo(startOf(kw), value) })) as A.TraceStatement;
  });

  private usesStatement = this.RULE('usesStatement', (): A.UsesStatement => {
    const kw = this.CONSUME(T.Uses);
    const value = this.SUBRULE(this.expression);
    return this.ACTION(() => ({ kind: 'Uses', value, range: fromTo(startOf(kw), value) })) as A.UsesStatement;
  });

  private breakStatement = this.RULE('breakStatement', (): A.BreakStatement => {
    const kw = this.CONSUME(T.Break);
    return { kind: 'Break', range: tokenRange(kw) };
  });

  // ------------------------------------------------------------------------------------------
  // Expressions, lowest precedence first: | ~ & comparisons + - * / \ % unary-minus ^ postfix

  public expression = this.RULE(
    'expression',
    (): A.Expression => {
      let left = this.SUBRULE(this.xorExpr);
      this.MANY(() => {
        const op = this.CONSUME(T.Pipe);
        const right = this.SUBRULE2(this.xorExpr);
        left = this.ACTION(() => binary(op, left, right)) as A.Expression;
      });
      return left;
    },
    { recoveryValueFunc: () => missingIdentifier({ line: 0, column: 0, offset: 0 }) },
  );

  private xorExpr = this.RULE('xorExpr', (): A.Expression => {
    let left = this.SUBRULE(this.andExpr);
    this.MANY(() => {
      const op = this.CONSUME(T.Tilde);
      const right = this.SUBRULE2(this.andExpr);
      left = this.ACTION(() => binary(op, left, right)) as A.Expression;
    });
    return left;
  });

  private andExpr = this.RULE('andExpr', (): A.Expression => {
    let left = this.SUBRULE(this.comparison);
    this.MANY(() => {
      const op = this.CONSUME(T.Ampersand);
      const right = this.SUBRULE2(this.comparison);
      left = this.ACTION(() => binary(op, left, right)) as A.Expression;
    });
    return left;
  });

  private comparison = this.RULE('comparison', (): A.Expression => {
    let left = this.SUBRULE(this.additive);
    this.MANY(() => {
      const op = this.OR([
        { ALT: () => this.CONSUME(T.Equals) },
        { ALT: () => this.CONSUME(T.NotEquals) },
        { ALT: () => this.CONSUME(T.LessEquals) },
        { ALT: () => this.CONSUME(T.GreaterEquals) },
        { ALT: () => this.CONSUME(T.Less) },
        { ALT: () => this.CONSUME(T.Greater) },
      ]);
      const right = this.SUBRULE2(this.additive);
      left = this.ACTION(() => binary(op, left, right)) as A.Expression;
    });
    return left;
  });

  private additive = this.RULE('additive', (): A.Expression => {
    let left = this.SUBRULE(this.multiplicative);
    this.MANY(() => {
      const op = this.OR([{ ALT: () => this.CONSUME(T.Plus) }, { ALT: () => this.CONSUME(T.Minus) }]);
      const right = this.SUBRULE2(this.multiplicative);
      left = this.ACTION(() => binary(op, left, right)) as A.Expression;
    });
    return left;
  });

  private multiplicative = this.RULE('multiplicative', (): A.Expression => {
    let left = this.SUBRULE(this.unary);
    this.MANY(() => {
      const op = this.OR([
        { ALT: () => this.CONSUME(T.Star) },
        { ALT: () => this.CONSUME(T.Slash) },
        { ALT: () => this.CONSUME(T.Backslash) },
        { ALT: () => this.CONSUME(T.Percent) },
      ]);
      const right = this.SUBRULE2(this.unary);
      left = this.ACTION(() => binary(op, left, right)) as A.Expression;
    });
    return left;
  });

  private unary = this.RULE('unary', (): A.Expression =>
    this.OR([
      {
        ALT: () => {
          const minus = this.CONSUME(T.Minus);
          const operand = this.SUBRULE(this.unary);
          return this.ACTION(() => ({
            kind: 'Unary',
            operator: '-',
            operand,
            range: fromTo(startOf(minus), operand),
          })) as A.Expression;
        },
      },
      { ALT: () => this.SUBRULE(this.power) },
    ]),
  );

  /** `^` binds tighter than unary minus on its left and is right-associative. */
  private power = this.RULE('power', (): A.Expression => {
    let base = this.SUBRULE(this.postfix);
    this.OPTION(() => {
      const op = this.CONSUME(T.Caret);
      const exponent = this.SUBRULE(this.unary);
      base = this.ACTION(() => binary(op, base, exponent)) as A.Expression;
    });
    return base;
  });

  /** A primary followed by `.member`, `.method(args)` and `[index]`. */
  public postfix = this.RULE('postfix', (): A.Expression => {
    let e = this.SUBRULE(this.primary);
    this.MANY(() => {
      this.OR([
        {
          ALT: () => {
            this.CONSUME(T.Dot);
            const name = this.CONSUME(T.Word, { ERR_MSG: "expected a member name after '.'" });
            let args: { args: A.Expression[]; close: IToken } | undefined;
            this.OPTION(() => {
              args = this.SUBRULE(this.argumentList);
            });
            e = this.ACTION(() =>
              args
                ? { kind: 'MethodCall', receiver: e, name: name.image, nameRange: tokenRange(name), args: args.args, range: fromTo(e.range.start, args.close) }
                : { kind: 'Member', object: e, name: name.image, nameRange: tokenRange(name), range: fromTo(e.range.start, name) },
            ) as A.Expression;
          },
        },
        {
          ALT: () => {
            this.CONSUME(T.LBracket);
            const index = this.SUBRULE(this.expression);
            const close = this.CONSUME(T.RBracket, { ERR_MSG: "expected ']' to close the index" });
            e = this.ACTION(() => ({ kind: 'Index', object: e, index, range: fromTo(e.range.start, close) })) as A.Expression;
          },
        },
      ]);
    });
    return e;
  });

  private argumentList = this.RULE('argumentList', (): { args: A.Expression[]; close: IToken } => {
    const args: A.Expression[] = [];
    this.CONSUME(T.LParen);
    this.OPTION(() => {
      args.push(this.SUBRULE(this.expression));
      this.MANY(() => {
        this.CONSUME(T.Comma);
        args.push(this.SUBRULE2(this.expression));
      });
    });
    const close = this.CONSUME(T.RParen, { ERR_MSG: "expected ')' to close the argument list" });
    return { args, close };
  });

  private primary = this.RULE('primary', (): A.Expression =>
    this.OR([
      {
        ALT: () => {
          const t = this.CONSUME(T.NumberLiteral);
          return { kind: 'Number', value: Number(t.image), raw: t.image, range: tokenRange(t) } as A.Expression;
        },
      },
      {
        ALT: () => {
          const t = this.CONSUME(T.StringLiteral);
          return this.ACTION(() => {
            const s = stringLiteral(t);
            this.strings.push(s);
            this.stringTokens.push(t);
            return s;
          }) as A.Expression;
        },
      },
      {
        ALT: () => {
          const t = this.CONSUME(T.True);
          return { kind: 'Boolean', value: true, raw: t.image, range: tokenRange(t) } as A.Expression;
        },
      },
      {
        ALT: () => {
          const t = this.CONSUME(T.False);
          return { kind: 'Boolean', value: false, raw: t.image, range: tokenRange(t) } as A.Expression;
        },
      },
      {
        ALT: () => {
          const t = this.CONSUME(T.Identifier);
          let args: { args: A.Expression[]; close: IToken } | undefined;
          this.OPTION(() => {
            args = this.SUBRULE(this.argumentList);
          });
          return this.ACTION(() => {
            const id = identifier(t);
            return args ? { kind: 'Call', callee: id, args: args.args, range: fromTo(id.range.start, args.close) } : id;
          }) as A.Expression;
        },
      },
      {
        ALT: () => {
          const open = this.CONSUME(T.LParen);
          const inner = this.SUBRULE(this.expression);
          const close = this.CONSUME(T.RParen, { ERR_MSG: "expected ')' to close the parenthesis" });
          return this.ACTION(() => ({ kind: 'Group', expression: inner, range: tokenRange(open, close) })) as A.Expression;
        },
      },
    ]),
  );

  // ------------------------------------------------------------------------------------------
  // .studio scripts

  public studioFile = this.RULE('studioFile', (): Omit<A.StudioScript, 'comments' | 'range'> => {
    let name: A.StringLiteral | undefined;
    const params: A.Identifier[] = [];
    const actions: A.Action[] = [];
    this.MANY(() => this.CONSUME(T.Newline));
    this.OPTION({
      GATE: () => this.LA(1).image.toUpperCase() === 'SCRIPT' && this.LA(2).tokenType === T.StringLiteral,
      DEF: () => {
        this.CONSUME(T.Identifier);
        const s = this.CONSUME(T.StringLiteral);
        this.ACTION(() => {
          name = stringLiteral(s);
          this.strings.push(name);
          this.stringTokens.push(s);
        });
      },
    });
    this.MANY2(() => this.CONSUME2(T.Newline));
    this.OPTION2({
      GATE: () => this.LA(1).image.toUpperCase() === 'PARAMS',
      DEF: () => {
        this.CONSUME2(T.Identifier);
        this.OPTION3(() => {
          const first = this.CONSUME3(T.Identifier, { ERR_MSG: 'expected a parameter name' });
          this.ACTION(() => params.push(identifier(first)));
          this.MANY3(() => {
            this.CONSUME(T.Comma);
            const p = this.CONSUME4(T.Identifier, { ERR_MSG: 'expected a parameter name' });
            this.ACTION(() => params.push(identifier(p)));
          });
        });
      },
    });
    this.MANY4(() => {
      this.OR([
        { ALT: () => this.CONSUME3(T.Newline) },
        {
          ALT: () => {
            const a = this.SUBRULE(this.action);
            this.ACTION(() => {
              if (a !== undefined) actions.push(a);
            });
          },
        },
      ]);
    });
    this.ACTION(() => {
      this.stoppedAt = this.LA(1);
    });
    return { kind: 'Studio', name, params, actions };
  });

  private action = this.RULE(
    'action',
    (): A.Action => {
      const type = this.CONSUME(T.Word);
      const label = this.CONSUME2(T.Word, { ERR_MSG: `expected a label after the action type` });
      const properties: A.ActionProperty[] = [];
      const branches: A.BranchLink[] = [];
      let body: { statements: A.Statement[]; open: IToken; close: IToken } | undefined;
      let end: IToken = label;
      this.OPTION(() => {
        this.CONSUME(T.LParen);
        this.MANY(() => this.CONSUME(T.Newline));
        this.OPTION2(() => {
          properties.push(this.SUBRULE(this.property));
          this.MANY2(() => {
            this.CONSUME(T.Comma);
            this.MANY3(() => this.CONSUME2(T.Newline));
            properties.push(this.SUBRULE2(this.property));
          });
        });
        this.MANY4(() => this.CONSUME3(T.Newline));
        end = this.CONSUME(T.RParen, { ERR_MSG: "expected ')' to close the property list" });
      });
      this.OPTION3({
        GATE: () => this.peekPastNewlines().token.tokenType === T.LCurly,
        DEF: () => {
          this.MANY5(() => this.CONSUME4(T.Newline));
          const open = this.CONSUME(T.LCurly);
          const statements = this.SUBRULE(this.statementList);
          const close = this.CONSUME(T.RCurly, {
            ERR_MSG: `expected '}' to close the code of ${label.image} opened at ${open.startLine}:${open.startColumn}`,
          });
          body = { statements, open, close };
          end = close;
        },
      });
      this.MANY6({
        GATE: () => this.branchAhead(),
        DEF: () => {
          this.MANY7(() => this.CONSUME5(T.Newline));
          const b = this.SUBRULE(this.branch);
          this.ACTION(() => {
            branches.push(b);
          });
        },
      });
      return this.ACTION(() => {
        const last = branches.length ? branches[branches.length - 1]!.range.end : endOf(end);
        const snippet: A.SnippetProgram | undefined = body
          ? { kind: 'Snippet', body: body.statements, comments: [], range: tokenRange(body.open, body.close) }
          : undefined;
        return {
          kind: 'Action',
          type: type.image.toUpperCase(),
          typeRange: tokenRange(type),
          label: identifier(label),
          properties,
          body: snippet,
          branches,
          range: { start: startOf(type), end: last },
        };
      }) as A.Action;
    },
    { recoveryValueFunc: () => undefined as unknown as A.Action },
  );

  /** Is the next non-empty line a branch (`-> x`, `Name -> x`, `"value" -> x`)? */
  private branchAhead(): boolean {
    const { token, k } = this.peekPastNewlines();
    if (token.tokenType === T.Arrow) return true;
    return this.LA(k + 1).tokenType === T.Arrow && token.tokenType !== EOF;
  }

  private property = this.RULE('property', (): A.ActionProperty => {
    const name = this.CONSUME(T.Word, { ERR_MSG: 'expected a property name' });
    this.CONSUME(T.Equals, { ERR_MSG: "expected '=' after the property name" });
    const value = this.SUBRULE(this.expression);
    return this.ACTION(() => ({ kind: 'Property', name: identifier(name), value, range: fromTo(startOf(name), value) })) as A.ActionProperty;
  });

  private branch = this.RULE('branch', (): A.BranchLink => {
    let name: IToken | undefined;
    this.OPTION(() => {
      name = this.OR([
        { ALT: () => this.CONSUME(T.Word) },
        { ALT: () => this.CONSUME(T.StringLiteral) },
        { ALT: () => this.CONSUME(T.NumberLiteral) },
      ]);
    });
    const arrow = this.CONSUME(T.Arrow);
    const target = this.CONSUME2(T.Word, { ERR_MSG: "expected the label of the next action after '->'" });
    return this.ACTION(() => ({
      kind: 'Branch',
      name: name ? branchName(name) : undefined,
      target: identifier(target),
      range: { start: startOf(name ?? arrow), end: endOf(target) },
    })) as A.BranchLink;
  });
}

/** A branch name: a word, or a CASE value written as a string or number (quotes removed). */
function branchName(t: IToken): A.Identifier {
  if (t.tokenType === T.StringLiteral) {
    const inner = t.image.replace(/^[$#]?(["'])/, '').replace(/["']$/, '');
    return { kind: 'Identifier', name: inner, key: inner.toLowerCase(), range: tokenRange(t) };
  }
  return { kind: 'Identifier', name: t.image, key: t.image.toLowerCase(), range: tokenRange(t) };
}

