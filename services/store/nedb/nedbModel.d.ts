// NeDB's document model module: exported by the package but shipped without types.
// `modify` builds upserted documents with exactly NeDB's update semantics; the archive's segments use
// `getDotValue` and `compareThings` to index and sort the way one NeDB datastore would.
declare module '@seald-io/nedb/lib/model' {
  export function modify<T extends object>(doc: T, update: Record<string, unknown>): T;
  /** One document as one datafile line. */
  export function serialize(doc: object): string;
  /** The value at a dotted path; an array of values where the path crosses an array. */
  export function getDotValue(doc: object, field: string): unknown;
  /** NeDB's total order over values (what its sort uses). */
  export function compareThings(a: unknown, b: unknown): number;
}
