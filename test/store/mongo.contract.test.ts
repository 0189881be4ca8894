import { randomUUID } from 'node:crypto';
import { MongoClient } from 'mongodb';
import { afterAll, describe } from 'vitest';
import { openMongoDatabase } from '../../services/store/mongo/mongoDatabase';
import { describeStoreContract } from './contractCases';

const uri = process.env.MONGODB_URI;

if (!uri) {
  console.warn(
    [
      '',
      '*'.repeat(100),
      '*** MongoDB contract suite SKIPPED: MONGODB_URI is not set. No MongoDB server on this machine; this is NOT a pass. ***',
      '*** Run it with e.g. MONGODB_URI=mongodb://localhost:27017 npx vitest run test/store/mongo.contract.test.ts ***',
      '*'.repeat(100),
      '',
    ].join('\n'),
  );
}

describe.skipIf(!uri)('MongoDB engine', () => {
  // One database per run; each contract case uses its own collection, and the database is dropped at the end.
  const dbName = `store_contract_${Date.now()}_${randomUUID().slice(0, 8)}`;

  afterAll(async () => {
    if (!uri) return;
    const client = new MongoClient(uri, { serverSelectionTimeoutMS: 5_000 });
    try {
      await client.db(dbName).dropDatabase();
    } finally {
      await client.close();
    }
  });

  describeStoreContract('MongoDB', () => openMongoDatabase(uri ?? '', dbName));
});
