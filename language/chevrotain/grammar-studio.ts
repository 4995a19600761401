// `.studio` rules: `SCRIPT "name"`, `PARAMS a, b`, then actions
// `TYPE label [(prop = expr, ...)] [{ snippet }]` each followed by branches `[Name] -> target`.
// A SNIPPET body is Snippet code parsed in place, so its positions are the file's.
import { tokenMatcher, type IToken } from 'chevrotain';
import type * as A from '../ast.js';
import { endOf, fromTo, identifier, startOf, tokenRange } from '../ast-build.js';
import * as T from '../tokens.js';
import { StatementGrammar } from './grammar-statements.js';
import { describe, EndOfInput, lc, ParseError } from './recovery.js';

/** The `.studio` rules over the Snippet ones; the parser's most derived grammar class. */
export class StudioGrammar extends StatementGrammar {
  /** A whole script (without comments and file range, which the caller adds). */
  readonly script = this.RULE('script', (): Omit<A.StudioScript, 'comments' | 'range'> => {
    let name: A.StringLiteral | undefined;
    const params: A.Identifier[] = [];
    const actions: A.Action[] = [];
    if (this.recording) return { kind: 'Studio', name, params, actions };
    this.skipNewlines();
    if (this.isWord('script') && this.peek(1).tokenType === T.StringLiteral) {
      this.next();
      name = this.stringLiteral(this.next());
      this.endOfLine('SCRIPT');
    }
    this.skipNewlines();
    if (this.isWord('params')) {
      this.next();
      this.lineSafely(() => {
        if (!this.atLineEnd()) {
          for (;;) {
            params.push(this.name('a parameter name'));
            if (!this.at(T.Comma)) break;
            this.next();
          }
        }
        this.endOfLine('PARAMS');
      });
    }
    for (;;) {
      this.skipNewlines();
      if (this.at(EndOfInput)) break;
      const start = this.pos;
      try {
        actions.push(this.SUBRULE(this.action));
      } catch (e) {
        if (!(e instanceof ParseError)) throw e;
        if (this.pos === start) this.next();
        this.skipLine();
        // Branch lines under a broken action belong to it: skip them too.
        while (this.branchAhead()) {
          this.skipNewlines();
          this.skipLine();
        }
      }
    }
    return { kind: 'Studio', name, params, actions };
  });

  private readonly action = this.RULE('action', (): A.Action => {
    if (this.recording) return undefined as never;
    const typeTok = this.peek();
    if (!tokenMatcher(typeTok, T.Word)) {
      const hint = typeTok.tokenType === T.Arrow ? ': a branch must follow an action' : '';
      this.fail('SNIP1020', `expected an action (TYPE label ...), but found ${describe(typeTok)}${hint}`, this.errorRange());
    }
    this.next();
    const labelTok = this.peek();
    if (!tokenMatcher(labelTok, T.Word)) {
      this.fail('SNIP1021', `expected a label after the action type ${typeTok.image}, but found ${describe(labelTok)}`, this.errorRange());
    }
    this.next();
    const properties: A.ActionProperty[] = [];
    let end: IToken = labelTok;
    if (this.at(T.LParen)) end = this.SUBRULE(this.properties, { ARGS: [properties] });
    let body: A.SnippetProgram | undefined;
    if (this.peekPastNewlines().tokenType === T.LCurly) {
      const block = this.SUBRULE(this.block, { ARGS: [`code of ${labelTok.image}`, labelTok] });
      body = { kind: 'Snippet', body: block.body, comments: [], range: block.range };
      end = this.prev();
    }
    const branches: A.BranchLink[] = [];
    const unclosedBody = body !== undefined && this.prev().tokenType !== T.RCurly;
    if (!this.atLineEnd() && !unclosedBody) {
      if (this.branchStartsHere()) branches.push(this.SUBRULE(this.branch));
      this.endOfLine(`the action ${labelTok.image}`);
    }
    while (this.branchAhead()) {
      this.skipNewlines();
      this.lineSafely(() => {
        branches.push(this.SUBRULE2(this.branch));
        this.endOfLine('the branch');
      });
    }
    const last = branches.length ? branches[branches.length - 1]!.range.end : endOf(end);
    return {
      kind: 'Action',
      type: typeTok.image.toUpperCase(),
      typeRange: tokenRange(typeTok),
      label: identifier(labelTok),
      properties,
      body,
      branches,
      range: { start: startOf(typeTok), end: last },
    };
  });

