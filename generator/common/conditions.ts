/**
 * 'if' conditions as people read them, in the documentation and in reports.
 */
import type { IfCondition } from './definitions.js';

/** A condition as a readable expression, e.g. `CONFIG_A && !CONFIG_B`. */
export function conditionText(cond: IfCondition): string {
  switch (cond.kind) {
    case 'name':
      return cond.name;
    case 'not':
      return `!${cond.operand.kind === 'name' ? conditionText(cond.operand) : `(${conditionText(cond.operand)})`}`;
    default: {
      const op = cond.kind === 'all' ? ' && ' : ' || ';
      return cond.operands.map((c) => (c.kind === 'name' || c.kind === 'not' ? conditionText(c) : `(${conditionText(c)})`)).join(op);
    }
  }
}
