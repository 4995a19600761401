// Snippet statement rules. A newline ends a statement; `{` also ends one, and a block's `}` may be
// followed by another statement on the same line. The statement rule dispatches on its first token
// (Chevrotain OR); errors are reported once and parsing resumes at the next statement.
import { tokenMatcher, type IOrAlt, type IToken, type TokenType } from 'chevrotain';
import type * as A from '../ast.js';
import { endOf, fromTo, identifier, missingIdentifier, startOf, tokenRange } from '../ast-build.js';
import * as T from '../tokens.js';
import { ExpressionGrammar } from './grammar-expressions.js';
import { describe, EndOfInput, lc, ParseError } from './recovery.js';

/** Statements that end with a block may be followed by another statement on the same line. */
const BLOCK_ENDED = new Set<A.Statement['kind']>(['If', 'Select', 'Switch', 'For', 'ForEach', 'Repeat', 'While', 'Function']);

/** The tokens a statement starts with. */
const STATEMENT_FIRST = new Set<TokenType>([
  T.Identifier, T.Assign, T.If, T.Dynamic, T.ForEach, T.For, T.Select, T.Switch, T.While, T.Repeat, T.Function, T.Return, T.Trace, T.Uses, T.Break,
]);

type Arm = { labels: A.Expression[]; body: A.Block; range: A.Range };

/** The Snippet statement rules; the `.studio` rules extend this class. */
export class StatementGrammar extends ExpressionGrammar {
  private stmtAlts: IOrAlt<A.Statement>[] | undefined;

  /** Statements up to the end of input (`inBlock` false) or a closing `}` (left unconsumed). */
  readonly statements = this.RULE('statements', (inBlock: boolean): A.Statement[] => {
    const body: A.Statement[] = [];
    if (this.recording) return body;
    for (;;) {
      this.skipNewlines();
      const t = this.peek();
      if (t.tokenType === EndOfInput || (inBlock && this.endsBlock())) return body;
      if (t.tokenType === T.RCurly) {
        if (inBlock) return body;
        this.next();
        this.report('SNIP1003', "unexpected '}': there is no open block to close", tokenRange(t));
        continue;
      }
      const start = this.pos;
      let s: A.Statement | undefined;
      try {
        s = this.SUBRULE(this.statement);
      } catch (e) {
        if (!(e instanceof ParseError)) throw e;
        if (this.pos === start) this.next();
        this.skipStatement();
        continue;
      }
      body.push(s);
      if (this.atLineEnd() || this.at(T.RCurly) || BLOCK_ENDED.has(s.kind)) continue;
      const what = s.kind === 'ExpressionStatement' ? 'the call' : `the ${s.kind.toUpperCase()} statement`;
      this.report('SNIP1010', `expected the end of the line after ${what}, but found ${describe(this.peek())}: put each statement on its own line`, this.errorRange());
      this.skipLine();
    }
  });

  private readonly statement = this.RULE('statement', (): A.Statement => {
    // Checked first so the OR below always has a viable alternative (no Chevrotain resync).
    if (!this.recording && !STATEMENT_FIRST.has(this.peek().tokenType)) this.notAStatement();
    return this.OR(this.statementAlts());
  });

  /** `x = 1`, `o.m[2] = 3`, `f(1)`, `s.append("x")`. */
  private readonly nameStatement = this.RULE('nameStatement', (): A.Statement => {
    const target = this.SUBRULE(this.operand);
    if (this.recording) return target as never;
    if (this.at(T.Equals)) return this.assignment(false, target.range.start, target);
    if (target.kind === 'Call' || target.kind === 'MethodCall') return { kind: 'ExpressionStatement', expression: target, range: target.range };
    const name = target.kind === 'Identifier' ? `'${target.name}'` : 'this expression';
    return this.fail('SNIP1024', `${name} is not a statement: expected '=' and a value, or a call`, target.range);
  });

  private readonly assignStatement = this.RULE('assignStatement', (kw: IToken): A.AssignStatement => {
    if (!this.recording && !this.at(T.Identifier)) this.fail('SNIP1007', `expected a variable name after ASSIGN, but found ${describe(this.peek())}`, this.errorRange());
    const target = this.SUBRULE(this.operand);
    if (this.recording) return target as never;
    if (!this.at(T.Equals)) this.fail('SNIP1003', `expected '=' after the variable of ASSIGN, but found ${describe(this.peek())}`, this.errorRange());
    return this.assignment(true, startOf(kw), target);
  });

  private readonly dynamicStatement = this.RULE('dynamicStatement', (kw: IToken): A.DynamicStatement => {
    if (this.recording) return kw as never;
    const name = this.name('a name after DYNAMIC');
    let init: A.Expression | undefined;
    if (this.at(T.Equals)) {
      this.next();
      init = this.SUBRULE(this.expression);
    }
    return { kind: 'Dynamic', name, init, range: fromTo(startOf(kw), init ?? name) };
  });

