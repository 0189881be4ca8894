import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { openMongoDatabase } from '../../services/store/mongo/mongoDatabase';
import { openDatabase } from '../../services/store/openDatabase';

const root = fs.mkdtempSync(path.join(os.tmpdir(), 'store-open-'));
afterAll(() => fs.rmSync(root, { recursive: true, force: true }));

describe('openDatabase', () => {
  it('uses NeDB files under the data directory when no MongoDB URI is given, creating the directory', async () => {
    const dataDir = path.join(root, 'no-uri', 'data');
    const database = await openDatabase({ dataDir });
    expect(database.engine).toBe('nedb');
    await database.collection('probe').insertOne({});
    await database.close();
    expect(fs.existsSync(path.join(dataDir, 'probe.db'))).toBe(true);
  });

  it('refuses a data directory another running process holds (a bot, when the agent CLI starts), and takes over a lock left by one that is gone', async () => {
    const dataDir = path.join(root, 'locked');
    fs.mkdirSync(dataDir, { recursive: true });
    // The parent of this test process is alive and is not us: it stands for the running bot.
    fs.writeFileSync(path.join(dataDir, '.lock'), String(process.ppid));
    await expect(openDatabase({ dataDir })).rejects.toThrow(`is in use by process ${process.ppid}`);

    fs.writeFileSync(path.join(dataDir, '.lock'), '2147483646'); // no such process
    const database = await openDatabase({ dataDir });
    expect(fs.readFileSync(path.join(dataDir, '.lock'), 'utf8')).toBe(String(process.pid));
    await database.close();
    expect(fs.existsSync(path.join(dataDir, '.lock'))).toBe(false);
  });

  it('treats a blank MongoDB URI as not given', async () => {
    const database = await openDatabase({ mongodbUri: '  ', dataDir: path.join(root, 'blank-uri') });
    expect(database.engine).toBe('nedb');
    await database.close();
  });
});

describe('openMongoDatabase without a server', () => {
  it('fails with STORE_UNAVAILABLE when no server answers in time', async () => {
    const attempt = openMongoDatabase('mongodb://127.0.0.1:1', 'unreachable', { serverSelectionTimeoutMS: 300 });
    await expect(attempt).rejects.toMatchObject({ code: 'STORE_UNAVAILABLE' });
  });

  it('fails with INVALID_OPERATION and no password in the message when the URI is malformed', async () => {
    const error = await openMongoDatabase('mongo://user:secret@host').catch((caught: unknown) => caught);
    expect(error).toMatchObject({ code: 'INVALID_OPERATION' });
    expect((error as Error).message).not.toContain('secret');
  });
});
