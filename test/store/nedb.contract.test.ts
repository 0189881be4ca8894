import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { openNedbDatabase } from '../../services/store/nedb/nedbDatabase';
import { DuplicateKeyError, type Document } from '../../services/store/types';
import { describeStoreContract } from './contractCases';

const tempDirs: string[] = [];
function freshDataDir(): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'store-nedb-'));
  tempDirs.push(dir);
  return dir;
}
afterAll(() => {
  for (const dir of tempDirs) fs.rmSync(dir, { recursive: true, force: true });
});

describeStoreContract('NeDB (files)', async () => openNedbDatabase(freshDataDir()));
describeStoreContract('NeDB (in memory)', async () => openNedbDatabase(':memory:'));
// Archive collections hold the same contract, with segments of three documents so every case crosses segments.
describeStoreContract('NeDB archive collections (3-document segments)', async () => {
  const database = await openNedbDatabase(freshDataDir());
  return { ...database, engine: database.engine, ping: () => database.ping(), close: () => database.close(), archive: (name, options) => database.archive(name, options), collection: (name) => database.archive(name, { segmentSize: 3, rangeFields: ['at'] }) };
});

interface Note extends Document {
  text: string;
  at: Date;
  ref?: string;
}

describe('NeDB engine', () => {
  it('keeps documents, Dates and unique indexes across a close and reopen of the same directory', async () => {
    const dir = freshDataDir();
    const first = await openNedbDatabase(dir);
    const notes = first.collection<Note>('notes');
    await notes.createIndex({ fields: { ref: 1 }, unique: true });
    await notes.insertOne({ _id: 'n1', text: 'hello', at: new Date('2024-03-01T10:00:00Z'), ref: 'R-1' });
    await first.close();

    const second = await openNedbDatabase(dir);
    const reopened = second.collection<Note>('notes');
    const found = await reopened.findOne({ _id: 'n1' });
    expect(found).toEqual({ _id: 'n1', text: 'hello', at: new Date('2024-03-01T10:00:00Z'), ref: 'R-1' });
    expect(found?.at).toBeInstanceOf(Date);
    await expect(reopened.insertOne({ text: 'again', at: new Date(), ref: 'R-1' })).rejects.toBeInstanceOf(DuplicateKeyError);
    await second.close();
  });

  it('writes one file per collection and compacts it on close', async () => {
    const dir = freshDataDir();
    const database = await openNedbDatabase(dir);
    const counters = database.collection<Document & { n: number }>('counters');
    await counters.insertOne({ _id: 'c', n: 0 });
    for (let i = 0; i < 5; i++) await counters.updateOne({ _id: 'c' }, { $inc: { n: 1 } });
    await database.close();

    const lines = fs.readFileSync(path.join(dir, 'counters.db'), 'utf8').split('\n').filter(Boolean);
    expect(lines).toHaveLength(1);
    expect(JSON.parse(lines[0] ?? '{}')).toEqual({ _id: 'c', n: 5 });
  });

  it('creates a missing data directory', async () => {
    const dir = path.join(freshDataDir(), 'nested', 'data');
    const database = await openNedbDatabase(dir);
    await database.collection<Note>('notes').insertOne({ text: 'x', at: new Date() });
    await database.close();
    expect(fs.existsSync(path.join(dir, 'notes.db'))).toBe(true);
  });

  it('refuses to open a directory that is already open in this process', async () => {
    const dir = freshDataDir();
    const database = await openNedbDatabase(dir);
    await expect(openNedbDatabase(dir)).rejects.toMatchObject({ code: 'STORE_UNAVAILABLE' });
    await database.close();
    const again = await openNedbDatabase(dir);
    await again.close();
  });

  it('reports a corrupt datafile as STORE_UNAVAILABLE on use and leaves the file alone', async () => {
    const dir = freshDataDir();
    const garbage = 'not json\n'.repeat(20);
    fs.writeFileSync(path.join(dir, 'broken.db'), garbage);
    const database = await openNedbDatabase(dir);
    const broken = database.collection<Note>('broken');
    await expect(broken.find({})).rejects.toMatchObject({ code: 'STORE_UNAVAILABLE' });
    await expect(database.ping()).rejects.toMatchObject({ code: 'STORE_UNAVAILABLE' });
    await database.close();
    expect(fs.readFileSync(path.join(dir, 'broken.db'), 'utf8')).toBe(garbage);
  });

  it('keeps writes made after a background compaction (the datafile is rewritten under the append handle)', async () => {
    const dir = freshDataDir();
    const database = await openNedbDatabase(dir, { compactEveryMs: 20 });
    const notes = database.collection<Note>('notes');
    await notes.insertOne({ _id: 'before', text: 'written before compaction' } as Note);
    await new Promise((resolve) => setTimeout(resolve, 100));
    await notes.insertOne({ _id: 'after', text: 'written after compaction' } as Note);
    await notes.updateOne({ _id: 'before' }, { $set: { text: 'changed after compaction' } });
    const onDisk = fs.readFileSync(path.join(dir, 'notes.db'), 'utf8');
    expect(onDisk).toContain('written after compaction');
    expect(onDisk).toContain('changed after compaction');
    await database.close();
    const reopened = await openNedbDatabase(dir);
    expect((await reopened.collection<Note>('notes').find({}, { sort: { _id: 1 } })).map((note) => note._id)).toEqual(['after', 'before']);
    expect(await reopened.collection<Note>('notes').findOne({ _id: 'before' })).toMatchObject({ text: 'changed after compaction' });
    await reopened.close();
  });

  it('compacts in the background and reports compaction failures to the handler', async () => {
    const dir = freshDataDir();
    const errors: unknown[] = [];
    const database = await openNedbDatabase(dir, { compactEveryMs: 20, onBackgroundError: (error) => errors.push(error) });
    const counters = database.collection<Document & { n: number }>('counters');
    await counters.insertOne({ _id: 'c', n: 0 });
    await counters.updateOne({ _id: 'c' }, { $inc: { n: 1 } });
    // The timer fires on its own schedule (later on a busy machine): wait for the rewrite, not for a fixed time.
    const lines = () => fs.readFileSync(path.join(dir, 'counters.db'), 'utf8').split('\n').filter(Boolean);
    await expect.poll(lines, { timeout: 10_000 }).toHaveLength(1);
    expect(errors).toEqual([]);
    await database.close();
  });
});
