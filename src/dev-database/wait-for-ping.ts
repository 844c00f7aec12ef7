import mongoose from 'mongoose';

/**
 * Resolves once the server at `uri` answers the `ping` command, retrying until `timeoutMs`.
 * `isAlive` lets the caller stop early when the server process has already exited.
 */
export async function waitForPing(
  uri: string,
  { timeoutMs, isAlive = () => true }: { timeoutMs: number; isAlive?: () => boolean },
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  let lastError: unknown;
  while (Date.now() < deadline) {
    if (!isAlive()) throw new Error('the database process exited before it answered ping');
    const connection = mongoose.createConnection(uri, {
      serverSelectionTimeoutMS: 500,
      connectTimeoutMS: 500,
    });
    try {
      await connection.asPromise();
      await connection.db?.admin().ping();
      return;
    } catch (error) {
      lastError = error;
    } finally {
      await connection.close(true).catch(() => undefined);
    }
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  throw new Error(`the database did not answer ping within ${timeoutMs} ms: ${String(lastError)}`);
}
