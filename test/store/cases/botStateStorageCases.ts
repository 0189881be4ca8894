/**
 * The intent of botbuilder's storageBaseTests (libraries/botbuilder-core/tests/storageBaseTests.js),
 * plus the cases our engines make interesting: odd keys, odd field names, racing turns.
 */
import { AutoSaveStateMiddleware, ConversationState, MessageFactory, TestAdapter } from 'botbuilder';
import { Dialog, DialogSet, TextPrompt, WaterfallDialog } from 'botbuilder-dialogs';
import { beforeEach, expect, it } from 'vitest';
import { BotStateStorage, ETagConflictError, type BotStateRecord } from '../../../services/store/botStateStorage';
import type { StoreUnderTest } from '../contractCases';

export function botStateStorageCases(store: StoreUnderTest): void {
  let storage: BotStateStorage;
  beforeEach(() => {
    storage = new BotStateStorage(store.freshCollection<BotStateRecord>());
  });

  it('leaves an unknown key out of the result', async () => {
    expect(await storage.read(['unknown'])).toEqual({});
  });

  it('refuses a missing key list or change set', async () => {
    await expect(storage.read(null as unknown as string[])).rejects.toBeInstanceOf(ReferenceError);
    await expect(storage.write(null as unknown as Record<string, unknown>)).rejects.toBeInstanceOf(ReferenceError);
    await expect(storage.delete(undefined as unknown as string[])).rejects.toBeInstanceOf(ReferenceError);
  });

  it('accepts writing no items', async () => {
    await expect(storage.write([] as unknown as Record<string, unknown>)).resolves.toBeUndefined();
    await expect(storage.write({})).resolves.toBeUndefined();
  });

  it('creates items and gives each an eTag', async () => {
    await storage.write({ createPoco: { id: 1 }, createPocoStoreItem: { id: 2, eTag: '*' } });
    const items = await storage.read(['createPoco', 'createPocoStoreItem']);
    expect(items.createPoco).toMatchObject({ id: 1, eTag: expect.any(String) });
    expect(items.createPocoStoreItem).toMatchObject({ id: 2, eTag: expect.any(String) });
    expect(items.createPoco.eTag).not.toBe(items.createPocoStoreItem.eTag);
  });

  it('handles keys made of punctuation', async () => {
    const key = '!@#$%^&*()~/\\><,.?\';"`~';
    await storage.write({ [key]: { id: 1 } });
    expect((await storage.read([key]))[key]).toMatchObject({ id: 1 });
  });

  it('stores state whose own keys contain "." or start with "$"', async () => {
    const state = { $type: 'DialogState', 'dialog.stack': [{ id: 'main', state: { 'a.b': { $c: 1 } } }], at: '2024-01-01T00:00:00.000Z' };
    await storage.write({ conversation: state });
    const { conversation } = await storage.read(['conversation']);
    const { eTag, ...read } = conversation;
    expect(read).toEqual(state);
    expect(typeof eTag).toBe('string');
  });

  it('updates with the current eTag, rejects a stale one, and overwrites with "*" or none', async () => {
    await storage.write({ pocoItem: { id: 1, count: 1 }, pocoStoreItem: { id: 1, count: 1 } });
    const loaded = await storage.read(['pocoItem', 'pocoStoreItem']);
    const pocoItem = loaded.pocoItem;
    delete pocoItem.eTag; // an item without an eTag always overwrites
    const pocoStoreItem = loaded.pocoStoreItem;
    pocoItem.count++;
    pocoStoreItem.count++;
    await storage.write(loaded);

    const reloaded = await storage.read(['pocoItem', 'pocoStoreItem']);
    expect(reloaded.pocoItem.count).toBe(2);
    expect(reloaded.pocoStoreItem.count).toBe(2);
    expect(reloaded.pocoStoreItem.eTag).not.toBe(pocoStoreItem.eTag);

    pocoItem.count = 123;
    await expect(storage.write({ pocoItem })).resolves.toBeUndefined();
    pocoStoreItem.count = 123; // still carries the first eTag, which is stale now
    const conflict = await storage.write({ pocoStoreItem }).catch((error: unknown) => error);
    expect(conflict).toBeInstanceOf(ETagConflictError);
    expect(conflict).toMatchObject({ code: 'ETAG_CONFLICT', key: 'pocoStoreItem' });

    const afterConflict = await storage.read(['pocoItem', 'pocoStoreItem']);
    expect(afterConflict.pocoItem.count).toBe(123);
    expect(afterConflict.pocoStoreItem.count).toBe(2);

    await storage.write({ pocoItem: { count: 100 }, pocoStoreItem: { ...afterConflict.pocoStoreItem, count: 100, eTag: '*' } });
    const final = await storage.read(['pocoItem', 'pocoStoreItem']);
    expect(final.pocoItem.count).toBe(100);
    expect(final.pocoStoreItem.count).toBe(100);
  });

  it('creates an item written with an eTag when none is stored yet', async () => {
    await storage.write({ newItem: { count: 1, eTag: 'from-elsewhere' } });
    expect((await storage.read(['newItem'])).newItem).toMatchObject({ count: 1 });
  });

  it('lets exactly one of several turns holding the same eTag win', async () => {
    await storage.write({ convo: { turn: 0 } });
    const { convo } = await storage.read(['convo']);
    const outcomes = await Promise.allSettled(
      Array.from({ length: 10 }, (_, turn) => storage.write({ convo: { ...convo, turn: turn + 1 } })),
    );
    const won = outcomes.filter((outcome) => outcome.status === 'fulfilled');
    const lost = outcomes.filter((outcome): outcome is PromiseRejectedResult => outcome.status === 'rejected');
    expect(won).toHaveLength(1);
    expect(lost.every((outcome) => outcome.reason instanceof ETagConflictError)).toBe(true);
  });

  it('deletes items, and deleting an unknown key is fine', async () => {
    await storage.write({ delete1: { id: 1, count: 1 } });
    expect((await storage.read(['delete1'])).delete1).toMatchObject({ count: 1 });
    await storage.delete(['delete1']);
    expect((await storage.read(['delete1'])).delete1).toBeUndefined();
    await expect(storage.delete(['unknown_key'])).resolves.toBeUndefined();
  });

  it('reads, writes and deletes in batches', async () => {
    await storage.write({ batch1: { count: 10 }, batch2: { count: 20 }, batch3: { count: 30 } });
    const items = await storage.read(['batch1', 'batch2', 'batch3']);
    expect(Object.values(items).map((item) => item.count).sort()).toEqual([10, 20, 30]);
    expect(Object.values(items).every((item) => typeof item.eTag === 'string')).toBe(true);
    await storage.delete(['batch1', 'batch2', 'batch3']);
    expect(await storage.read(['batch1', 'batch2', 'batch3'])).toEqual({});
  });

  it('carries a waterfall dialog across turns through ConversationState', async () => {
    const conversationState = new ConversationState(storage);
    const dialogs = new DialogSet(conversationState.createProperty('dialogState'));
    dialogs.add(
      new TextPrompt('namePrompt', async (prompt) => {
        if (prompt.recognized.value && prompt.recognized.value.length > 3) return true;
        await prompt.context.sendActivity(`Please send a name longer than 3 characters. ${prompt.attemptCount}`);
        return false;
      }),
    );
    dialogs.add(
      new WaterfallDialog('waterfall', [
        async (step) => {
          await step.context.sendActivity('step1');
          return Dialog.EndOfTurn;
        },
        async (step) => step.prompt('namePrompt', { prompt: MessageFactory.text('Please type your name.') }),
        async (step) => {
          await step.context.sendActivity(`Hello ${step.result}`);
          return step.endDialog();
        },
      ]),
    );
    const adapter = new TestAdapter(async (turnContext) => {
      const dialogContext = await dialogs.createContext(turnContext);
      await dialogContext.continueDialog();
      if (!turnContext.responded) await dialogContext.beginDialog('waterfall');
    }).use(new AutoSaveStateMiddleware(conversationState));

    await adapter
      .send('hello')
      .assertReply('step1')
      .send('hello')
      .assertReply('Please type your name.')
      .send('hi')
      .assertReply('Please send a name longer than 3 characters. 1')
      .send('Kyle')
      .assertReply('Hello Kyle')
      .startTest();
  });
}
