import { expect, it } from 'vitest';
import type { Document } from '../../../services/store/types';
import type { StoreUnderTest } from '../contractCases';

export function lifecycleCases(store: StoreUnderTest): void {
  it('answers ping while open', async () => {
    await expect(store.database.ping()).resolves.toBeUndefined();
  });

  it('closes twice without complaint and refuses work afterwards', async () => {
    const notes = store.freshCollection<Document & { text: string }>();
    await notes.insertOne({ text: 'before close' });
    await store.database.close();
    await expect(store.database.close()).resolves.toBeUndefined();
    await expect(store.database.ping()).rejects.toMatchObject({ code: 'STORE_UNAVAILABLE' });
    await expect(notes.findOne({})).rejects.toMatchObject({ code: 'STORE_UNAVAILABLE' });
    await expect(notes.insertOne({ text: 'after close' })).rejects.toMatchObject({ code: 'STORE_UNAVAILABLE' });
    expect(() => store.database.collection('another')).toThrow(expect.objectContaining({ code: 'STORE_UNAVAILABLE' }));
  });

  it('refuses collection names that could escape the data directory', () => {
    for (const name of ['../escape', 'a/b', 'a.b', '', ' spaced']) {
      expect(() => store.database.collection(name), name).toThrow(expect.objectContaining({ code: 'INVALID_OPERATION' }));
    }
  });
}
