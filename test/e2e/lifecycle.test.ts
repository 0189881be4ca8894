/**
 * What operators and customers see when things go wrong or the bot is redeployed: a failed turn is
 * explained and the conversation starts cleanly next time; SIGTERM lets turns in flight finish.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { App } from '../../index';
import { openNedbDatabase } from '../../services/store/nedb/nedbDatabase';
import type { Collection, Database, Document } from '../../services/store/types';
import { FakeChannel } from '../support/fakeChannel';
import { startTestApp, tempDataDir } from '../support/testApp';

/** The real store, except that the next insert into `tickets` fails once, as a lost connection would. */
function withOneFailingTicketInsert(db: Database): Database {
  let failNext = true;
  return {
    engine: db.engine,
    ping: () => db.ping(),
    close: () => db.close(),
    archive: (name, options) => db.archive(name, options),
    collection<T extends Document>(name: string): Collection<T> {
      const real = db.collection<T>(name);
      if (name !== 'tickets') return real;
      return new Proxy(real, {
        get(target, property, receiver) {
          if (property === 'insertOne') {
            return async (doc: Parameters<Collection<T>['insertOne']>[0]) => {
              if (failNext) {
                failNext = false;
                throw new Error('connection reset by peer');
              }
              return target.insertOne(doc);
            };
          }
          return Reflect.get(target, property, receiver);
        },
      });
    },
  };
}

describe('a turn that fails', () => {
  let app: App | undefined;
  let channel: FakeChannel | undefined;
  afterEach(async () => {
    await channel?.stop();
    await app?.close();
  });

  it('tells the customer plainly, clears the broken dialog, and the next report opens its ticket', async () => {
    const db = withOneFailingTicketInsert(await openNedbDatabase(tempDataDir()));
    app = await startTestApp({}, { database: db });
    channel = await new FakeChannel().start(`${app.url}/api/messages`);
    const priya = channel.user();
    await priya.says('order AB-2024117 arrived smashed');
    await priya.says('here only');
    const failed = await priya.says('yes');
    expect(failed.join('\n')).toMatch(/something went wrong on my side/i);
    expect(await app.tickets.listForCustomer({ channelId: 'emulator', userId: priya.userId })).toHaveLength(0);

    // The broken dialog is gone: the next message is read afresh, not as an answer to the old summary.
    const again = await priya.says('order AB-2024117 arrived smashed');
    expect(again.join('\n')).toMatch(/How can we reach you/);
    await priya.says('here only');
    const opened = await priya.says('yes');
    expect(opened.join('\n')).toMatch(/Your ticket is \*\*CS-/);
    await db.close();
  });
});

describe('SIGTERM', () => {
  let child: ChildProcess | undefined;
  let channel: FakeChannel | undefined;
  afterEach(async () => {
    child?.kill('SIGKILL');
    await channel?.stop();
  });

  it('finishes the turn in flight, then exits cleanly with its data kept', async () => {
    const root = path.join(__dirname, '..', '..');
    const dataDir = tempDataDir();
    child = spawn(process.execPath, ['--import', 'tsx', path.join(root, 'index.ts')], {
      cwd: root,
      env: { ...process.env, PORT: '0', DATA_DIR: dataDir, LOCAL_TRY_IT: 'false', LOG_LEVEL: 'info', SHUTDOWN_GRACE_MS: '10000' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    const port = await new Promise<number>((resolve, reject) => {
      let out = '';
      child!.stdout!.on('data', (chunk: Buffer) => {
        out += chunk.toString();
        const started = /"port":(\d+)[^\n]*"msg":"bot started"/.exec(out);
        if (started) resolve(Number(started[1]));
      });
      child!.once('exit', (code) => reject(new Error(`bot exited early (${code}): ${out}`)));
    });
    const exited = new Promise<number | null>((resolve) => child!.once('exit', (code) => resolve(code)));

    channel = await new FakeChannel().start(`http://127.0.0.1:${port}/api/messages`);
    channel.replyDelayMs = 1500; // the channel is slow, so the turn is still running when SIGTERM arrives
    const priya = channel.user();
    const turn = priya.says('hi');
    await new Promise((resolve) => setTimeout(resolve, 400));
    child.kill('SIGTERM');

    expect((await turn).join('\n')).toMatch(/automated assistant/);
    expect(await exited).toBe(0);

    // The conversation state written by that turn survived the shutdown.
    const db = await openNedbDatabase(dataDir);
    const transcripts = await db.collection<Document & { direction: string }>('transcripts').find({});
    expect(transcripts.map((entry) => entry.direction)).toEqual(expect.arrayContaining(['in', 'out']));
    await db.close();
  });
});
