import { randomUUID } from 'node:crypto';
import { equalityFields, isPlainObject } from '../portRules';
import type { Filter, Update } from '../types';

/**
 * MongoDB gives an upserted document an ObjectId unless the filter or `$setOnInsert` names an `_id`.
 * The port promises string ids, so we name one.
 */
export function withUpsertId(filter: Filter, update: Update): Update {
  // MongoDB also takes the id from an equality inside $and; naming another one would then fail (ImmutableField).
  if (typeof equalityFields(filter)._id === 'string') return update;
  const onInsert = isPlainObject(update.$setOnInsert) ? update.$setOnInsert : {};
  const set = isPlainObject(update.$set) ? update.$set : {};
  if ('_id' in onInsert || '_id' in set) return update;
  return { ...update, $setOnInsert: { ...onInsert, _id: randomUUID() } };
}
