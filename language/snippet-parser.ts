// Snippet statements, by recursive descent over the Chevrotain lexer's tokens. A newline ends a
// statement; `{` also ends one, and a block's `}` may be followed by another statement on the same
// line. Errors are reported once and parsing resumes at the next statement (see parser-core.ts).
import { tokenMatcher, type IToken } from 'chevrotain';
import type * as A from './ast.js';
import { endOf, fromTo, identifier, missingIdentifier, startOf, tokenRange } from './ast-build.js';
import { ExpressionParser, placeholder } from './parser-expressions.js';
import { describe, EndOfInput, lc, ParseError } from './parser-core.js';
import * as T from './tokens.js';

/** Statements that end with a block may be followed by another statement on the same line. */
const BLOCK_ENDED = new Set<A.Statement['kind']>(['If', 'Select', 'Switch', 'For', 'ForEach', 'Repeat', 'While', 'Function']);

export class SnippetParser extends ExpressionParser {
  /** Parses statements up to the end of input (`inBlock` false) or a closing `}` (left unconsumed). */
  parseStatements(inBlock: boolean): A.Statement[] {
    const body: A.Statement[] = [];
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
      const s = this.statementSafely();
      if (s === undefined) continue;
      body.push(s);
      if (this.atLineEnd() || this.at(T.RCurly) || BLOCK_ENDED.has(s.kind)) continue;
      const what = s.kind === 'ExpressionStatement' ? 'the call' : `the ${s.kind.toUpperCase()} statement`;
      this.report('SNIP1010', `expected the end of the line after ${what}, but found ${describe(this.peek())}: put each statement on its own line`, this.errorRange());
      this.skipLine();
    }
  }

  /** Whether the cursor is at something that cannot be in a block (a `.studio` action line). */
  protected endsBlock(): boolean {
    return false;
  }

  private statementSafely(): A.Statement | undefined {
    const start = this.pos;
    try {
      return this.statement();
    } catch (e) {
      if (!(e instanceof ParseError)) throw e;
      if (this.pos === start) this.next();
      this.skipStatement();
      return undefined;
    }
  }

  /** Skips the rest of a broken statement, including a block it opens on the same line. */
  private skipStatement(): void {
    this.skipToBlockOrLineEnd();
    if (this.at(T.LCurly)) this.skipBraces();
  }

  private statement(): A.Statement {
    const t = this.peek();
    switch (t.tokenType) {
      case T.Identifier:
        return this.nameStatement();
      case T.Assign:
        return this.assignStatement();
      case T.If:
        return this.ifStatement();
      case T.Dynamic:
        return this.dynamicStatement();
      case T.For:
        return this.forStatement();
      case T.ForEach:
        return this.forEachStatement();
      case T.Select:
        return this.selectStatement();
      case T.Switch:
        return this.switchStatement();
      case T.While:
        return this.conditionLoop('While');
      case T.Repeat:
        return this.conditionLoop('Repeat');
      case T.Function:
        return this.functionDeclaration();
      case T.Return: {
        this.next();
        const value = this.atLineEnd() || this.at(T.RCurly) ? undefined : this.parseExpression();
        return { kind: 'Return', value, range: value ? fromTo(startOf(t), value) : tokenRange(t) };
      }
      case T.Trace:
      case T.Uses: {
        this.next();
        const value = this.parseExpression();
        return { kind: t.tokenType === T.Trace ? 'Trace' : 'Uses', value, range: fromTo(startOf(t), value) };
      }
      case T.Break:
        this.next();
        return { kind: 'Break', range: tokenRange(t) };
      case T.Else:
        return this.fail('SNIP1015', 'ELSE must follow the closing brace of an IF block', tokenRange(t));
      case T.Case:
      case T.Default:
        return this.fail('SNIP1016', `${t.image.toUpperCase()} belongs inside a SELECT or SWITCH block`, tokenRange(t));
      default:
        if (tokenMatcher(t, T.Word) && this.peek(1).tokenType === T.Equals) {
          return this.fail('SNIP1007', `${t.image.toUpperCase()} is a reserved keyword and cannot name a variable`, tokenRange(t));
        }
        return this.fail('SNIP1024', `expected a statement, but found ${describe(t)}`, this.errorRange());
    }
  }

  /** `x = 1`, `o.m[2] = 3`, `f(1)`, `s.append("x")`. */
  private nameStatement(): A.Statement {
    const target = this.postfix(this.primary());
    if (this.at(T.Equals)) return this.assignment(false, target.range.start, target);
    if (target.kind === 'Call' || target.kind === 'MethodCall') return { kind: 'ExpressionStatement', expression: target, range: target.range };
    const name = target.kind === 'Identifier' ? `'${target.name}'` : 'this expression';
    return this.fail('SNIP1024', `${name} is not a statement: expected '=' and a value, or a call`, target.range);
  }

  private assignStatement(): A.AssignStatement {
    const kw = this.next();
    if (!this.at(T.Identifier)) this.fail('SNIP1007', `expected a variable name after ASSIGN, but found ${describe(this.peek())}`, this.errorRange());
    const target = this.postfix(this.primary());
    if (!this.at(T.Equals)) this.fail('SNIP1003', `expected '=' after the variable of ASSIGN, but found ${describe(this.peek())}`, this.errorRange());
    return this.assignment(true, startOf(kw), target);
  }

  /** With the cursor on `=`. */
  private assignment(keyword: boolean, start: A.Position, target: A.Expression): A.AssignStatement {
    this.next();
    const value = this.parseExpression();
    if (target.kind !== 'Identifier' && target.kind !== 'Member' && target.kind !== 'Index') {
      this.fail('SNIP1011', 'only a variable, a member or an element can be assigned, not a call', target.range);
    }
    return { kind: 'Assign', keyword, target, value, range: fromTo(start, value) };
  }

  private dynamicStatement(): A.DynamicStatement {
    const kw = this.next();
    const name = this.name('a name after DYNAMIC');
    let init: A.Expression | undefined;
    if (this.at(T.Equals)) {
      this.next();
      init = this.parseExpression();
    }
    return { kind: 'Dynamic', name, init, range: fromTo(startOf(kw), init ?? name) };
  }

  /** A plain name (no `Global:` check here; the analysis decides where it is allowed). */
  protected name(what: string): A.Identifier {
    if (!this.at(T.Identifier)) this.fail('SNIP1007', `expected ${what}, but found ${describe(this.peek())}`, this.errorRange());
    return identifier(this.next());
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
      e = this.parseExpression();
    });
    return e ?? placeholder(startOf(this.peek()));
  }

  /** `{ statements }`, possibly after newlines. `owner` names the block in messages. */
  protected block(owner: string, opener: IToken): A.Block {
    return this.nested(() => this.blockInner(owner, opener));
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
      const body = this.parseStatements(true);
      const close = this.next();
      return { kind: 'Block', body, range: { start: startOf(open), end: endOf(close) } };
    }
    this.next();
    const body = this.parseStatements(true);
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

  private ifStatement(): A.IfStatement {
    const kw = this.next();
    const condition = this.headerExpression();
    const then = this.block('IF', kw);
    let otherwise: A.Block | undefined;
    if (this.peekPastNewlines().tokenType === T.Else) {
      this.skipNewlines();
      const e = this.next();
      if (this.at(T.If)) {
        const nested = this.peek();
        this.report('SNIP1027', 'ELSE IF is not Snippet: nest the IF inside the ELSE block (ELSE { IF ... { } })', tokenRange(e, nested));
        const inner = this.ifStatement();
        otherwise = { kind: 'Block', body: [inner], range: inner.range };
      } else otherwise = this.block('ELSE', e);
    }
    return { kind: 'If', condition, then, else: otherwise, range: fromTo(startOf(kw), otherwise ?? then) };
  }

  private forStatement(): A.ForStatement {
    const kw = this.next();
    let variable: A.Identifier = missingIdentifier(endOf(kw));
    let from: A.Expression = placeholder(endOf(kw));
    let to: A.Expression = from;
    this.header(() => {
      variable = this.name('the loop variable after FOR');
      this.expect(T.Equals, 'SNIP1003', `expected '=' after the FOR variable, but found ${describe(this.peek())}`);
      from = this.parseExpression();
      this.expect(T.To, 'SNIP1018', `expected TO after the start value of FOR, but found ${describe(this.peek())}`);
      to = this.parseExpression();
    });
    const body = this.block('FOR', kw);
    return { kind: 'For', variable, from, to, body, range: fromTo(startOf(kw), body) };
  }

  private forEachStatement(): A.ForEachStatement {
    const kw = this.next();
    let variable: A.Identifier = missingIdentifier(endOf(kw));
    let iterable: A.Expression = placeholder(endOf(kw));
    this.header(() => {
      variable = this.name('the loop variable after FOREACH');
      this.expect(T.In, 'SNIP1019', `expected IN after the FOREACH variable, but found ${describe(this.peek())}`);
      iterable = this.parseExpression();
    });
    const body = this.block('FOREACH', kw);
    return { kind: 'ForEach', variable, iterable, body, range: fromTo(startOf(kw), body) };
  }

  private conditionLoop(kind: 'While' | 'Repeat'): A.WhileStatement | A.RepeatStatement {
    const kw = this.next();
    const e = this.headerExpression();
    const body = this.block(kind.toUpperCase(), kw);
    const range = fromTo(startOf(kw), body);
    return kind === 'While' ? { kind, condition: e, body, range } : { kind, count: e, body, range };
  }

  private selectStatement(): A.SelectStatement {
    const kw = this.next();
    const arms = this.caseArms('SELECT', kw);
    return {
      kind: 'Select',
      cases: arms.cases.map((c) => ({ kind: 'SelectCase', conditions: c.labels, body: c.body, range: c.range })),
      default: arms.default,
      range: { start: startOf(kw), end: arms.end },
    };
  }

  private switchStatement(): A.SwitchStatement {
    const kw = this.next();
    const subject = this.headerExpression();
    const arms = this.caseArms('SWITCH', kw);
    return {
      kind: 'Switch',
      subject,
      cases: arms.cases.map((c) => ({ kind: 'SwitchCase', values: c.labels, body: c.body, range: c.range })),
      default: arms.default,
      range: { start: startOf(kw), end: arms.end },
    };
  }

  /** `{ CASE x (CASE y ...) { } ... DEFAULT { } }`: stacked CASE lines share the next block. */
  private caseArms(owner: string, kw: IToken): { cases: { labels: A.Expression[]; body: A.Block; range: A.Range }[]; default: A.Block | undefined; end: A.Position } {
    const cases: { labels: A.Expression[]; body: A.Block; range: A.Range }[] = [];
    let dflt: A.Block | undefined;
    this.skipNewlines();
    const open = this.expect(T.LCurly, 'SNIP1005', `expected '{' to start the ${owner} block, but found ${describe(this.peek())}`, { message: `${owner} is here`, range: tokenRange(kw) });
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
  }

  private safeBlock(owner: string, opener: IToken): A.Block | undefined {
    try {
      return this.block(owner, opener);
    } catch (e) {
      if (!(e instanceof ParseError)) throw e;
      this.skipLine();
      return undefined;
    }
  }

  private functionDeclaration(): A.FunctionDeclaration {
    const kw = this.next();
    let name: A.Identifier = missingIdentifier(endOf(kw));
    const params: A.Identifier[] = [];
    this.header(() => {
      name = this.name('the function name after FUNCTION');
      const open = this.expect(T.LParen, 'SNIP1003', `expected '(' after the function name, but found ${describe(this.peek())}`);
      if (!this.at(T.RParen)) {
        for (;;) {
          params.push(this.name('a parameter name'));
          if (!this.at(T.Comma)) break;
          this.next();
        }
      }
      this.expect(T.RParen, 'SNIP1008', `expected ',' or ')' to close the parameter list opened at ${lc(startOf(open))}, but found ${describe(this.peek())}`);
    });
    const body = this.block('FUNCTION', kw);
    return { kind: 'Function', name, params, body, doc: undefined, range: fromTo(startOf(kw), body) };
  }
}