  private readonly ifStatement = this.RULE('ifStatement', (kw: IToken): A.IfStatement => {
    if (this.recording) return kw as never;
    const condition = this.headerExpression();
    const then = this.SUBRULE(this.block, { ARGS: ['IF', kw] });
    let otherwise: A.Block | undefined;
    if (this.peekPastNewlines().tokenType === T.Else) {
      this.skipNewlines();
      const e = this.next();
      if (this.at(T.If)) {
        const nested = this.next();
        this.report('SNIP1027', 'ELSE IF is not Snippet: nest the IF inside the ELSE block (ELSE { IF ... { } })', tokenRange(e, nested));
        const inner = this.SUBRULE2(this.ifStatement, { ARGS: [nested] });
        otherwise = { kind: 'Block', body: [inner], range: inner.range };
      } else otherwise = this.SUBRULE2(this.block, { ARGS: ['ELSE', e] });
    }
    return { kind: 'If', condition, then, else: otherwise, range: fromTo(startOf(kw), otherwise ?? then) };
  });

  private readonly forStatement = this.RULE('forStatement', (kw: IToken): A.ForStatement => {
    if (this.recording) return kw as never;
    let variable: A.Identifier = missingIdentifier(endOf(kw));
    let from: A.Expression = missingIdentifier(endOf(kw));
    let to: A.Expression = from;
    this.header(() => {
      variable = this.name('the loop variable after FOR');
      this.expect(T.Equals, 'SNIP1003', () => `expected '=' after the FOR variable, but found ${describe(this.peek())}`);
      from = this.SUBRULE(this.expression);
      this.expect(T.To, 'SNIP1018', () => `expected TO after the start value of FOR, but found ${describe(this.peek())}`);
      to = this.SUBRULE2(this.expression);
    });
    const body = this.SUBRULE(this.block, { ARGS: ['FOR', kw] });
    return { kind: 'For', variable, from, to, body, range: fromTo(startOf(kw), body) };
  });

  private readonly forEachStatement = this.RULE('forEachStatement', (kw: IToken): A.ForEachStatement => {
    if (this.recording) return kw as never;
    let variable: A.Identifier = missingIdentifier(endOf(kw));
    let iterable: A.Expression = missingIdentifier(endOf(kw));
    this.header(() => {
      variable = this.name('the loop variable after FOREACH');
      this.expect(T.In, 'SNIP1019', () => `expected IN after the FOREACH variable, but found ${describe(this.peek())}`);
      iterable = this.SUBRULE(this.expression);
    });
    const body = this.SUBRULE(this.block, { ARGS: ['FOREACH', kw] });
    return { kind: 'ForEach', variable, iterable, body, range: fromTo(startOf(kw), body) };
  });

  private readonly conditionLoop = this.RULE('conditionLoop', (kw: IToken): A.WhileStatement | A.RepeatStatement => {
    if (this.recording) return kw as never;
    const kind = kw.tokenType === T.While ? 'While' : 'Repeat';
    const e = this.headerExpression();
    const body = this.SUBRULE(this.block, { ARGS: [kind.toUpperCase(), kw] });
    const range = fromTo(startOf(kw), body);
    return kind === 'While' ? { kind, condition: e, body, range } : { kind, count: e, body, range };
  });

  private readonly selectStatement = this.RULE('selectStatement', (kw: IToken): A.SelectStatement => {
    if (this.recording) return kw as never;
    const arms = this.SUBRULE(this.caseArms, { ARGS: ['SELECT', kw] });
    return {
      kind: 'Select',
      cases: arms.cases.map((c) => ({ kind: 'SelectCase', conditions: c.labels, body: c.body, range: c.range })),
      default: arms.default,
      range: { start: startOf(kw), end: arms.end },
    };
  });

  private readonly switchStatement = this.RULE('switchStatement', (kw: IToken): A.SwitchStatement => {
    if (this.recording) return kw as never;
    const subject = this.headerExpression();
    const arms = this.SUBRULE(this.caseArms, { ARGS: ['SWITCH', kw] });
    return {
      kind: 'Switch',
      subject,
      cases: arms.cases.map((c) => ({ kind: 'SwitchCase', values: c.labels, body: c.body, range: c.range })),
      default: arms.default,
      range: { start: startOf(kw), end: arms.end },
    };
  });

