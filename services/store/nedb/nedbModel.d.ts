// NeDB's document model module: exported by the package but shipped without types.
// We use `modify` to build upserted documents with exactly NeDB's update semantics.
declare module '@seald-io/nedb/lib/model' {
  export function modify<T extends object>(doc: T, update: Record<string, unknown>): T;
  /** One document as one datafile line. */
  export function serialize(doc: object): string;
}
