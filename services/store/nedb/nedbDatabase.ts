import { constants as fsConstants, promises as fs } from 'node:fs';
import path from 'node:path';
import Datastore from '@seald-io/nedb';
import { assertCollectionName } from '../portRules';
import { StoreError, type ArchiveOptions, type Collection, type Database, type Document } from '../types';
import { ArchiveCollection } from './archiveCollection';
import { NedbCollection, type StoredDocument } from './nedbCollection';
import { keepAppendHandleOpen } from './keptOpenAppends';

export interface NedbDatabaseOptions {
  /** Keep everything in memory (unit tests). Also chosen by passing ':memory:' as the directory. */
  inMemory?: boolean;
  /** How often the append-only datafiles are rewritten; defaults to every 10 minutes. */
  compactEveryMs?: number;
  /** Where failures of background compaction go; defaults to a process warning. */
  onBackgroundError?: (error: StoreError) => void;
}

const TEN_MINUTES_MS = 10 * 60 * 1000;

// Two datastores appending to one file corrupt it; NeDB has no lock of its own.
const directoriesInUse = new Set<string>();

/** Opens the embedded engine: one `<name>.db` file per collection under `dataDir`, kept across restarts. */
export async function openNedbDatabase(dataDir: string, options: NedbDatabaseOptions = {}): Promise<Database> {
  if (options.inMemory || dataDir === ':memory:') return new NedbDatabase(null, options);
  const directory = path.resolve(dataDir);
  if (directoriesInUse.has(directory)) {
    throw new StoreError('STORE_UNAVAILABLE', `Data directory ${directory} is already open in this process.`);
  }
  directoriesInUse.add(directory);
  try {
    await fs.mkdir(directory, { recursive: true });
    await fs.access(directory, fsConstants.W_OK);
    await lockDirectory(directory);
  } catch (error) {
    directoriesInUse.delete(directory);
    if (error instanceof StoreError) throw error;
    throw new StoreError('STORE_UNAVAILABLE', `Cannot use data directory ${directory}.`, { cause: error });
  }
  return new NedbDatabase(directory, options);
}

const LOCK_FILE = '.lock';

/**
 * One process per data directory, across processes too: a second bot or the agent CLI writing the same files
 * would corrupt them, or see its writes vanish at the running bot's next compaction. A lock left by a
 * process that is gone is taken over.
 */
async function lockDirectory(directory: string): Promise<void> {
  const lock = path.join(directory, LOCK_FILE);
  try {
    await fs.writeFile(lock, String(process.pid), { flag: 'wx' });
    return;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
  }
  const holder = Number((await fs.readFile(lock, 'utf8')).trim());
  if (holder > 0 && holder !== process.pid && isRunning(holder)) {
    throw new StoreError(
      'STORE_UNAVAILABLE',
      `Data directory ${directory} is in use by process ${holder} (a running bot?). Stop it first; several processes need MongoDB. If no bot runs, delete ${lock}.`,
    );
  }
  await fs.writeFile(lock, String(process.pid));
}

