/**
 * Rewrites a port filter so NeDB matches the same documents MongoDB would.
 * Two places differ: NeDB's `{ f: null }` does not match a missing field (MongoDB's does), and NeDB's
 * `$ne`/`$nin` on an array field pass when *any* element differs (MongoDB: when *no* element equals).
 * Both are fixed by expressing them through NeDB's logical `$not` around a plain equality.
 * Untouched conditions stay at the top level so NeDB can still use its indexes for them.
 */
import { isOperatorObject } from '../portRules';
import type { Filter } from '../types';

export function toNedbFilter(filter: Filter): Filter {
  const direct: Filter = {};
  const rewritten: Filter[] = [];
  for (const [key, condition] of Object.entries(filter)) {
    if (key === '$or' || key === '$and') direct[key] = (condition as Filter[]).map(toNedbFilter);
    else if (condition === null) rewritten.push(equalsClause(key, null));
    else if (isOperatorObject(condition)) splitFieldCondition(key, condition, direct, rewritten);
    else direct[key] = condition;
  }
  if (rewritten.length === 0) return direct;
  const existingAnd = (direct.$and as Filter[] | undefined) ?? [];
  return { ...direct, $and: [...existingAnd, ...rewritten] };
}

function splitFieldCondition(field: string, condition: Record<string, unknown>, direct: Filter, rewritten: Filter[]): void {
  const kept: Record<string, unknown> = {};
  for (const [operator, operand] of Object.entries(condition)) {
    if (operator === '$ne') rewritten.push({ $not: equalsClause(field, operand) });
    else if (operator === '$nin') rewritten.push({ $not: inClause(field, operand as unknown[]) });
    else if (operator === '$in' && (operand as unknown[]).includes(null)) rewritten.push(inClause(field, operand as unknown[]));
    else kept[operator] = operand;
  }
  if (Object.keys(kept).length > 0) direct[field] = kept;
}

function equalsClause(field: string, value: unknown): Filter {
  return value === null ? { $or: [{ [field]: null }, { [field]: { $exists: false } }] } : { [field]: value };
}

function inClause(field: string, values: unknown[]): Filter {
  const clause = { [field]: { $in: values } };
  return values.includes(null) ? { $or: [clause, { [field]: { $exists: false } }] } : clause;
}
