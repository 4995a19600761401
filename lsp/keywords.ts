// The Snippet keywords and the statement snippets completion offers (one table, also used to
// refuse keywords as new names in rename).

/** Reserved words (keywords are case-insensitive). */
export const KEYWORDS: readonly string[] = [
  'ASSIGN', 'DYNAMIC', 'IF', 'ELSE', 'SELECT', 'SWITCH', 'CASE', 'DEFAULT', 'FOREACH', 'FOR', 'TO', 'IN',
  'REPEAT', 'WHILE', 'BREAK', 'FUNCTION', 'RETURN', 'TRACE', 'USES', 'TRUE', 'FALSE',
];

const KEYWORD_SET = new Set(KEYWORDS.map((k) => k.toLowerCase()));

/** Whether `name` is a reserved word. */
export function isKeyword(name: string): boolean {
  return KEYWORD_SET.has(name.toLowerCase());
}

/** A statement template in LSP snippet syntax. */
export interface StatementSnippet {
  label: string;
  detail: string;
  body: string;
}

/** Statement templates, offered at the start of a statement. */
export const STATEMENT_SNIPPETS: readonly StatementSnippet[] = [
  { label: 'ASSIGN', detail: 'ASSIGN name = value', body: 'ASSIGN ${1:name} = ${2:value}' },
  { label: 'DYNAMIC', detail: 'DYNAMIC name: a dynamic data object', body: 'DYNAMIC ${1:name}' },
  { label: 'IF', detail: 'IF condition { ... }', body: 'IF ${1:condition}\n{\n\t$0\n}' },
  { label: 'IF ELSE', detail: 'IF condition { ... } ELSE { ... }', body: 'IF ${1:condition}\n{\n\t$2\n}\nELSE\n{\n\t$0\n}' },
  { label: 'FOR', detail: 'FOR i = 1 TO n { ... }', body: 'FOR ${1:i} = ${2:1} TO ${3:10}\n{\n\t$0\n}' },
  { label: 'FOREACH', detail: 'FOREACH item IN array { ... }', body: 'FOREACH ${1:item} IN ${2:array}\n{\n\t$0\n}' },
  { label: 'WHILE', detail: 'WHILE condition { ... }', body: 'WHILE ${1:condition}\n{\n\t$0\n}' },
  { label: 'REPEAT', detail: 'REPEAT count { ... }', body: 'REPEAT ${1:count}\n{\n\t$0\n}' },
  { label: 'SWITCH', detail: 'SWITCH value { CASE ... DEFAULT ... }', body: 'SWITCH ${1:value}\n{\n\tCASE ${2:1}\n\t{\n\t\t$0\n\t}\n\tDEFAULT\n\t{\n\t}\n}' },
  { label: 'SELECT', detail: 'SELECT { CASE condition ... DEFAULT ... }', body: 'SELECT\n{\n\tCASE ${1:condition}\n\t{\n\t\t$0\n\t}\n\tDEFAULT\n\t{\n\t}\n}' },
  { label: 'FUNCTION', detail: 'FUNCTION name(params) { ... RETURN value }', body: 'FUNCTION ${1:name}(${2:params})\n{\n\t$0\n}' },
  { label: 'RETURN', detail: 'RETURN value', body: 'RETURN ${1:value}' },
  { label: 'TRACE', detail: 'TRACE value', body: 'TRACE ${1:value}' },
  { label: 'BREAK', detail: 'leave the loop', body: 'BREAK' },
];