function isRunning(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

async function unlockDirectory(directory: string): Promise<void> {
  const lock = path.join(directory, LOCK_FILE);
  const holder = await fs.readFile(lock, 'utf8').catch(() => '');
  if (holder.trim() === String(process.pid)) await fs.rm(lock, { force: true });
}

interface OpenCollection {
  collection: NedbCollection<Document>;
  loaded: Promise<void>;
  file: string;
  appends: { release(): Promise<void> };
}

class NedbDatabase implements Database {
  readonly engine = 'nedb' as const;
  private readonly collections = new Map<string, OpenCollection>();
  private readonly archives = new Map<string, ArchiveCollection<Document>>();
  private readonly compactionTimer: NodeJS.Timeout | undefined;
  private closing: Promise<void> | undefined;
  private closed = false;

  constructor(
    /** null when in memory. */
    private readonly directory: string | null,
    private readonly options: NedbDatabaseOptions,
  ) {
    if (directory) {
      // Our own timer rather than NeDB's setAutocompactionInterval: that one keeps the process alive
      // and lets a failed compaction become an unhandled rejection.
      this.compactionTimer = setInterval(() => void this.compactAll(), options.compactEveryMs ?? TEN_MINUTES_MS);
      this.compactionTimer.unref();
    }
  }

  collection<T extends Document>(name: string): Collection<T> {
    assertCollectionName(name);
    this.assertOpen();
    const open = this.collections.get(name) ?? this.openCollection(name);
    return open.collection as unknown as Collection<T>;
  }

  archive<T extends Document>(name: string, options: ArchiveOptions = {}): Collection<T> {
    assertCollectionName(name);
    this.assertOpen();
    // In memory there is nothing to keep out of memory.
    if (!this.directory) return this.collection<T>(name);
    let archive = this.archives.get(name);
    if (!archive) {
      archive = new ArchiveCollection<Document>(name, path.join(this.directory, `${name}.archive`), options, () => this.assertOpen());
      this.archives.set(name, archive);
    }
    return archive as unknown as Collection<T>;
  }

  async ping(): Promise<void> {
    this.assertOpen();
    if (this.directory) await this.checkDirectoryWritable(this.directory);
    await Promise.all([...this.collections.values()].map((open) => this.whenLoaded(open)));
    await Promise.all([...this.archives.values()].map((archive) => archive.ping()));
  }

  close(): Promise<void> {
    this.closing ??= this.shutdown();
    return this.closing;
  }

  private openCollection(name: string): OpenCollection {
    const file = this.directory ? path.join(this.directory, `${name}.db`) : `(memory) ${name}`;
    const store = new Datastore<StoredDocument>({
      filename: this.directory ? file : undefined,
      inMemoryOnly: !this.directory,
      autoload: true,
      // Without a handler NeDB rethrows a load failure as an unhandled rejection; we report it on use instead.
      onload: () => undefined,
    });
    const appends = keepAppendHandleOpen(store);
    const loaded = store.autoloadPromise ?? Promise.resolve();
    const collection = new NedbCollection<Document>(name, store, async () => {
      this.assertOpen();
      await this.whenLoaded({ file, loaded });
    });
    const open = { file, loaded, collection, appends };
    this.collections.set(name, open);
    return open;
  }

  private async whenLoaded(open: Pick<OpenCollection, 'file' | 'loaded'>): Promise<void> {
    try {
      await open.loaded;
    } catch (error) {
      throw new StoreError('STORE_UNAVAILABLE', `Could not load datafile ${open.file}.`, { cause: error });
    }
  }

  private async checkDirectoryWritable(directory: string): Promise<void> {
    try {
      await fs.access(directory, fsConstants.W_OK);
    } catch (error) {
      throw new StoreError('STORE_UNAVAILABLE', `Data directory ${directory} is not writable.`, { cause: error });
    }
  }

  private async compactAll(): Promise<void> {
    if (!this.directory) return;
    const results = await Promise.allSettled([
      ...[...this.collections.values()].map((open) => this.compact(open)),
      ...[...this.archives.values()].map((archive) => archive.compactDatafile()),
    ]);
    for (const result of results) {
      if (result.status === 'rejected') this.reportBackgroundError(result.reason);
    }
  }

  private async compact(open: OpenCollection): Promise<void> {
    // Never compact a datafile that failed to load: the rewrite would replace it with an empty one.
    const loaded = await open.loaded.then(() => true, () => false);
    if (!loaded) return;
    try {
      await open.collection.compactDatafile();
    } catch (error) {
      throw new StoreError('STORE_UNAVAILABLE', `Could not compact datafile ${open.file}.`, { cause: error });
    }
  }

  private reportBackgroundError(error: unknown): void {
    const storeError = error instanceof StoreError ? error : new StoreError('STORE_UNAVAILABLE', String(error), { cause: error });
    if (this.options.onBackgroundError) this.options.onBackgroundError(storeError);
    else process.emitWarning(storeError);
  }

  private async shutdown(): Promise<void> {
    this.closed = true;
    clearInterval(this.compactionTimer);
    try {
      if (this.directory) await Promise.all([...this.collections.values()].map((open) => this.compact(open)));
    } finally {
      const archives = await Promise.allSettled([...this.archives.values()].map((archive) => archive.close()));
      for (const result of archives) if (result.status === 'rejected') this.reportBackgroundError(result.reason);
      await Promise.all([...this.collections.values()].map((open) => open.appends.release()));
      if (this.directory) {
        await unlockDirectory(this.directory);
        directoriesInUse.delete(this.directory);
      }
    }
  }

  private assertOpen(): void {
    if (this.closed) throw new StoreError('STORE_UNAVAILABLE', 'The NeDB database is closed.');
  }
}
