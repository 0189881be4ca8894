/**
 * Builds the document an upsert inserts, the way MongoDB does: the filter's plain equalities,
 * then `$setOnInsert`, then the other operators. NeDB has no `$setOnInsert` and would copy
 * operator conditions such as `{ $lt: … }` into the new document, so we build it ourselves.
 */
import { randomUUID } from 'node:crypto';
import { modify } from '@seald-io/nedb/lib/model';
import { equalityFields, splitSetOnInsert } from '../portRules';
import type { Filter, Update } from '../types';

export function upsertedDocument(filter: Filter, update: Update): Record<string, unknown> & { _id: string } {
  const { onInsert, onMatch } = splitSetOnInsert(update);
  const { _id: filterId, ...fromFilter } = equalityFields(filter);
  const { _id: insertId, ...onInsertFields } = onInsert;
  // NeDB's modify refuses to change _id, so the id is fixed before any operator runs.
  const _id = typeof filterId === 'string' ? filterId : typeof insertId === 'string' ? insertId : randomUUID();
  let doc: Record<string, unknown> & { _id: string } = { _id };
  for (const step of [{ $set: fromFilter }, { $set: onInsertFields }, onMatch]) {
    if (hasFields(step)) doc = modify(doc, step);
  }
  return doc;
}

function hasFields(update: Update): boolean {
  return Object.values(update).some((fields) => Object.keys(fields as object).length > 0);
}
