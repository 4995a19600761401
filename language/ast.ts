// The abstract syntax tree shared by every phase: parser, analysis, formatter, interpreter, LSP.
// Every node carries an exact source range; names keep their spelling and a lower-case key because
// variables, functions, keywords and labels are case-insensitive while dynamic members are not.

/** A point in the source. `line` and `column` are 1-based (as people read them), `offset` is 0-based. */
export interface Position {
  line: number;
  column: number;
  offset: number;
}

/** A half-open source span: `end` points just past the last character. */
export interface Range {
  start: Position;
  end: Position;
}

interface NodeBase {
  range: Range;
}

// ---------------------------------------------------------------------------------------------
// Expressions

export interface NumberLiteral extends NodeBase {
  kind: 'Number';
  value: number;
  /** The text as written, so the formatter keeps `1.50` as `1.50`. */
  raw: string;
}

export interface BooleanLiteral extends NodeBase {
  kind: 'Boolean';
  value: boolean;
  raw: string;
}

/** Literal text inside a string, after escape processing (only `$"..."` strings process escapes). */
export interface TextPart extends NodeBase {
  kind: 'Text';
  value: string;
  /** The source text of this part, before escape processing. */
  raw: string;
}

/** `{expression}` inside a string; `range` covers the braces, `expression` has its own exact range. */
export interface InterpolationPart extends NodeBase {
  kind: 'Interpolation';
  /** Undefined when the braces hold nothing parsable (a diagnostic was reported). */
  expression: Expression | undefined;
}

export type StringPart = TextPart | InterpolationPart;

/**
 * A string literal: `"..."`, `'...'`, `$"..."` (escapes) or `#"..."` (date/time literal).
 * Interpolations are parsed at parse time into parts that keep their own positions.
 */
export interface StringLiteral extends NodeBase {
  kind: 'String';
  parts: StringPart[];
  quote: '"' | "'";
  /** `$"..."`: escape sequences were processed. */
  escapes: boolean;
  /** `#"..."`: the value is a date/time. */
  date: boolean;
}

export interface Identifier extends NodeBase {
  kind: 'Identifier';
  /** As written, e.g. `HTTPStatus`. */
  name: string;
  /** Lower-case form used for lookup, e.g. `httpstatus` (without any `Global:` prefix). */
  key: string;
  /** Written as `Global:name`: the variable belongs to the top-level script, not the subscript. */
  global?: true;
}

/** `object.name` (dynamic member, `$value`, or a property-form built-in such as `.size`). */
export interface MemberExpression extends NodeBase {
  kind: 'Member';
  object: Expression;
  /** Member name exactly as written: members are case-sensitive. */
  name: string;
  nameRange: Range;
}

/** `object[index]`: 1-based element of a pipe array or of a dynamic array. */
export interface IndexExpression extends NodeBase {
  kind: 'Index';
  object: Expression;
  index: Expression;
}

/** `name(args)`: a built-in or a user function. */
export interface CallExpression extends NodeBase {
  kind: 'Call';
  callee: Identifier;
  args: Expression[];
}

/** `receiver.name(args)`: for user functions and built-ins this means `name(receiver, args...)`. */
export interface MethodCallExpression extends NodeBase {
  kind: 'MethodCall';
  receiver: Expression;
  name: string;
  nameRange: Range;
  args: Expression[];
}

export interface UnaryExpression extends NodeBase {
  kind: 'Unary';
  operator: '-';
  operand: Expression;
}

export type BinaryOperator =
  | '^'
  | '*'
  | '/'
  | '\\'
  | '%'
  | '+'
  | '-'
  | '='
  | '!='
  | '<'
  | '<='
  | '>'
  | '>='
  | '&'
  | '|'
  | '~';

export interface BinaryExpression extends NodeBase {
  kind: 'Binary';
  operator: BinaryOperator;
  operatorRange: Range;
  left: Expression;
  right: Expression;
}

/** `( expression )`, kept so the formatter can reproduce the source faithfully. */
export interface GroupExpression extends NodeBase {
  kind: 'Group';
  expression: Expression;
}

export type Expression =
  | NumberLiteral
  | BooleanLiteral
  | StringLiteral
  | Identifier
  | MemberExpression
  | IndexExpression
  | CallExpression
  | MethodCallExpression
  | UnaryExpression
  | BinaryExpression
  | GroupExpression;

/** What may stand left of `=` in an assignment. */
export type AssignTarget = Identifier | MemberExpression | IndexExpression;

// ---------------------------------------------------------------------------------------------
// Statements

export interface Block extends NodeBase {
  kind: 'Block';
  body: Statement[];
}

/** `ASSIGN target = value`; the `ASSIGN` keyword is optional (`keyword` says whether it was written). */
export interface AssignStatement extends NodeBase {
  kind: 'Assign';
  keyword: boolean;
  target: AssignTarget;
  value: Expression;
}

