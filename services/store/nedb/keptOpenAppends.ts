/**
 * NeDB appends each write to its datafile with fs.appendFile: open, write, close, every time. This keeps one
 * descriptor per datafile, dropped whenever NeDB rewrites the file (loading and compaction write a new file
 * and rename it over the old one), and writes with a synchronous write(2): a small append lands in the page
 * cache in a few microseconds, where handing it to the thread pool and back costs ten times that in CPU and
 * keeps every write of a collection waiting its turn. Same durability as NeDB's own: the line is in the
 * file (the OS's cache) before the write resolves; neither flushes to disk on every write.
 */
import { closeSync, openSync, writeSync } from 'node:fs';
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
  let fd: number | undefined;
  const release = async (): Promise<void> => {
    const current = fd;
    fd = undefined;
    if (current !== undefined) closeSync(current);
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
    fd ??= openSync(persistence.filename, 'a', 0o644);
    const bytes = Buffer.from(lines, 'utf8');
    // write(2) may write less than asked (a full disk, a signal): carry on from where it stopped.
    for (let written = 0; written < bytes.length; ) written += writeSync(fd, bytes, written);
  };
  return { release };
}
