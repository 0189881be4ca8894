/**
 * The MongoDB client's bounds, as built from config (unit, no server): a request on a half-open connection
 * must fail as STORE_UNAVAILABLE within seconds, never hold a conversation's turn for good.
 */
import { describe, expect, it } from 'vitest';
import { loadConfig } from '../../services/config';
import { createClient, DEFAULT_OPERATION_TIMEOUT_MS, mongoClientOptions } from '../../services/store/mongo/mongoDatabase';
import { INDEX_BUILD_TIMEOUT_MS } from '../../services/store/mongo/mongoIndexes';
import { collectionOver, standInDriver } from './support/standInDriver';

const URI = 'mongodb://127.0.0.1:1/socialcare';

describe('MongoDB client timeouts (unit, no server)', () => {
  it('by default, a request waits at most a few seconds for its answer and for a pooled connection', () => {
    const config = loadConfig({});
    expect(config.mongodbOperationTimeoutMs).toBe(DEFAULT_OPERATION_TIMEOUT_MS);
    const client = createClient(URI, { operationTimeoutMs: config.mongodbOperationTimeoutMs });
    // The driver's own default is 0 (forever) for both.
    expect(client.options.socketTimeoutMS).toBe(5_000);
    expect(client.options.waitQueueTimeoutMS).toBe(5_000);
    expect(client.options.serverSelectionTimeoutMS).toBe(5_000);
    expect(client.options.connectTimeoutMS).toBe(5_000);
  });

  it('MONGODB_OPERATION_TIMEOUT_MS sets the bound the client is built with', () => {
    const config = loadConfig({ MONGODB_OPERATION_TIMEOUT_MS: '2500' });
    const client = createClient(URI, { operationTimeoutMs: config.mongodbOperationTimeoutMs });
    expect(client.options.socketTimeoutMS).toBe(2500);
    expect(client.options.waitQueueTimeoutMS).toBe(2500);
  });

  it('an operation timeout of zero (wait forever) or out of range is refused at start-up', () => {
    expect(() => loadConfig({ MONGODB_OPERATION_TIMEOUT_MS: '0' })).toThrow(/MONGODB_OPERATION_TIMEOUT_MS/);
    expect(() => loadConfig({ MONGODB_OPERATION_TIMEOUT_MS: 'soon' })).toThrow(/MONGODB_OPERATION_TIMEOUT_MS/);
  });

  it('the client does not ask for timeoutMS, which this driver ignores', () => {
    expect(mongoClientOptions({})).not.toHaveProperty('timeoutMS');
  });

  it('an index build is sent with its own, longer socket bound, as are the steps that replace a conflicting index', async () => {
    const conflict = Object.assign(new Error('Index with name ticketRef_1 already exists with different options'), { code: 85 });
    const standIn = standInDriver({
      createIndex: [conflict, 'ticketRef_1'],
      indexes: [[{ name: 'ticketRef_1', key: { ticketRef: 1 } }]],
      dropIndex: [{}],
    });
    // Through the engine's collection, so the bound tested is the one it really sends.
    await collectionOver(standIn.driver).createIndex({ fields: { ticketRef: 1 }, sparse: true });
    const calls = standIn.calls.filter((call) => call.method === 'createIndex').map((call) => call.args);
    expect(calls).toEqual([
      [{ ticketRef: 1 }, { sparse: true, socketTimeoutMS: INDEX_BUILD_TIMEOUT_MS }],
      [{ ticketRef: 1 }, { sparse: true, socketTimeoutMS: INDEX_BUILD_TIMEOUT_MS }],
    ]);
    expect(INDEX_BUILD_TIMEOUT_MS).toBeGreaterThan(DEFAULT_OPERATION_TIMEOUT_MS);
  });
});
