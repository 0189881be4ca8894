import {
  MongoBulkWriteError,
  MongoClientClosedError,
  MongoError,
  MongoErrorLabel,
  MongoNetworkError,
  MongoNotConnectedError,
  MongoOperationTimeoutError,
  MongoServerClosedError,
  MongoServerSelectionError,
  MongoTopologyClosedError,
} from 'mongodb';
import { DuplicateKeyError, StoreError } from '../types';

const DUPLICATE_KEY_CODES = new Set([11000, 11001]);

/**
 * Server answers that mean "no usable primary right now" (a failover, a shutdown, an overloaded or slow
 * server), left over once the driver's own single retry has failed too: the driver's retryable set plus
 * MaxTimeMSExpired (50). The store is unavailable then; it is not a bug in the request.
 */
const UNAVAILABLE_CODES = new Set([6, 7, 50, 89, 91, 189, 262, 9001, 10058, 10107, 11600, 11602, 13435, 13436, 134]);

/** Driver errors without their own exported class: a closed or exhausted connection pool. */
const UNAVAILABLE_NAMES = new Set(['MongoPoolClosedError', 'MongoWaitQueueTimeoutError']);

/** Turns driver errors into the port's, keeping the driver error as the cause. */
export function translateMongoError(error: unknown, collection: string): unknown {
  if (error instanceof StoreError) return error;
  if (isDuplicateKeyError(error)) {
    return new DuplicateKeyError(`Duplicate key in collection "${collection}".`, { cause: error });
  }
  if (isUnavailableError(error)) {
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

function isUnavailableError(error: unknown): boolean {
  if (
    error instanceof MongoNetworkError ||
    error instanceof MongoServerSelectionError ||
    error instanceof MongoNotConnectedError ||
    error instanceof MongoTopologyClosedError ||
    error instanceof MongoClientClosedError ||
    error instanceof MongoServerClosedError ||
    // A request the socket bound gave up on is a MongoNetworkTimeoutError (a MongoNetworkError); this is the
    // client-side operation timeout's, should a later driver honour `timeoutMS` again.
    error instanceof MongoOperationTimeoutError
  ) {
    return true;
  }
  if (!(error instanceof MongoError)) return false;
  // insertMany runs as a bulk write, which wraps a network failure in a MongoBulkWriteError.
  if (error instanceof MongoBulkWriteError && error.errorResponse instanceof Error && error.errorResponse !== error) {
    if (isUnavailableError(error.errorResponse)) return true;
  }
  if (UNAVAILABLE_NAMES.has(error.name)) return true;
  if (typeof error.code === 'number' && UNAVAILABLE_CODES.has(error.code)) return true;
  return error.hasErrorLabel(MongoErrorLabel.RetryableWriteError) || error.hasErrorLabel(MongoErrorLabel.SystemOverloadedError);
}
