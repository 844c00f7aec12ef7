import { withDeadline } from './store-errors.js';

/**
 * Operations on collections whose indexes are made on first use. `ready()` creates them once (a
 * failed attempt is retried by the next call); `run()` gives index creation (the first call only) and
 * the operation one deadline together, and past it the operation is skipped.
 */
export function indexedOperations(maxTimeMS: number, createIndexes: () => Promise<void>) {
  let indexesCreated: Promise<void> | undefined;

  function ready(): Promise<void> {
    indexesCreated ??= withDeadline(maxTimeMS, createIndexes).catch((error: unknown) => {
      indexesCreated = undefined;
      throw error;
    });
    return indexesCreated;
  }

  function run<T>(operation: () => Promise<T>): Promise<T> {
    return withDeadline(maxTimeMS, async (signal) => {
      await ready();
      signal.throwIfAborted();
      return operation();
    });
  }

  return { ready, run };
}
