// Walks Snippet code (a .snip file or a SNIPPET body) once: records variables, members and calls
// in the symbol table and reports BREAK/RETURN misuse, reserved members, reads before assignment,
// member case mismatches, `+` on text and hyphens in member names.
import type { AssignTarget, Block, Expression, FunctionDeclaration, MemberExpression, Range, Statement } from '../ast.js';
import { findBuiltin } from '../catalog.js';
import { assignedKeys, assignedKeysEverywhere } from './assignments.js';
import { checkCall, checkMethodCall } from './calls.js';
import { at, defineVariable, isSystemVariable, referenceVariable, report, touchMember, type AnalysisContext } from './context.js';
import { inferKind } from './infer.js';
import { checkNumericOperands } from './numeric-operands.js';
import type { VariableSymbol } from './symbols.js';

interface Frame {
  fn: FunctionDeclaration | undefined;
  params: Set<string>;
  loops: number;
}

const TOP: Frame = { fn: undefined, params: new Set(), loops: 0 };

/** One step of a member chain below its root variable. */
interface Step {
  name: string;
  range: Range;
}

/**
 * Analyses `body`. Call `declareFunctions` first for every body of the document (functions are
 * hoisted), and fill `ctx.assignedAnywhere` with `collectAssignedAnywhere`.
 */
export function checkStatements(ctx: AnalysisContext, body: readonly Statement[]): void {
  new Walker(ctx).statements(body);
}

/** The keys of every variable `body` assigns anywhere, function bodies included. */
export function collectAssignedAnywhere(ctx: AnalysisContext, body: readonly Statement[]): void {
  assignedKeysEverywhere(body, ctx.assignedAnywhere);
}

/** One walk over a document's code; a .studio script uses one walker for all of its actions. */
export class Walker {
  private readonly warnedRead = new Set<string>();
  private readonly numericChecked = new WeakSet<Expression>();

  constructor(private readonly ctx: AnalysisContext) {}

  statements(body: readonly Statement[], f: Frame = TOP): void {
    for (const s of body) this.statement(s, f);
  }

  private block(b: Block, f: Frame): void {
    this.statements(b.body, f);
  }

  private loopBody(b: Block, f: Frame, before?: () => void): void {
    // Assignments anywhere in the body are visible to reads on the next iteration.
    for (const k of assignedKeys(b.body)) if (!f.params.has(k)) this.ctx.assigned.add(k);
    before?.();
    this.block(b, { ...f, loops: f.loops + 1 });
  }

  private statement(s: Statement, f: Frame): void {
    const ctx = this.ctx;
    switch (s.kind) {
      case 'Assign':
        this.expression(s.value, f);
        this.assignTarget(s.target, s.value, f);
        break;
      case 'Dynamic':
        if (s.init) this.expression(s.init, f);
        this.define(s.name.name, s.name.range, 'dynamic', 'dynamic', f);
        break;
      case 'If':
        this.expression(s.condition, f);
        this.block(s.then, f);
        if (s.else) this.block(s.else, f);
        break;
      case 'Select':
        for (const c of s.cases) {
          for (const cond of c.conditions) this.expression(cond, f);
          this.block(c.body, f);
        }
        if (s.default) this.block(s.default, f);
        break;
      case 'Switch':
        this.expression(s.subject, f);
        for (const c of s.cases) {
          for (const v of c.values) this.expression(v, f);
          this.block(c.body, f);
        }
        if (s.default) this.block(s.default, f);
        break;
      case 'For':
        this.expression(s.from, f);
        this.expression(s.to, f);
        this.define(s.variable.name, s.variable.range, 'for', 'number', f);
        this.loopBody(s.body, f);
        break;
      case 'ForEach':
        this.expression(s.iterable, f);
        this.define(s.variable.name, s.variable.range, 'foreach', 'unknown', f);
        this.loopBody(s.body, f);
        break;
      case 'Repeat':
        this.expression(s.count, f);
        this.loopBody(s.body, f);
        break;
      case 'While':
        this.loopBody(s.body, f, () => this.expression(s.condition, f));
        break;
      case 'Break':
        if (f.loops === 0) report(ctx, 'SNIP2005', 'BREAK can only be used inside FOR, FOREACH, REPEAT or WHILE', s.range);
        break;
      case 'Return':
        if (!f.fn) report(ctx, 'SNIP2006', 'RETURN can only be used inside a FUNCTION', s.range);
        if (s.value) this.expression(s.value, f);
        break;
      case 'Function': {
        const frame: Frame = { fn: s, params: new Set(s.params.map((p) => p.key)), loops: 0 };
        for (const p of s.params) defineVariable(ctx, p.name, p.range, 'parameter', 'unknown', s.name.key);
        this.block(s.body, frame);
        break;
      }
      case 'Trace':
      case 'Uses':
        this.expression(s.value, f);
        break;
      case 'ExpressionStatement':
        this.expression(s.expression, f);
        break;
    }
  }

