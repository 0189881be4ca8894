/**
 * NeDB appends each write to its datafile with fs.appendFile: open, write, close, every time. Under load the
 * opening and closing cost as much as the writing, so this keeps one append handle per datafile, and drops
 * it whenever NeDB rewrites the file (loading and compaction write a new file and rename it over the old one).
 * Same durability as before: neither flushes to disk on every write.
 */
import { type FileHandle, open } from 'node:fs/promises';
import { serialize } from '@seald-io/nedb/lib/model';

/** The part of NeDB's (internal) Persistence this replaces. */
interface NedbPersistence {
  inMemoryOnly: boolean;
  filename: string;
  afterSerialization(line: string): string | Promise<string>;
  persistNewStateAsync(docs: object[]): Promise<void>;
  persistCachedDatabaseAsync(): Promise<void>;
}

export function keepAppendHandleOpen(store: { persistence: unknown }): { release(): Promise<void> } {
  const persistence = store.persistence as NedbPersistence;
  let handle: FileHandle | undefined;
  const release = async (): Promise<void> => {
    const current = handle;
    handle = undefined;
    await current?.close();
  };
  if (persistence.inMemoryOnly) return { release };

  const rewriteWholeFile = persistence.persistCachedDatabaseAsync.bind(persistence);
  persistence.persistCachedDatabaseAsync = async () => {
    await release();
    await rewriteWholeFile();
  };
  persistence.persistNewStateAsync = async (docs) => {
    let lines = '';
    for (const doc of docs) lines += `${await persistence.afterSerialization(serialize(doc))}\n`;
    if (lines.length === 0) return;
    handle ??= await open(persistence.filename, 'a', 0o644);
    await handle.appendFile(lines, 'utf8');
  };
  return { release };
}
