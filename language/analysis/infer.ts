// Evident kind of an expression, for the symbol table (hover, member completion). Only what the
// source shows for certain; everything else is `unknown`.
import type { Expression } from '../ast.js';
import { findBuiltin } from '../catalog.js';
import type { ValueKind } from '../catalog-types.js';
import type { VariableKind } from './symbols.js';

const COMPARISON = new Set(['=', '!=', '<', '<=', '>', '>=', '&', '|', '~']);

function fromValueKind(kind: ValueKind): VariableKind {
  return kind === 'any' || kind === 'none' ? 'unknown' : kind;
}

/** The kind of value `e` evaluates to, when the source makes it evident. */
export function inferKind(e: Expression, lookup: (key: string) => VariableKind = () => 'unknown'): VariableKind {
  switch (e.kind) {
    case 'Number':
      return 'number';
    case 'Boolean':
      return 'boolean';
    case 'String': {
      if (e.date) return 'date';
      const onlyText = e.parts.every((p) => p.kind === 'Text');
      if (onlyText && e.parts.some((p) => p.kind === 'Text' && p.value.includes('|'))) return 'array';
      return 'text';
    }
    case 'Identifier':
      return lookup(e.key);
    case 'Group':
      return inferKind(e.expression, lookup);
    case 'Unary':
      return 'number';
    case 'Binary':
      return COMPARISON.has(e.operator) ? 'boolean' : 'number';
    case 'Call': {
      const b = findBuiltin(e.callee.name);
      return b ? fromValueKind(b.returns) : 'unknown';
    }
    case 'MethodCall': {
      const b = findBuiltin(e.name);
      return b ? fromValueKind(b.returns) : 'unknown';
    }
    default:
      return 'unknown';
  }
}
