/**
 * Unit tests of the MongoDB engine's error mapping, with error objects built the way the installed driver
 * builds them. They prove the mapping only; no MongoDB server is involved (see mongo.contract.test.ts).
 */
import { createRequire } from 'node:module';
import path from 'node:path';
import { MongoBulkWriteError, MongoClientClosedError, MongoNetworkError, MongoNetworkTimeoutError, MongoOperationTimeoutError, MongoServerError } from 'mongodb';
import { describe, expect, it } from 'vitest';
import { translateMongoError } from '../../services/store/mongo/mongoErrors';
import { StoreError } from '../../services/store/types';

// The driver's WriteError and BulkWriteResult are internal; insertMany builds its MongoBulkWriteError from them.
const driverInternals = createRequire(path.join(process.cwd(), 'package.json'))('mongodb/lib/bulk/common') as {
  WriteError: new (error: Record<string, unknown>) => { code: number };
  BulkWriteResult: new (bulkResult: Record<string, unknown>, ordered: boolean) => unknown;
};

function bulkResult(writeErrors: unknown[]) {
  return new driverInternals.BulkWriteResult(
    { ok: 1, writeErrors, writeConcernErrors: [], insertedIds: [{ index: 0, _id: 'a' }], nInserted: 1, nUpserted: 0, nMatched: 0, nModified: 0, nRemoved: 0, upserted: [] },
    true,
  );
}

const codeOf = (error: unknown) => (error instanceof StoreError ? error.code : 'unmapped');

describe('MongoDB error mapping (unit, no server)', () => {
  it('maps E11000 from a single write to DUPLICATE_KEY and keeps the driver error as cause', () => {
    const driverError = new MongoServerError({ errmsg: 'E11000 duplicate key error collection: db.tickets index: openedBy_1', code: 11000, index: 0 });
    const mapped = translateMongoError(driverError, 'tickets');
    expect(codeOf(mapped)).toBe('DUPLICATE_KEY');
    expect((mapped as Error).cause).toBe(driverError);
  });

  it('maps E11000 from an ordered insertMany (MongoBulkWriteError with writeErrors) to DUPLICATE_KEY', () => {
    const writeError = new driverInternals.WriteError({ index: 1, code: 11000, errmsg: 'E11000 duplicate key error', op: { _id: 'a' } });
    // What handleWriteError in the driver's bulk/common.js throws.
    const driverError = new MongoBulkWriteError({ message: 'E11000 duplicate key error', code: 11000, writeErrors: [writeError as never] }, bulkResult([writeError]) as never);
    expect(codeOf(translateMongoError(driverError, 'tickets'))).toBe('DUPLICATE_KEY');
  });

  it('maps a network failure during insertMany (wrapped in a MongoBulkWriteError) to STORE_UNAVAILABLE', () => {
    const network = new MongoNetworkError('connection 4 to 10.0.0.5:27017 closed');
    // What the driver's bulk executor throws for "a driver related error not a bulk op error".
    const driverError = new MongoBulkWriteError(network as never, bulkResult([]) as never);
    expect(codeOf(translateMongoError(driverError, 'tickets'))).toBe('STORE_UNAVAILABLE');
  });

  it('maps a failover answer that outlived the driver retry (NotWritablePrimary) to STORE_UNAVAILABLE', () => {
    const driverError = new MongoServerError({ errmsg: 'not primary', code: 10107, codeName: 'NotWritablePrimary' });
    expect(codeOf(translateMongoError(driverError, 'tickets'))).toBe('STORE_UNAVAILABLE');
  });

  it('maps a server error labelled RetryableWriteError to STORE_UNAVAILABLE', () => {
    const driverError = new MongoServerError({ errmsg: 'interrupted', code: 999999, errorLabels: ['RetryableWriteError'] });
    expect(codeOf(translateMongoError(driverError, 'tickets'))).toBe('STORE_UNAVAILABLE');
  });

  it('maps operations interrupted by closing the client to STORE_UNAVAILABLE', () => {
    expect(codeOf(translateMongoError(new MongoClientClosedError(), 'tickets'))).toBe('STORE_UNAVAILABLE');
  });

  it('maps a request the socket bound gave up on (no answer in time) to STORE_UNAVAILABLE, keeping the driver error as cause', () => {
    // What cmap/connection.js onTimeout throws when socketTimeoutMS passes without an answer.
    const driverError = new MongoNetworkTimeoutError('connection 3 to 10.0.0.5:27017 timed out');
    const mapped = translateMongoError(driverError, 'transcripts');
    expect(codeOf(mapped)).toBe('STORE_UNAVAILABLE');
    expect((mapped as Error).cause).toBe(driverError);
  });

  it("maps the driver's client-side operation timeout (MongoOperationTimeoutError) to STORE_UNAVAILABLE", () => {
    const driverError = new MongoOperationTimeoutError('Timed out during socket read (5000ms)');
    const mapped = translateMongoError(driverError, 'transcripts');
    expect(codeOf(mapped)).toBe('STORE_UNAVAILABLE');
    expect((mapped as Error).cause).toBe(driverError);
  });

  it('leaves other server errors (a refused update) as they are', () => {
    const driverError = new MongoServerError({ errmsg: 'Updating the path would create a conflict', code: 40, codeName: 'ConflictingUpdateOperators' });
    expect(translateMongoError(driverError, 'tickets')).toBe(driverError);
  });
});
