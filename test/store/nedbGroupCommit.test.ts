import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { openNedbDatabase } from '../../services/store/nedb/nedbDatabase';
import { DuplicateKeyError, type Document } from '../../services/store/types';

interface Post extends Document {
  text: string;
  linkId?: string;
}

const tempDirs: string[] = [];
afterAll(() => {
  for (const dir of tempDirs) fs.rmSync(dir, { recursive: true, force: true });
});

describe('NeDB concurrent inserts (written to the datafile as one batch)', () => {
  it('when concurrent inserts include clashes, then only the clashing ones fail and the rest survive a reopen', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'store-nedb-batch-'));
    tempDirs.push(dir);
    const db = await openNedbDatabase(dir);
    const posts = db.collection<Post>('posts');
    await posts.createIndex({ fields: { linkId: 1 }, unique: true, sparse: true });
    await posts.insertOne({ _id: 'x:1', text: 'first delivery' });

    const outcomes = await Promise.allSettled([
      posts.insertOne({ _id: 'x:2', text: 'two', linkId: 'a' }),
      posts.insertOne({ _id: 'x:1', text: 'redelivery' }),
      posts.insertOne({ _id: 'x:3', text: 'three', linkId: 'a' }),
      posts.insertOne({ _id: 'x:4', text: 'four' }),
    ]);

    expect(outcomes.map((outcome) => outcome.status)).toEqual(['fulfilled', 'rejected', 'rejected', 'fulfilled']);
    for (const outcome of outcomes) if (outcome.status === 'rejected') expect(outcome.reason).toBeInstanceOf(DuplicateKeyError);
    await db.close();
    const reopened = await openNedbDatabase(dir);
    const texts = (await reopened.collection<Post>('posts').find({}, { sort: { _id: 1 } })).map((post) => post.text);
    expect(texts).toEqual(['first delivery', 'two', 'four']);
    await reopened.close();
  });

  it('when many inserts arrive at once, then every one is stored and returned with its id', async () => {
    const db = await openNedbDatabase(':memory:');
    const posts = db.collection<Post>('posts');
    const stored = await Promise.all(Array.from({ length: 50 }, (_, i) => posts.insertOne({ text: `post ${i}` })));
    expect(new Set(stored.map((post) => post._id)).size).toBe(50);
    expect(stored.map((post) => post.text)).toEqual(Array.from({ length: 50 }, (_, i) => `post ${i}`));
    expect(await posts.countDocuments({})).toBe(50);
    await db.close();
  });
});
