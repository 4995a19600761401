// Variables whose name ends in `$` hold text (Variables page, "Variable names"). What that changes
// is decided at compile time from the names in the source, so the hot paths stay untouched:
// comparisons with such a variable compare text, and a number written into one keeps its spelling.
import type { AssignTarget, Expression } from '../../language/ast.js';

/** `name$` (also in parentheses): a variable that always holds text. */
export function isTextName(e: Expression): boolean {
  if (e.kind === 'Group') return isTextName(e.expression);
  return e.kind === 'Identifier' && e.name.endsWith('$');
}

/**
 * The text a numeric literal keeps when assigned to a `$` variable (`a$ = 1.50` holds "1.50", not
 * "1.5"); undefined for any other assignment.
 */
export function literalTextFor(target: AssignTarget, value: Expression): string | undefined {
  if (target.kind !== 'Identifier' || !target.name.endsWith('$')) return undefined;
  return numberLiteralText(value);
}

/** The spelling of a number literal (`1.50`, `-007`), which is its text beside a `$` variable. */
export function numberLiteralText(e: Expression): string | undefined {
  if (e.kind === 'Group') return numberLiteralText(e.expression);
  if (e.kind === 'Number') return e.raw;
  if (e.kind === 'Unary' && e.operand.kind === 'Number') return `-${e.operand.raw}`;
  return undefined;
}
