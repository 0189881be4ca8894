/**
 * What an archive keeps in memory about each segment file: a Bloom filter per indexed field (and `_id`)
 * and the min/max of its date range fields. From these it decides which segments a filter may match
 * without loading them. Every answer errs on the side of "maybe": a wrong "no" would lose documents.
 */
import { getDotValue } from '@seald-io/nedb/lib/model';
import { isOperatorObject, isPlainObject } from '../portRules';
import type { Filter } from '../types';
import { BloomFilter, type KeyHash } from './bloomFilter';

/** An index as the archive tracks it: a field, or a comma-joined compound key. */
export type IndexKey = string;

export interface SegmentSummary {
  /** Documents inserted into the segment (deletions do not lower it; it only sizes segments). */
  count: number;
  blooms: Map<IndexKey, BloomFilter>;
  /** [min, max] epoch ms per range field; absent when no document has a Date there. */
  ranges: Map<string, [number, number]>;
}

export interface StoredSummary {
  count: number;
  blooms: Record<IndexKey, string>;
  ranges: Record<string, [number, number]>;
}

export function emptySummary(indexKeys: IndexKey[], capacity: number): SegmentSummary {
  return { count: 0, blooms: new Map(indexKeys.map((key) => [key, BloomFilter.forCapacity(capacity)])), ranges: new Map() };
}

export function toStored(summary: SegmentSummary): StoredSummary {
  return {
    count: summary.count,
    blooms: Object.fromEntries([...summary.blooms].map(([key, bloom]) => [key, bloom.toBase64()])),
    ranges: Object.fromEntries(summary.ranges),
  };
}

export function fromStored(stored: StoredSummary): SegmentSummary {
  return {
    count: stored.count,
    blooms: new Map(Object.entries(stored.blooms).map(([key, bits]) => [key, BloomFilter.fromBase64(bits)])),
    ranges: new Map(Object.entries(stored.ranges)),
  };
}

export function fieldsOf(key: IndexKey): string[] {
  return key.split(',');
}

/**
 * The Bloom keys of one document for an index: one per value (array elements each count, as they do in
 * an equality match), combined across the fields of a compound index. Missing and null share one key,
 * as `{ field: null }` matches both. Undefined when a value cannot be keyed (an embedded object).
 */
export function keysOf(doc: object, key: IndexKey): string[] | undefined {
  let combined = [''];
  for (const field of fieldsOf(key)) {
    const values = valueKeys(getDotValue(doc, field));
    if (!values) return undefined;
    combined = combined.flatMap((prefix) => values.map((value) => (prefix ? `${prefix}\u0000${value}` : value)));
  }
  return combined;
}

function valueKeys(value: unknown): string[] | undefined {
  if (Array.isArray(value)) {
    const keys = value.map(valueKeys);
    return keys.some((k) => k === undefined) ? undefined : (keys as string[][]).flat();
  }
  if (value === undefined || value === null) return ['null'];
  if (value instanceof Date) return [`date:${value.getTime()}`];
  if (typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean') return [`${typeof value}:${String(value)}`];
  return undefined;
}

/** Adds one stored document to the summary. */
export function noteDocument(summary: SegmentSummary, doc: object, rangeFields: string[]): void {
  for (const [key, bloom] of summary.blooms) {
    // A value that cannot be keyed poisons the filter towards "maybe": mark it with a key every query checks.
    for (const bloomKey of keysOf(doc, key) ?? [UNKEYABLE]) bloom.add(bloomKey);
  }
  for (const field of rangeFields) {
    const value = getDotValue(doc, field);
    if (value === undefined || value === null) continue;
    const time = value instanceof Date ? value.getTime() : NaN;
    const [min, max] = summary.ranges.get(field) ?? [Infinity, -Infinity];
    // A non-Date value makes the range useless rather than wrong.
    summary.ranges.set(field, Number.isNaN(time) ? [-Infinity, Infinity] : [Math.min(min, time), Math.max(max, time)]);
  }
}

const UNKEYABLE = '\u0001unkeyable';
const UNKEYABLE_HASH = BloomFilter.hash(UNKEYABLE);

/** False only when no document of the segment can match the filter. */
export function mayMatch(summary: SegmentSummary, filter: Filter, rangeFields: string[]): boolean {
  for (const [field, condition] of Object.entries(filter)) {
    if (field === '$or') {
      if (!(condition as Filter[]).some((clause) => mayMatch(summary, clause, rangeFields))) return false;
    } else if (field === '$and') {
      if (!(condition as Filter[]).every((clause) => mayMatch(summary, clause, rangeFields))) return false;
    } else {
      const bloom = summary.blooms.get(field);
      if (bloom && !bloomMayMatch(bloom, condition)) return false;
      if (rangeFields.includes(field) && !rangeMayMatch(summary.ranges.get(field), condition)) return false;
    }
  }
  return true;
}

/** Whether the segment may hold a document with one of these (hashed) values of a (compound) index. */
export function mayHoldKeys(summary: SegmentSummary, key: IndexKey, hashes: KeyHash[]): boolean {
  const bloom = summary.blooms.get(key);
  return !bloom || bloom.mayContain(UNKEYABLE_HASH) || hashes.some((hash) => bloom.mayContain(hash));
}

function bloomMayMatch(bloom: BloomFilter, condition: unknown): boolean {
  const wanted = equalityValues(condition);
  if (!wanted) return true;
  const keys = wanted.map(valueKeys);
  if (keys.some((k) => k === undefined)) return true;
  return bloom.mayContain(UNKEYABLE_HASH) || (keys as string[][]).flat().some((key) => bloom.mayContain(key));
}

/** The values a condition needs the field to equal (one of), or undefined when it is not that kind of condition. */
function equalityValues(condition: unknown): unknown[] | undefined {
  if (Array.isArray(condition) || condition instanceof RegExp) return undefined;
  if (!isOperatorObject(condition)) return isPlainObject(condition) ? undefined : [condition];
  const values = condition.$in;
  return Array.isArray(values) && !values.some((value) => Array.isArray(value)) ? values : undefined;
}

function rangeMayMatch(range: [number, number] | undefined, condition: unknown): boolean {
  if (condition instanceof Date) return range !== undefined && range[0] <= condition.getTime() && condition.getTime() <= range[1];
  if (!isOperatorObject(condition)) return true;
  const bounds = Object.entries(condition).filter(([operator, operand]) => ['$gt', '$gte', '$lt', '$lte'].includes(operator) && operand instanceof Date);
  if (bounds.length === 0) return true;
  // A comparison never matches a missing field.
  if (!range) return false;
  const [min, max] = range;
  return bounds.every(([operator, operand]) => {
    const time = (operand as Date).getTime();
    if (operator === '$gt') return max > time;
    if (operator === '$gte') return max >= time;
    if (operator === '$lt') return min < time;
    return min <= time;
  });
}
