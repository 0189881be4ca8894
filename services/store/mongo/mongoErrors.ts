import {
  MongoNetworkError,
  MongoNotConnectedError,
  MongoServerSelectionError,
  MongoTopologyClosedError,
} from 'mongodb';
import { DuplicateKeyError, StoreError } from '../types';

const DUPLICATE_KEY_CODES = new Set([11000, 11001]);

/** Turns driver errors into the port's, keeping the driver error as the cause. */
export function translateMongoError(error: unknown, collection: string): unknown {
  if (error instanceof StoreError) return error;
  if (isDuplicateKeyError(error)) {
    return new DuplicateKeyError(`Duplicate key in collection "${collection}".`, { cause: error });
  }
  if (
    error instanceof MongoNetworkError ||
    error instanceof MongoServerSelectionError ||
    error instanceof MongoNotConnectedError ||
    error instanceof MongoTopologyClosedError
  ) {
    return new StoreError('STORE_UNAVAILABLE', `MongoDB is unreachable (collection "${collection}").`, { cause: error });
  }
  return error;
}

function isDuplicateKeyError(error: unknown): boolean {
  const candidate = error as { code?: unknown; writeErrors?: unknown } | null;
  if (typeof candidate?.code === 'number' && DUPLICATE_KEY_CODES.has(candidate.code)) return true;
  // A bulk insert reports the clash on the failed write rather than on the error itself.
  const writeErrors = Array.isArray(candidate?.writeErrors) ? candidate.writeErrors : [];
  return writeErrors.some((writeError: { code?: unknown }) => DUPLICATE_KEY_CODES.has(writeError.code as number));
}