  private define(name: string, range: Range, role: 'assign' | 'dynamic' | 'for' | 'foreach', kind: VariableSymbol['kind'], f: Frame): VariableSymbol {
    const key = name.toLowerCase();
    if (f.params.has(key)) return defineVariable(this.ctx, name, range, role, kind, f.fn!.name.key);
    this.ctx.assigned.add(key);
    const finalKind = name.endsWith('$') ? 'text' : kind;
    return defineVariable(this.ctx, name, range, role, finalKind);
  }

  private lookupKind = (key: string): VariableSymbol['kind'] => this.ctx.table.variables.get(key)?.kind ?? 'unknown';

  private assignTarget(t: AssignTarget, value: Expression, f: Frame): void {
    if (t.kind === 'Identifier') {
      this.define(t.name, t.range, 'assign', inferKind(value, this.lookupKind), f);
      return;
    }
    const chain = this.chain(t, f);
    if (!chain) return;
    const { root, steps } = chain;
    if (steps.every((s) => s.name === '[]')) {
      this.define(root.name, root.range, 'assign', this.lookupKind(root.key) === 'dynamic' ? 'dynamic' : 'array', f);
      return;
    }
    // Writing a member creates it (and the path above it): the root is an object from here on.
    const scope = f.params.has(root.key) ? f.fn!.name.key : undefined;
    if (scope === undefined) this.ctx.assigned.add(root.key);
    const v = referenceVariable(this.ctx, root.name, root.range, scope);
    if (v.kind === 'unknown') v.kind = 'dynamic';
    this.members(v, steps, true);
  }

  /** Splits `a.b[i].c` into the root identifier and its steps, walking index expressions as reads. */
  private chain(e: Expression, f: Frame): { root: Expression & { kind: 'Identifier' }; steps: Step[] } | undefined {
    const steps: Step[] = [];
    let cur: Expression = e;
    while (cur.kind === 'Member' || cur.kind === 'Index') {
      if (cur.kind === 'Member') {
        if (cur.name === '__type') {
          report(this.ctx, 'SNIP2007', "'__type' is reserved for JSON parsing and cannot be used as a member name", cur.nameRange);
        }
        steps.unshift({ name: cur.name, range: cur.nameRange });
      } else {
        this.expression(cur.index, f);
        steps.unshift({ name: '[]', range: cur.index.range });
      }
      cur = cur.object;
    }
    if (cur.kind !== 'Identifier') {
      this.expression(cur, f);
      return undefined;
    }
    return { root: cur, steps };
  }

