/**
 * The store contract: every engine behind the port must pass these cases, so repositories can be
 * written once. Each engine's test file calls `describeStoreContract` with a way to open it.
 */
import { randomUUID } from 'node:crypto';
import { afterEach, beforeEach, describe } from 'vitest';
import type { Collection, Database, Document } from '../../services/store/types';
import { botStateStorageCases } from './cases/botStateStorageCases';
import { findCases } from './cases/findCases';
import { findOneAndUpdateCases } from './cases/findOneAndUpdateCases';
import { indexAndWriteCases } from './cases/indexAndWriteCases';
import { lifecycleCases } from './cases/lifecycleCases';
import { portabilityCases } from './cases/portabilityCases';
import { updateCases } from './cases/updateCases';

export interface StoreUnderTest {
  /** The database opened for the current test. */
  readonly database: Database;
  /** A collection no other test touches, so engines may share one database between tests. */
  freshCollection<T extends Document>(): Collection<T>;
}

/** `open` must give a working database on each call; it is closed after each test. */
export function describeStoreContract(engineName: string, open: () => Promise<Database>): void {
  describe(`${engineName} store contract`, () => {
    let current: Database | undefined;
    beforeEach(async () => {
      current = await open();
    });
    afterEach(async () => {
      await current?.close();
      current = undefined;
    });

    const store: StoreUnderTest = {
      get database() {
        if (!current) throw new Error('The database is only open inside a test.');
        return current;
      },
      freshCollection<T extends Document>() {
        return store.database.collection<T>(`contract_${randomUUID().replaceAll('-', '').slice(0, 12)}`);
      },
    };

    describe('finding documents', () => findCases(store));
    describe('updating documents', () => updateCases(store));
    describe('findOneAndUpdate', () => findOneAndUpdateCases(store));
    describe('inserting, deleting and indexes', () => indexAndWriteCases(store));
    describe('lifecycle', () => lifecycleCases(store));
    describe('bot state storage', () => botStateStorageCases(store));
    describe('what MongoDB would read differently unless held to NeDB', () => portabilityCases(store));
  });
}
