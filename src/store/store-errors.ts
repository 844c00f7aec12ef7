import { ImproperlyConfiguredError, TokenStoreUnavailableError } from '../errors.js';

/** MongoDB's duplicate-key error code: a unique index refused the write. */
const duplicateKey = 11000;

interface DriverErrorShape {
  code?: unknown;
  writeErrors?: unknown;
}

function writeErrorCodes(error: unknown): unknown[] {
  const writeErrors = (error as DriverErrorShape | null)?.writeErrors;
  return Array.isArray(writeErrors)
    ? writeErrors.map((writeError: DriverErrorShape) => writeError?.code)
    : [];
}

/**
 * True when every failure in `error` is a duplicate key: a single write's error, or a bulk write
 * whose write errors are all duplicates (a bulk error with any other failure is not).
 */
export function isDuplicateKeyError(error: unknown): boolean {
  const codes = writeErrorCodes(error);
  if (codes.length > 0) return codes.every((code) => code === duplicateKey);
  return (error as DriverErrorShape | null)?.code === duplicateKey;
}

/** The server's numeric error code, when the server answered with one. */
export function serverErrorCode(error: unknown): number | undefined {
  const code = (error as DriverErrorShape | null)?.code;
  return typeof code === 'number' ? code : undefined;
}

/** Our own errors pass through; anything else (network, timeout, driver, mongoose) becomes "unavailable". */
export function toStoreError(error: unknown): Error {
  if (error instanceof TokenStoreUnavailableError || error instanceof ImproperlyConfiguredError) return error;
  return new TokenStoreUnavailableError({ cause: error });
}

/** The cause recorded when an operation outlives `operationTimeoutMs`. */
export class StoreOperationTimeoutError extends Error {
  constructor(operationTimeoutMs: number) {
    super(`token store operation did not finish within ${operationTimeoutMs} ms`);
    this.name = 'StoreOperationTimeoutError';
  }
}

/**
 * Runs `operation` and settles within `timeoutMs`: the last-resort client-side bound (the driver
 * can wait for server selection or a silent socket far longer than `maxTimeMS`). Every failure
 * becomes a `TokenStoreUnavailableError` (see `toStoreError`). `signal` aborts at the deadline, so
 * that an operation still running can skip its remaining steps.
 */
export async function withDeadline<T>(
  timeoutMs: number,
  operation: (signal: AbortSignal) => Promise<T>,
): Promise<T> {
  const controller = new AbortController();
  let timer: NodeJS.Timeout | undefined;
  const deadline = new Promise<never>((_, reject) => {
    timer = setTimeout(() => {
      const error = new StoreOperationTimeoutError(timeoutMs);
      controller.abort(error);
      reject(error);
    }, timeoutMs);
  });
  const running = Promise.resolve(controller.signal).then(operation);
  // The operation may still settle after the deadline: its late failure must not go unhandled.
  running.catch(() => undefined);
  try {
    return await Promise.race([running, deadline]);
  } catch (error) {
    throw toStoreError(error);
  } finally {
    clearTimeout(timer);
  }
}
