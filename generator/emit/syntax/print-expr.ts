/**
 * Expressions as TypeScript source text, on one line (the formatter lays
 * them out).
 */
import type { Expr } from './statements.js';
import { printType, propertyKey, quote } from './type-syntax.js';

export function printExpr(e: Expr): string {
  switch (e.kind) {
    case 'literal':
      return typeof e.value === 'string' ? quote(e.value) : String(e.value);
    case 'identifier':
      return e.name;
    case 'property':
      return `${printExpr(e.object)}.${e.name}`;
    case 'array':
      return `[${e.elements.map(printExpr).join(', ')}]`;
    case 'object':
      return `{ ${e.properties.map((p) => `${propertyKey(p.key)}: ${printExpr(p.value)}`).join(', ')} }`;
    case 'call':
      return `${printExpr(e.callee)}(${e.args.map(printExpr).join(', ')})`;
    case 'new':
      return `new ${e.callee}${e.typeArgs.length > 0 ? `<${e.typeArgs.map(printType).join(', ')}>` : ''}(${e.args.map(printExpr).join(', ')})`;
    case 'as':
      return `${printExpr(e.expr)} as ${printType(e.type)}`;
  }
}
