/**
 * Port filters and updates as MongoDB must receive them to mean what NeDB makes of them.
 * The client runs with `ignoreUndefined`, which silently drops every undefined value from a command:
 * `{ f: undefined }` would become `{}` and match (and delete) every document, while NeDB matches none;
 * `$set: { f: undefined }` would keep the old value, while NeDB leaves the field absent.
 * Input has passed portRules.ts: `$or`/`$and` hold arrays, `$in`/`$nin` arrays, every update operator an object.
 */
import { isOperatorObject } from '../portRules';
import type { Filter, Update } from '../types';

/** Matches no document: what NeDB makes of an equality or a range against undefined. */
const MATCHES_NOTHING = { $in: [] } as const;

export function toMongoFilter(filter: Filter): Filter {
  const translated: Filter = {};
  for (const [key, condition] of Object.entries(filter)) {
    if (key === '$or' || key === '$and') {
      translated[key] = (condition as Filter[]).map(toMongoFilter);
    } else if (condition === undefined) {
      translated[key] = MATCHES_NOTHING;
    } else if (isOperatorObject(condition)) {
      translated[key] = toMongoCondition(condition);
    } else {
      translated[key] = condition;
    }
  }
  return translated;
}

function toMongoCondition(condition: Record<string, unknown>): Record<string, unknown> {
  const translated: Record<string, unknown> = {};
  for (const [operator, operand] of Object.entries(condition)) {
    if (operator === '$in' || operator === '$nin') {
      // Nothing equals undefined on NeDB; the driver would send it as null (null or missing).
      translated[operator] = (operand as unknown[]).filter((value) => value !== undefined);
    } else if (operand !== undefined) {
      translated[operator] = operand;
    } else if (operator === '$exists') {
      translated.$exists = false; // NeDB reads a falsy $exists as "missing"
    } else if (operator !== '$ne') {
      // $lt/$lte/$gt/$gte against undefined hold for no document on NeDB; `$ne: undefined` holds for all.
      return MATCHES_NOTHING;
    }
  }
  return Object.keys(translated).length > 0 ? translated : { $nin: [] };
}

export function toMongoUpdate(update: Update): Update {
  const translated: Update = {};
  const unset: Record<string, unknown> = {};
  for (const [operator, fields] of Object.entries(update)) {
    const kept: Record<string, unknown> = {};
    for (const [path, value] of Object.entries(fields as Record<string, unknown>)) {
      // NeDB's $unset ignores the value; undefined would make the driver drop the path.
      if (operator === '$unset') unset[path] = '';
      else if (value !== undefined) kept[path] = value;
      else if (operator === '$set') unset[path] = ''; // NeDB leaves a field set to undefined absent
    }
    if (operator !== '$unset' && Object.keys(kept).length > 0) translated[operator] = kept;
  }
  if (Object.keys(unset).length > 0) translated.$unset = unset;
  // Only undefined $setOnInsert fields: a no-op, as on NeDB (MongoDB refuses an update without operators).
  return Object.keys(translated).length > 0 ? translated : { $setOnInsert: {} };
}
