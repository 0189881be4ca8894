/**
 * The rules of the query language both engines share. Each engine checks them before it talks to its
 * backend, so a repository that works on the embedded file engine also works on MongoDB, and the
 * error for a construct only one engine understands is the same everywhere (INVALID_OPERATION).
 */
import { StoreError, type Filter, type Update } from './types';

/** Filter operators with identical meaning on NeDB and MongoDB (the contract suite proves each). */
export const FILTER_OPERATORS = ['$in', '$nin', '$lt', '$lte', '$gt', '$gte', '$ne', '$exists', '$regex'] as const;
export const LOGICAL_OPERATORS = ['$or', '$and'] as const;
export const UPDATE_OPERATORS = ['$set', '$unset', '$inc', '$push', '$addToSet', '$min', '$max', '$setOnInsert'] as const;

const filterOperators = new Set<string>(FILTER_OPERATORS);
const logicalOperators = new Set<string>(LOGICAL_OPERATORS);
const updateOperators = new Set<string>(UPDATE_OPERATORS);

// Collection names become file names in the embedded engine, so they must not walk out of the data dir.
const COLLECTION_NAME = /^[A-Za-z][A-Za-z0-9_-]{0,63}$/;

export function assertCollectionName(name: string): void {
  if (!COLLECTION_NAME.test(name)) {
    throw invalid(`Collection name "${name}" must start with a letter and hold only letters, digits, "_" or "-".`);
  }
}

export function isPlainObject(value: unknown): value is Record<string, unknown> {
  if (value === null || typeof value !== 'object') return false;
  const prototype = Object.getPrototypeOf(value);
  return prototype === Object.prototype || prototype === null;
}

/** An object such as `{ $lt: 3 }`: its keys are operators, not field names. */
export function isOperatorObject(value: unknown): value is Record<string, unknown> {
  return isPlainObject(value) && Object.keys(value).some((key) => key.startsWith('$'));
}

export function assertSupportedFilter(filter: Filter): void {
  if (!isPlainObject(filter)) throw invalid('A filter must be a plain object.');
  for (const [key, condition] of Object.entries(filter)) {
    if (logicalOperators.has(key)) {
      if (!Array.isArray(condition) || condition.length === 0) throw invalid(`${key} needs a non-empty array of filters.`);
      condition.forEach((clause) => assertSupportedFilter(clause as Filter));
    } else if (key.startsWith('$')) {
      throw invalid(`Filter operator ${key} is not supported by every engine.`);
    } else if (isOperatorObject(condition)) {
      assertFieldCondition(key, condition);
    } else if (condition instanceof RegExp) {
      assertPortableRegex(key, condition);
    }
  }
}

function assertFieldCondition(field: string, condition: Record<string, unknown>): void {
  for (const [operator, operand] of Object.entries(condition)) {
    if (!filterOperators.has(operator)) {
      throw invalid(`Filter operator ${operator} on "${field}" is not supported by every engine.`);
    }
    if ((operator === '$in' || operator === '$nin') && !Array.isArray(operand)) {
      throw invalid(`${operator} on "${field}" needs an array.`);
    }
    // NeDB only accepts RegExp objects; MongoDB's string form with $options would not run there.
    if (operator === '$regex' && !(operand instanceof RegExp)) {
      throw invalid(`$regex on "${field}" needs a RegExp object.`);
    }
    if (operand instanceof RegExp) assertPortableRegex(field, operand);
  }
}

/**
 * The driver sends a RegExp's `g` flag as MongoDB's `s` (dot matches newline) and drops `s`, `u` and `y`;
 * on NeDB a `g` regex remembers `lastIndex` between documents. Only `i` and `m` mean the same on both.
 */
function assertPortableRegex(field: string, pattern: RegExp): void {
  if (/[^im]/.test(pattern.flags)) {
    throw invalid(`The RegExp on "${field}" has flags "${pattern.flags}"; only "i" and "m" mean the same on every engine.`);
  }
}

/** Operators for which undefined means something (the field ends up absent); NeDB fails the others, MongoDB's client would skip them. */
const UNDEFINED_ALLOWED = new Set(['$set', '$unset', '$setOnInsert']);