  /** `{ CASE x (CASE y ...) { } ... DEFAULT { } }`: stacked CASE lines share the next block. */
  private readonly caseArms = this.RULE('caseArms', (owner: string, kw: IToken): { cases: Arm[]; default: A.Block | undefined; end: A.Position } => {
    const cases: Arm[] = [];
    let dflt: A.Block | undefined;
    if (this.recording) return { cases, default: dflt, end: { line: 1, column: 1, offset: 0 } };
    this.skipNewlines();
    const open = this.expect(T.LCurly, 'SNIP1005', () => `expected '{' to start the ${owner} block, but found ${describe(this.peek())}`, { message: `${owner} is here`, range: tokenRange(kw) });
    for (;;) {
      this.skipNewlines();
      const t = this.peek();
      if (t.tokenType === T.RCurly) {
        this.next();
        return { cases, default: dflt, end: endOf(t) };
      }
      if (t.tokenType === EndOfInput) {
        this.report('SNIP1004', `expected '}' to close the ${owner} block opened at ${lc(startOf(open))}, but found the end of the file`, this.errorRange(), 'error', {
          message: `the ${owner} block starts here`,
          range: tokenRange(open),
        });
        return { cases, default: dflt, end: endOf(this.prev()) };
      }
      if (t.tokenType === T.Case) {
        const labels: A.Expression[] = [];
        while (this.at(T.Case)) {
          this.next();
          labels.push(this.headerExpression());
          if (this.peekPastNewlines().tokenType === T.Case) this.skipNewlines();
        }
        const body = this.safeBlock('CASE', t);
        if (body) cases.push({ labels, body, range: fromTo(startOf(t), body) });
      } else if (t.tokenType === T.Default) {
        this.next();
        const body = this.safeBlock('DEFAULT', t);
        if (dflt !== undefined) this.report('SNIP1003', `${owner} has more than one DEFAULT`, tokenRange(t));
        else dflt = body;
      } else {
        this.report('SNIP1003', `expected CASE or DEFAULT inside ${owner}, but found ${describe(t)}`, tokenRange(t));
        this.next();
        this.skipStatement();
      }
    }
  });

  private readonly functionDeclaration = this.RULE('functionDeclaration', (kw: IToken): A.FunctionDeclaration => {
    if (this.recording) return kw as never;
    let name: A.Identifier = missingIdentifier(endOf(kw));
    const params: A.Identifier[] = [];
    this.header(() => {
      name = this.name('the function name after FUNCTION');
      const open = this.expect(T.LParen, 'SNIP1003', () => `expected '(' after the function name, but found ${describe(this.peek())}`);
      if (!this.at(T.RParen)) {
        for (;;) {
          params.push(this.name('a parameter name'));
          if (!this.at(T.Comma)) break;
          this.next();
        }
      }
      this.expect(T.RParen, 'SNIP1008', () => `expected ',' or ')' to close the parameter list opened at ${lc(startOf(open))}, but found ${describe(this.peek())}`);
    });
    const body = this.SUBRULE(this.block, { ARGS: ['FUNCTION', kw] });
    return { kind: 'Function', name, params, body, doc: undefined, range: fromTo(startOf(kw), body) };
  });

  /** `{ statements }`, possibly after newlines. `owner` names the block in messages. */
  protected readonly block = this.RULE('block', (owner: string, opener: IToken): A.Block => {
    if (this.recording) return opener as never;
    this.enter();
    try {
      return this.blockInner(owner, opener);
    } finally {
      this.leave();
    }
  });

  /** Whether the cursor is at something that cannot be in a block (a `.studio` action line). */
  protected endsBlock(): boolean {
    return false;
  }

  /** A plain name (no `Global:` check here; the analysis decides where it is allowed). */
  protected name(what: string): A.Identifier {
    if (!this.at(T.Identifier)) this.fail('SNIP1007', `expected ${what}, but found ${describe(this.peek())}`, this.errorRange());
    return identifier(this.next());
  }

