import { DuplicateKeyError, StoreError } from '../types';

/** Turns NeDB's errors into the port's: unique index clashes become DuplicateKeyError (cause kept). */
export function translateNedbError(error: unknown, collection: string): unknown {
  if (error instanceof StoreError) return error;
  const nedbError = error as { errorType?: unknown; key?: unknown; message?: unknown };
  if (nedbError?.errorType === 'uniqueViolated') {
    return new DuplicateKeyError(`Duplicate key ${JSON.stringify(nedbError.key)} in collection "${collection}".`, {
      cause: error,
    });
  }
  return error;
}