export function assertSupportedUpdate(update: Update): void {
  if (!isPlainObject(update) || Object.keys(update).length === 0) {
    throw invalid('An update needs at least one operator, such as $set.');
  }
  for (const [operator, fields] of Object.entries(update)) {
    if (!operator.startsWith('$')) {
      throw invalid(`Updates must use operators; replacing a whole document (field "${operator}") is not supported.`);
    }
    if (!updateOperators.has(operator)) throw invalid(`Update operator ${operator} is not supported by every engine.`);
    if (!isPlainObject(fields)) throw invalid(`${operator} needs an object of fields.`);
    for (const [path, value] of Object.entries(fields)) {
      assertUpdatePath(operator, path);
      if (value === undefined && !UNDEFINED_ALLOWED.has(operator)) throw invalid(`${operator} on "${path}" needs a value, not undefined.`);
      assertStorableValue(value, path, operator === '$push' || operator === '$addToSet');
    }
  }
  assertNoConflictingPaths(update);
}

/**
 * MongoDB refuses an update naming one path twice, or a path and a field inside it, even under different
 * operators (`$set: { a: 1 }, $inc: { a: 1 }`; `$set: { meta: {} }, $unset: { 'meta.x': '' }`): error 40.
 * NeDB would apply both in turn, so such an update must fail on both engines.
 */
function assertNoConflictingPaths(update: Update): void {
  const seen: string[] = [];
  for (const fields of Object.values(update)) {
    for (const path of Object.keys(fields as Record<string, unknown>)) {
      const clash = seen.find((other) => other === path || other.startsWith(`${path}.`) || path.startsWith(`${other}.`));
      if (clash !== undefined) throw invalid(`The update names "${clash}" and "${path}": MongoDB refuses overlapping paths in one update.`);
      seen.push(path);
    }
  }
}

function assertUpdatePath(operator: string, path: string): void {
  // Positional paths (`a.$`, `a.$[]`) exist only in MongoDB.
  if (path.split('.').some((segment) => segment === '' || segment.startsWith('$'))) {
    throw invalid(`${operator} path "${path}" is not supported by every engine.`);
  }
}

/** Field names with "." or a leading "$" are refused by NeDB but accepted by MongoDB: refuse them on both. */
export function assertStorableDocument(doc: Record<string, unknown>): void {
  if (!isPlainObject(doc)) throw invalid('A document must be a plain object.');
  assertStorableValue(doc, '(document)', false);
}

function assertStorableValue(value: unknown, path: string, allowEach: boolean): void {
  if (Array.isArray(value)) {
    value.forEach((item, index) => assertStorableValue(item, `${path}.${index}`, false));
    return;
  }
  if (!isPlainObject(value)) return;
  for (const [key, nested] of Object.entries(value)) {
    if (allowEach && key === '$each') {
      assertStorableValue(nested, path, false);
      continue;
    }
    if (key.startsWith('$') || key.includes('.')) {
      throw invalid(`Field name "${key}" under "${path}" contains "." or starts with "$"; store it as data instead.`);
    }
    assertStorableValue(nested, `${path}.${key}`, false);
  }
}

/** Separates `$setOnInsert` (applied only when an upsert inserts) from the operators applied to a match. */
export function splitSetOnInsert(update: Update): { onInsert: Record<string, unknown>; onMatch: Update } {
  const { $setOnInsert, ...onMatch } = update;
  return { onInsert: isPlainObject($setOnInsert) ? $setOnInsert : {}, onMatch };
}

/** The fields MongoDB copies from a filter into an upserted document: plain equalities, also inside $and. */
export function equalityFields(filter: Filter): Record<string, unknown> {
  const fields: Record<string, unknown> = {};
  for (const [key, condition] of Object.entries(filter)) {
    if (key === '$and' && Array.isArray(condition)) {
      condition.forEach((clause) => Object.assign(fields, equalityFields(clause as Filter)));
    } else if (!key.startsWith('$') && !isOperatorObject(condition) && !(condition instanceof RegExp)) {
      fields[key] = condition;
    }
  }
  return fields;
}

function invalid(message: string): StoreError {
  return new StoreError('INVALID_OPERATION', message);
}