  /** `( name = expr, ... )`, which may span lines; returns the `)`. */
  private readonly properties = this.RULE('properties', (into: A.ActionProperty[]): IToken => {
    if (this.recording) return undefined as never;
    const open = this.next();
    const related = { message: "'(' is here", range: tokenRange(open) };
    for (;;) {
      this.skipNewlines();
      if (this.at(T.RParen)) return this.next();
      const nameTok = this.peek();
      if (!tokenMatcher(nameTok, T.Word)) {
        this.fail('SNIP1023', `expected a property name (name = value), but found ${describe(nameTok)}`, this.errorRange(), related);
      }
      this.next();
      this.expect(T.Equals, 'SNIP1023', () => `expected '=' after the property ${nameTok.image}, but found ${describe(this.peek())}`);
      const value = this.SUBRULE(this.expression);
      into.push({ kind: 'Property', name: identifier(nameTok), value, range: fromTo(startOf(nameTok), value) });
      this.skipNewlines();
      if (this.at(T.Comma)) {
        this.next();
        continue;
      }
      if (this.at(T.RParen)) return this.next();
      this.fail('SNIP1008', `expected ',' or ')' in the property list opened at ${lc(startOf(open))}, but found ${describe(this.peek())}`, this.errorRange(), related);
    }
  });

  private readonly branch = this.RULE('branch', (): A.BranchLink => {
    if (this.recording) return undefined as never;
    let name: A.Identifier | undefined;
    const first = this.peek();
    if (first.tokenType !== T.Arrow) name = branchName(this.next());
    const arrow = this.next();
    const target = this.peek();
    if (!tokenMatcher(target, T.Word)) {
      this.fail('SNIP1022', `expected the label of the next action after '->', but found ${describe(target)}`, this.errorRange());
    }
    this.next();
    return { kind: 'Branch', name, target: identifier(target), range: { start: startOf(name ? first : arrow), end: endOf(target) } };
  });

  /** An unclosed SNIPPET body ends where the next action starts (`TYPE label` at a line start). */
  protected override endsBlock(): boolean {
    if (!this.studioMode) return false;
    // Two plain names in a row are never Snippet (`IF x {`, `FUNCTION f(` start with keywords).
    if (this.peek().tokenType !== T.Identifier || this.prev().tokenType !== T.Newline) return false;
    if (!tokenMatcher(this.peek(1), T.Word)) return false;
    const after = this.peek(2).tokenType;
    return after === T.Newline || after === EndOfInput || after === T.LCurly || after === T.LParen || after === T.Arrow;
  }

  /** Set while a `.studio` file is parsed (SNIPPET bodies end at the next action line). */
  protected studioMode = false;

  private isWord(lower: string): boolean {
    const t = this.peek();
    return t.tokenType === T.Identifier && t.image.toLowerCase() === lower;
  }

  /** Reports anything left on the line after `what`, then skips it. */
  private endOfLine(what: string): void {
    if (this.atLineEnd()) return;
    this.report('SNIP1003', `expected the end of the line after ${what}, but found ${describe(this.peek())}`, this.errorRange());
    this.skipLine();
  }

  private lineSafely(read: () => void): void {
    try {
      read();
    } catch (e) {
      if (!(e instanceof ParseError)) throw e;
      this.skipLine();
    }
  }

  /** `-> x`, `Name -> x`, `"value" -> x` or `42 -> x` starts `k` tokens ahead. */
  private branchStartsHere(k = 0): boolean {
    const t = this.peek(k);
    if (t.tokenType === T.Arrow) return true;
    const nameLike = tokenMatcher(t, T.Word) || t.tokenType === T.StringLiteral || t.tokenType === T.NumberLiteral;
    return nameLike && this.peek(k + 1).tokenType === T.Arrow;
  }

  private branchAhead(): boolean {
    let k = 0;
    while (this.peek(k).tokenType === T.Newline) k++;
    return this.branchStartsHere(k);
  }
}

/** A branch name: a word, or a CASE value written as a string or number (quotes removed). */
function branchName(t: IToken): A.Identifier {
  if (t.tokenType === T.StringLiteral) {
    const inner = t.image.replace(/^[$#]?(["'])/, '').replace(/["']$/, '');
    return { kind: 'Identifier', name: inner, key: inner.toLowerCase(), range: tokenRange(t) };
  }
  return { kind: 'Identifier', name: t.image, key: t.image.toLowerCase(), range: tokenRange(t) };
}