  private members(v: VariableSymbol, steps: readonly Step[], definition: boolean): void {
    const path: string[] = [];
    let mismatchChecked = definition;
    for (let i = 0; i < steps.length; i++) {
      const step = steps[i]!;
      if (step.name === '$value') break;
      path.push(step.name);
      if (step.name === '[]') continue;
      const joined = path.join('.');
      const last = i === steps.length - 1;
      if (!definition && last && v.kind !== 'dynamic' && findBuiltin(step.name)?.forms.includes('property')) break;
      if (!definition && v.kind === 'restproxy') break;
      if (!mismatchChecked && !v.members.some((m) => m.path === joined && m.definitions.length > 0)) {
        mismatchChecked = true;
        const lower = joined.toLowerCase();
        const other = v.members.find((m) => m.definitions.length > 0 && m.path.toLowerCase() === lower);
        if (other) {
          report(
            this.ctx,
            'SNIP2010',
            `member '${step.name}' differs in case from '${other.name}' assigned at ${at(other.definitions[0]!)}; member names are case-sensitive`,
            step.range,
            'hint',
            { data: { expected: other.name }, related: [{ message: 'assigned here', range: other.definitions[0]! }] },
          );
        }
      }
      touchMember(this.ctx, v, joined, step.name, step.range, definition);
    }
  }

  private read(name: string, key: string, range: Range, f: Frame): VariableSymbol {
    if (f.params.has(key)) return referenceVariable(this.ctx, name, range, f.fn!.name.key);
    const assigned = this.ctx.assigned.has(key) || (f.fn !== undefined && this.ctx.assignedAnywhere.has(key));
    if (!assigned && !isSystemVariable(key) && !this.warnedRead.has(key)) {
      this.warnedRead.add(key);
      report(this.ctx, 'SNIP2009', `'${name}' is read before any assignment (it is empty unless it is an input)`, range, 'warning', {
        data: { name },
      });
    }
    return referenceVariable(this.ctx, name, range);
  }

  /** Walks an expression as a read (action property values use this too). */
  expression(e: Expression, f: Frame = TOP): void {
    switch (e.kind) {
      case 'Number':
      case 'Boolean':
        return;
      case 'String':
        for (const p of e.parts) if (p.kind === 'Interpolation' && p.expression) this.expression(p.expression, f);
        return;
      case 'Identifier':
        this.read(e.name, e.key, e.range, f);
        return;
      case 'Member':
      case 'Index': {
        const chain = this.chain(e, f);
        if (!chain) return;
        const v = this.read(chain.root.name, chain.root.key, chain.root.range, f);
        this.members(v, chain.steps, false);
        return;
      }
      case 'Call':
        checkCall(this.ctx, e);
        for (const a of e.args) this.expression(a, f);
        return;
      case 'MethodCall':
        this.expression(e.receiver, f);
        checkMethodCall(this.ctx, e);
        for (const a of e.args) this.expression(a, f);
        return;
      case 'Unary':
        this.expression(e.operand, f);
        return;
      case 'Group':
        this.expression(e.expression, f);
        return;
      case 'Binary': {
        // Along the left spine without recursion (generated chains run to 100,000 terms), in the
        // same order as the recursive walk: hints outside in, then operands left to right.
        const rights: Expression[] = [];
        let x: Expression = e;
        while (x.kind === 'Binary') {
          this.binaryHints(x);
          rights.push(x.right);
          x = x.left;
        }
        this.expression(x, f);
        for (let i = rights.length - 1; i >= 0; i--) this.expression(rights[i]!, f);
        return;
      }
    }
  }

  private binaryHints(e: Expression & { kind: 'Binary' }): void {
    checkNumericOperands(this.ctx, e, this.numericChecked);
    if (e.operator === '-' && e.left.kind === 'Member' && e.right.kind === 'Identifier') {
      const left: MemberExpression = e.left;
      const tight = left.range.end.offset === e.operatorRange.start.offset && e.operatorRange.end.offset === e.right.range.start.offset;
      if (tight) {
        const suggestion = `${left.name}HYPHENPLACEHOLDER${e.right.name}`;
        report(
          this.ctx,
          'SNIP2020',
          `member names cannot contain '-': '${left.name}-${e.right.name}' is a subtraction. Write '${suggestion}' and turn HYPHENPLACEHOLDER into '-' with replace() after asjson()`,
          { start: left.nameRange.start, end: e.right.range.end },
          'hint',
          { data: { suggestion } },
        );
      }
    }
  }
}