  private statementAlts(): IOrAlt<A.Statement>[] {
    if (this.stmtAlts) return this.stmtAlts;
    // `second` marks the second alternative calling the same rule (Chevrotain numbers repeated SUBRULEs).
    const kw = (type: TokenType, rule: (kw: IToken) => A.Statement, second = false): IOrAlt<A.Statement> => ({
      ALT: () => {
        const t = this.CONSUME(type);
        return (second ? this.SUBRULE2(rule as never, { ARGS: [t] }) : this.SUBRULE(rule as never, { ARGS: [t] })) as A.Statement;
      },
    });
    const simple = (type: TokenType, read: (t: IToken) => A.Statement): IOrAlt<A.Statement> => ({
      ALT: () => {
        const t = this.CONSUME(type);
        return this.ACTION(() => read(t));
      },
    });
    const valued = (t: IToken): A.Statement => {
      const value = this.SUBRULE(this.expression);
      return { kind: t.tokenType === T.Trace ? 'Trace' : 'Uses', value, range: fromTo(startOf(t), value) };
    };
    return (this.stmtAlts = [
      { GATE: () => this.at(T.Identifier), ALT: () => this.SUBRULE(this.nameStatement) },
      kw(T.Assign, this.assignStatement),
      kw(T.If, this.ifStatement),
      kw(T.Dynamic, this.dynamicStatement),
      kw(T.ForEach, this.forEachStatement),
      kw(T.For, this.forStatement),
      kw(T.Select, this.selectStatement),
      kw(T.Switch, this.switchStatement),
      kw(T.While, this.conditionLoop),
      kw(T.Repeat, this.conditionLoop, true),
      kw(T.Function, this.functionDeclaration),
      simple(T.Return, (t) => {
        const value = this.atLineEnd() || this.at(T.RCurly) ? undefined : this.SUBRULE2(this.expression);
        return { kind: 'Return', value, range: value ? fromTo(startOf(t), value) : tokenRange(t) };
      }),
      simple(T.Trace, valued),
      simple(T.Uses, valued),
      simple(T.Break, (t) => ({ kind: 'Break', range: tokenRange(t) })),
    ]);
  }

  private notAStatement(): never {
    const t = this.peek();
    if (t.tokenType === T.Else) this.fail('SNIP1015', 'ELSE must follow the closing brace of an IF block', tokenRange(t));
    if (t.tokenType === T.Case || t.tokenType === T.Default) this.fail('SNIP1016', `${t.image.toUpperCase()} belongs inside a SELECT or SWITCH block`, tokenRange(t));
    if (tokenMatcher(t, T.Word) && this.peek(1).tokenType === T.Equals) {
      this.fail('SNIP1007', `${t.image.toUpperCase()} is a reserved keyword and cannot name a variable`, tokenRange(t));
    }
    this.fail('SNIP1024', `expected a statement, but found ${describe(t)}`, this.errorRange());
  }

  /** With the cursor on `=`. */
  private assignment(keyword: boolean, start: A.Position, target: A.Expression): A.AssignStatement {
    this.next();
    const value = this.SUBRULE3(this.expression);
    if (target.kind !== 'Identifier' && target.kind !== 'Member' && target.kind !== 'Index') {
      this.fail('SNIP1011', 'only a variable, a member or an element can be assigned, not a call', target.range);
    }
    return { kind: 'Assign', keyword, target, value, range: fromTo(start, value) };
  }

  /** Skips the rest of a broken statement, including a block it opens on the same line. */
  protected skipStatement(): void {
    this.skipToBlockOrLineEnd();
    if (this.at(T.LCurly)) this.skipBraces();
  }

  /** Runs a statement header; on an error skips to its `{` so the block still parses. */
  private header(read: () => void): void {
    try {
      read();
    } catch (e) {
      if (!(e instanceof ParseError)) throw e;
      this.skipToBlockOrLineEnd();
    }
  }

  private headerExpression(): A.Expression {
    let e: A.Expression | undefined;
    this.header(() => {
      e = this.SUBRULE4(this.expression);
    });
    return e ?? missingIdentifier(startOf(this.peek()));
  }

  private blockInner(owner: string, opener: IToken): A.Block {
    this.skipNewlines();
    const open = this.peek();
    if (open.tokenType !== T.LCurly) {
      this.report('SNIP1005', `expected '{' to start the ${owner} block, but found ${describe(open)}`, this.errorRange(), 'error', {
        message: `${owner} is here`,
        range: tokenRange(opener),
      });
      // Without its `{`, the following lines are the block when a `}` closes them later.
      if (open.tokenType === T.RCurly || !this.closingBraceAhead()) throw new ParseError('missing block');
      const body = this.SUBRULE(this.statements, { ARGS: [true] });
      const close = this.next();
      return { kind: 'Block', body, range: { start: startOf(open), end: endOf(close) } };
    }
    this.next();
    const body = this.SUBRULE2(this.statements, { ARGS: [true] });
    if (!this.at(T.RCurly)) {
      const what = owner ? `the ${owner} block` : 'the block';
      this.report('SNIP1004', `expected '}' to close ${what} opened at ${lc(startOf(open))}, but found ${describe(this.peek())}`, this.errorRange(), 'error', {
        message: `${what} starts here`,
        range: tokenRange(open),
      });
      return { kind: 'Block', body, range: { start: startOf(open), end: endOf(this.prev()) } };
    }
    const close = this.next();
    return { kind: 'Block', body, range: tokenRange(open, close) };
  }

  private safeBlock(owner: string, opener: IToken): A.Block | undefined {
    try {
      return this.SUBRULE3(this.block, { ARGS: [owner, opener] });
    } catch (e) {
      if (!(e instanceof ParseError)) throw e;
      this.skipLine();
      return undefined;
    }
  }
}
