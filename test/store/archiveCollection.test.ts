import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { ArchiveCollection } from '../../services/store/nedb/archiveCollection';
import { openNedbDatabase } from '../../services/store/nedb/nedbDatabase';
import { DuplicateKeyError, type Document } from '../../services/store/types';

interface Post extends Document {
  author: string;
  linkId?: string;
  receivedAt: Date;
  text: string;
}

const dirs: string[] = [];
afterAll(() => dirs.forEach((dir) => fs.rmSync(dir, { recursive: true, force: true })));

function freshDir(): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'archive-'));
  dirs.push(dir);
  return dir;
}

/** Opens the archive as the app does; a second one on the same directory is what a restart after a crash sees. */
async function openArchive(dir: string): Promise<ArchiveCollection<Post>> {
  const archive = new ArchiveCollection<Post>('posts', dir, { segmentSize: 10, loadedSegments: 1, rangeFields: ['receivedAt'] }, () => undefined);
  await archive.createIndex({ fields: { linkId: 1 }, unique: true, sparse: true });
  await archive.createIndex({ fields: { author: 1 } });
  return archive;
}

/** An archive holding posts 0…count-1, written and closed by an earlier process, opened again. */
async function reopenedWith(count: number): Promise<ArchiveCollection<Post>> {
  const dir = freshDir();
  const first = await openArchive(dir);
  for (let i = 0; i < count; i++) await first.insertOne(post(i));
  await first.close();
  return openArchive(dir);
}

const at = (minute: number) => new Date(Date.UTC(2026, 10, 22, 9, minute));
const post = (i: number): Post => ({ _id: `x:${i}`, author: `fan${i % 7}`, receivedAt: at(i), text: `post ${i}`, ...(i % 3 === 0 && { linkId: `link-${i}` }) });

