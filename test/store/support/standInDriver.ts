/**
 * A minimal stand-in for the driver's Collection, for unit tests of what the MongoDB engine sends (no server).
 * It proves the engine's requests only, never MongoDB's answers (mongo.contract.test.ts does that).
 */
import type { Collection as DriverCollection } from 'mongodb';
import { MongoCollection, type StoredDocument } from '../../../services/store/mongo/mongoCollection';
import type { Document } from '../../../services/store/types';

export type DriverCall = { method: string; args: unknown[] };

const METHODS = ['updateOne', 'findOneAndUpdate', 'deleteMany', 'findOne', 'createIndex', 'indexes', 'dropIndex'];

/** Records each call; `answers[method]` gives the results (or errors to throw) in turn. */
export function standInDriver(answers: Record<string, unknown[]> = {}) {
  const calls: DriverCall[] = [];
  const handler = (method: string) => async (...args: unknown[]) => {
    calls.push({ method, args: structuredClone(args) });
    const answer = answers[method]?.shift();
    if (answer instanceof Error) throw answer;
    return answer;
  };
  const driver = Object.fromEntries(METHODS.map((method) => [method, handler(method)]));
  return { calls, driver };
}

/** The engine's collection over a stand-in driver. */
export function collectionOver(driver: Record<string, unknown>) {
  return new MongoCollection<Document & Record<string, unknown>>('things', driver as never as DriverCollection<StoredDocument>, () => undefined);
}