/** `DYNAMIC name` or `DYNAMIC name = text` (the text is parsed as JSON, or XML when it starts with `<`). */
export interface DynamicStatement extends NodeBase {
  kind: 'Dynamic';
  name: Identifier;
  init: Expression | undefined;
}

export interface IfStatement extends NodeBase {
  kind: 'If';
  condition: Expression;
  then: Block;
  else: Block | undefined;
}

/** One arm of SELECT: stacked `CASE cond` lines share one block (any true condition selects it). */
export interface SelectCase extends NodeBase {
  kind: 'SelectCase';
  conditions: Expression[];
  body: Block;
}

export interface SelectStatement extends NodeBase {
  kind: 'Select';
  cases: SelectCase[];
  default: Block | undefined;
}

/** One arm of SWITCH: stacked `CASE value` lines share one block. */
export interface SwitchCase extends NodeBase {
  kind: 'SwitchCase';
  values: Expression[];
  body: Block;
}

export interface SwitchStatement extends NodeBase {
  kind: 'Switch';
  subject: Expression;
  cases: SwitchCase[];
  default: Block | undefined;
}

export interface ForStatement extends NodeBase {
  kind: 'For';
  variable: Identifier;
  from: Expression;
  to: Expression;
  body: Block;
}

export interface ForEachStatement extends NodeBase {
  kind: 'ForEach';
  variable: Identifier;
  iterable: Expression;
  body: Block;
}

export interface RepeatStatement extends NodeBase {
  kind: 'Repeat';
  count: Expression;
  body: Block;
}

export interface WhileStatement extends NodeBase {
  kind: 'While';
  condition: Expression;
  body: Block;
}

export interface BreakStatement extends NodeBase {
  kind: 'Break';
}

export interface FunctionDeclaration extends NodeBase {
  kind: 'Function';
  name: Identifier;
  params: Identifier[];
  body: Block;
  /** A `//` comment on the declaration line: shown as the function's help text. */
  doc: string | undefined;
}

export interface ReturnStatement extends NodeBase {
  kind: 'Return';
  value: Expression | undefined;
}

export interface TraceStatement extends NodeBase {
  kind: 'Trace';
  value: Expression;
}

/** `USES "name"`: parsed so scripts load; the runtime refuses it (SOAP proxies do not exist here). */
export interface UsesStatement extends NodeBase {
  kind: 'Uses';
  value: Expression;
}

/** A bare call or method call used as a statement: `generateskill(100)`, `proxy.AddHeader(...)`. */
export interface ExpressionStatement extends NodeBase {
  kind: 'ExpressionStatement';
  expression: CallExpression | MethodCallExpression;
}

export type Statement =
  | AssignStatement
  | DynamicStatement
  | IfStatement
  | SelectStatement
  | SwitchStatement
  | ForStatement
  | ForEachStatement
  | RepeatStatement
  | WhileStatement
  | BreakStatement
  | FunctionDeclaration
  | ReturnStatement
  | TraceStatement
  | UsesStatement
  | ExpressionStatement;

export interface Comment extends NodeBase {
  kind: 'Comment';
  /** The text after `//`, as written. */
  text: string;
}

/** A `.snip` file, or the inline body of a SNIPPET action. */
export interface SnippetProgram extends NodeBase {
  kind: 'Snippet';
  body: Statement[];
  /** Every comment, in source order (the formatter and the LSP need them; evaluation does not). */
  comments: Comment[];
}

// ---------------------------------------------------------------------------------------------
// .studio scripts

/** `name = expression` inside an action's parentheses. Property names are case-insensitive. */
export interface ActionProperty extends NodeBase {
  kind: 'Property';
  name: Identifier;
  value: Expression;
}

/** `Name -> label`, or `-> label` alone for the Default branch (`name` undefined). */
export interface BranchLink extends NodeBase {
  kind: 'Branch';
  name: Identifier | undefined;
  target: Identifier;
}

export interface Action extends NodeBase {
  kind: 'Action';
  /** Upper-case action type as written in the file, e.g. `SNIPPET`, `CONNECTREQUEST`. */
  type: string;
  typeRange: Range;
  label: Identifier;
  properties: ActionProperty[];
  /** The inline Snippet code of a SNIPPET action (`{ ... }`), else undefined. */
  body: SnippetProgram | undefined;
  branches: BranchLink[];
}

/** A `.studio` file: a flow of actions. */
export interface StudioScript extends NodeBase {
  kind: 'Studio';
  /** `SCRIPT "name"`, when present. */
  name: StringLiteral | undefined;
  /** `PARAMS a, b`: the script's inputs. */
  params: Identifier[];
  actions: Action[];
  comments: Comment[];
}

export type Node =
  | Expression
  | Statement
  | Block
  | SelectCase
  | SwitchCase
  | StringPart
  | Comment
  | SnippetProgram
  | ActionProperty
  | BranchLink
  | Action
  | StudioScript;