describe('archive collection (the embedded engine keeps piling-up documents on disk, not in memory)', () => {
  it('holds only the newest segment and one sealed segment in memory, however many documents arrive', async () => {
    const dir = freshDir();
    const archive = await openArchive(dir);
    for (let i = 0; i < 95; i++) await archive.insertOne(post(i));
    expect(await archive.stats()).toMatchObject({ segments: 10, loaded: 2 });
    // Looking up old documents loads their segments for a while, never all of them.
    for (const i of [0, 15, 33, 47, 61, 78]) expect(await archive.findOne({ _id: `x:${i}` })).toMatchObject({ text: `post ${i}` });
    expect((await archive.stats()).loaded).toBe(2);
    expect(fs.readdirSync(dir).filter((file) => file.endsWith('.db'))).toHaveLength(10);
    await archive.close();
  });

  it('finds by _id, by an indexed field, by a date range and by anything else, across segments and after a restart', async () => {
    const archive = await reopenedWith(45);
    expect(await archive.findOne({ linkId: 'link-12' })).toMatchObject({ _id: 'x:12' });
    expect((await archive.find({ author: 'fan3' }, { sort: { receivedAt: 1 } })).map((p) => p._id)).toEqual(['x:3', 'x:10', 'x:17', 'x:24', 'x:31', 'x:38']);
    expect(await archive.countDocuments({ receivedAt: { $gte: at(20), $lt: at(25) } })).toBe(5);
    expect((await archive.find({ text: { $regex: /^post 4\d$/ } }, { sort: { _id: -1 }, limit: 2 })).map((p) => p._id)).toEqual(['x:44', 'x:43']);
    expect(await archive.findOne({ _id: 'x:999' })).toBeNull();
    await archive.close();
  });

  it('refuses a second document with a unique value that lives in a sealed segment, also after a restart', async () => {
    const archive = await reopenedWith(25);
    await expect(archive.insertOne(post(3))).rejects.toBeInstanceOf(DuplicateKeyError);
    await expect(archive.insertOne({ ...post(100), linkId: 'link-6' })).rejects.toBeInstanceOf(DuplicateKeyError);
    await expect(archive.updateOne({ _id: 'x:22' }, { $set: { linkId: 'link-9' } })).rejects.toBeInstanceOf(DuplicateKeyError);
    expect(await archive.countDocuments({})).toBe(25);
    await archive.close();
  });

  it('loses nothing when the process dies without closing: the newest segment is summarised again from its file', async () => {
    const dir = freshDir();
    const crashed = await openArchive(dir);
    for (let i = 0; i < 27; i++) await crashed.insertOne(post(i));
    // No close(): the newest segment's summary was never written.

    const archive = await openArchive(dir);
    expect(await archive.findOne({ _id: 'x:26' })).toMatchObject({ text: 'post 26' });
    expect(await archive.findOne({ linkId: 'link-24' })).toMatchObject({ _id: 'x:24' });
    await expect(archive.insertOne(post(25))).rejects.toBeInstanceOf(DuplicateKeyError);
    await archive.close();
  });

  it('writes a sealed segment\'s summary as soon as an indexed value changes there, so a crash cannot hide the new value', async () => {
    const dir = freshDir();
    const crashed = await openArchive(dir);
    for (let i = 0; i < 25; i++) await crashed.insertOne(post(i));
    await crashed.updateOne({ _id: 'x:2' }, { $set: { author: 'renamed', receivedAt: at(59) } });

    const archive = await openArchive(dir);
    expect(await archive.findOne({ author: 'renamed' })).toMatchObject({ _id: 'x:2' });
    expect(await archive.find({ receivedAt: { $gte: at(59) } })).toHaveLength(1);
    await archive.close();
  });

  it('takes concurrent inserts while segments fill and roll over, each exactly once', async () => {
    const archive = await openArchive(freshDir());
    const ids = Array.from({ length: 200 }, (_, i) => i);
    const results = await Promise.allSettled([...ids, ...ids.slice(0, 50)].map((i) => archive.insertOne(post(i))));
    expect(results.filter((result) => result.status === 'rejected')).toHaveLength(50);
    expect(await archive.countDocuments({})).toBe(200);
    for (const i of [0, 99, 199]) expect(await archive.findOne({ _id: `x:${i}` })).toMatchObject({ text: `post ${i}` });
    expect((await archive.stats()).segments).toBeGreaterThanOrEqual(20);
    await archive.close();
  });

  it('takes over a collection that was a plain datafile before it became an archive, once', async () => {
    const dataDir = freshDir();
    const plain = await openNedbDatabase(dataDir);
    const before = plain.collection<Post>('posts');
    for (let i = 0; i < 23; i++) await before.insertOne(post(i));
    await plain.close();

    const archive = await openArchive(path.join(dataDir, 'posts.archive'));
    expect(await archive.countDocuments({})).toBe(23);
    expect(await archive.findOne({ linkId: 'link-21' })).toMatchObject({ _id: 'x:21' });
    await expect(archive.insertOne(post(4))).rejects.toBeInstanceOf(DuplicateKeyError);
    expect((await archive.stats()).segments).toBe(3);
    await archive.close();
    expect(fs.existsSync(path.join(dataDir, 'posts.db'))).toBe(false);
    expect(fs.existsSync(path.join(dataDir, 'posts.db.archived'))).toBe(true);
  });

  it('opens again without reading every segment: only the newest is read, and a lookup reads the one that holds the answer', async () => {
    const archive = await reopenedWith(95);
    expect((await archive.stats()).loads).toBe(1);
    expect(await archive.findOne({ _id: 'x:42' })).toMatchObject({ text: 'post 42' });
    expect(await archive.findOne({ linkId: 'link-93' })).toMatchObject({ _id: 'x:93' });
    expect(await archive.countDocuments({ receivedAt: { $gte: at(50), $lt: at(52) } })).toBe(2);
    expect((await archive.stats()).loads).toBe(3);
    await archive.close();
  });

  it('reads only the newest segments for "the latest n" and for a page of a date window, and gets the same answer', async () => {
    const archive = await reopenedWith(95);
    const opened = (await archive.stats()).loads;
    expect((await archive.find({}, { sort: { receivedAt: -1 }, limit: 3 })).map((p) => p._id)).toEqual(['x:94', 'x:93', 'x:92']);
    expect((await archive.find({ receivedAt: { $gte: at(20) } }, { sort: { receivedAt: 1, _id: 1 }, limit: 12 })).map((p) => p._id)).toEqual(
      Array.from({ length: 12 }, (_, i) => `x:${20 + i}`),
    );
    // The newest segment is loaded already; the window's page needs segments 3 and 4 only.
    expect((await archive.stats()).loads - opened).toBe(2);
    // Without a limit every match is read, in order.
    expect((await archive.find({ author: 'fan0' }, { sort: { receivedAt: -1 } })).map((p) => p._id).slice(0, 2)).toEqual(['x:91', 'x:84']);
    await archive.close();
  });

  it('answers STORE_UNAVAILABLE for a query that needs an unreadable segment, serves the others, and leaves the file alone', async () => {
    const dir = freshDir();
    const first = await openArchive(dir);
    for (let i = 0; i < 35; i++) await first.insertOne(post(i));
    await first.close();
    const garbage = 'not json\n'.repeat(20);
    fs.writeFileSync(path.join(dir, '000002.db'), garbage);

    const archive = await openArchive(dir);
    await expect(archive.findOne({ _id: 'x:12' })).rejects.toMatchObject({ code: 'STORE_UNAVAILABLE' });
    expect(await archive.findOne({ _id: 'x:25' })).toMatchObject({ text: 'post 25' });
    expect(await archive.findOne({ _id: 'x:3' })).toMatchObject({ text: 'post 3' });
    await archive.close();
    expect(fs.readFileSync(path.join(dir, '000002.db'), 'utf8')).toBe(garbage);
  });
});
