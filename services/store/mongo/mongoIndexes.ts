/**
 * createIndex that survives a release changing an index's options. MongoDB names an index after its keys
 * (`ticketRef_1`), so when a release makes `{ ticketRef: 1 }` sparse (as 37740aa did), the server refuses the
 * new spec with IndexOptionsConflict (85) or IndexKeySpecsConflict (86), and start-up would stop on upgrade.
 * NeDB rebuilds its indexes from the specs at every start, so there the newest spec simply applies.
 */
import type { Collection as DriverCollection, CreateIndexesOptions, IndexDescriptionInfo } from 'mongodb';
import type { IndexSpec } from '../types';

const INDEX_CONFLICT_CODES = new Set([85, 86]);

/** An index build on a large collection answers only when done; start-up may wait this long for one. */
export const INDEX_BUILD_TIMEOUT_MS = 15 * 60_000;

type IndexDriver = Pick<DriverCollection, 'createIndex' | 'indexes' | 'dropIndex'>;

/** Only the options that are set: MongoDB 5.0 before 5.0.28 told `sparse: false` apart from no `sparse` (SERVER-91562). */
function indexOptionsOf(spec: Pick<IndexSpec, 'unique' | 'sparse'>): CreateIndexesOptions {
  return { ...(spec.unique && { unique: true }), ...(spec.sparse && { sparse: true }) };
}

/**
 * `socketTimeoutMS` here lets a build outlast the client's ordinary bound: driver 7.9 hands an operation's own
 * options to the connection, which prefers them to the client's (cmap/connection.js, sendWire). Not in the typings.
 */
export interface IndexBuildOptions {
  socketTimeoutMS?: number;
}

/** What the engine builds its indexes with: longer than any operation bound config allows (MONGODB_OPERATION_TIMEOUT_MS ≤ 10 min). */
export const INDEX_BUILD: IndexBuildOptions = { socketTimeoutMS: INDEX_BUILD_TIMEOUT_MS };

export async function ensureIndex(driver: IndexDriver, spec: IndexSpec, build: IndexBuildOptions = {}): Promise<void> {
  const options: CreateIndexesOptions = { ...indexOptionsOf(spec), ...build };
  try {
    await driver.createIndex(spec.fields, options);
    return;
  } catch (error) {
    if (!INDEX_CONFLICT_CODES.has((error as { code?: unknown }).code as number)) throw error;
  }
  const existing = await driver.indexes();
  // The same index under another name (made by hand, say) already serves.
  if (existing.some((index) => sameKeys(index.key, spec.fields) && sameOptions(index, spec))) return;
  const name = defaultIndexName(spec.fields);
  const stale = existing.filter((index) => index.name !== '_id_' && (index.name === name || sameKeys(index.key, spec.fields)));
  for (const index of stale) await driver.dropIndex(index.name as string);
  try {
    await driver.createIndex(spec.fields, options);
  } catch (error) {
    // E.g. a new unique index over duplicates: put the old index back, so queries keep it, and report.
    for (const index of stale) {
      await driver.createIndex(index.key, { name: index.name, ...indexOptionsOf(index), ...build }).catch(() => undefined);
    }
    throw error;
  }
}

/** The name MongoDB (and the driver) give an index when none is named: `field_1_other_-1`. */
function defaultIndexName(fields: Record<string, 1 | -1>): string {
  return Object.entries(fields)
    .map(([field, direction]) => `${field}_${direction}`)
    .join('_');
}

function sameKeys(key: Record<string, unknown>, fields: Record<string, 1 | -1>): boolean {
  const a = Object.entries(key);
  const b = Object.entries(fields);
  return a.length === b.length && a.every(([field, direction], i) => field === b[i]?.[0] && Number(direction) === b[i]?.[1]);
}

function sameOptions(index: IndexDescriptionInfo, spec: IndexSpec): boolean {
  return (
    Boolean(index.unique) === Boolean(spec.unique) &&
    Boolean(index.sparse) === Boolean(spec.sparse) &&
    index.partialFilterExpression === undefined &&
    index.collation === undefined &&
    index.expireAfterSeconds === undefined
  );
}
