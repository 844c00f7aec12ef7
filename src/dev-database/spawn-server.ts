import { type ChildProcess, spawn } from 'node:child_process';

/**
 * Runs `command` under a small `sh` watchdog: when our stdin pipe closes (a clean stop, a crash or a
 * SIGKILL of this Node process) the watchdog stops the server, deletes `dataDirectory` (unless
 * `keepData`) and runs the `cleanup` script with Node (e.g. drops the server's PostgreSQL
 * database), so no database process, temporary file or database outlives the tests. A `keep-data`
 * line on stdin stops the server but keeps its data (for a restart). The server is sent SIGCONT
 * first: a suspended (SIGSTOP) server would never act on SIGTERM. The watchdog reports the server's
 * own pid on stderr.
 */
const watchdogScript = [
  '"$@" & server=$!',
  'echo "dev-database-server-pid=$server" >&2',
  "trap 'kill -CONT $server 2>/dev/null; kill $server 2>/dev/null' TERM INT HUP",
  'read command',
  'kill -CONT $server 2>/dev/null',
  'kill $server 2>/dev/null',
  'wait $server 2>/dev/null',
  '[ "$command" = keep-data ] || [ -n "$WATCHDOG_KEEP_DATA" ] || rm -rf "$WATCHDOG_DATA_DIR"',
  '[ "$command" = keep-data ] || [ -z "$WATCHDOG_CLEANUP" ] || "$WATCHDOG_NODE" -e "$WATCHDOG_CLEANUP"',
].join('\n');

/** A Node script the watchdog runs after the server stopped for good, with extra environment. */
export interface WatchdogCleanup {
  readonly script: string;
  readonly env: Readonly<Record<string, string>>;
}

const serverPidLine = /dev-database-server-pid=(\d+)/;

export interface SpawnedServer {
  /** The `sh` watchdog. */
  readonly process: ChildProcess;
  /** The database server's own process id (the watchdog's child), once the watchdog reported it. */
  serverPid(): number | undefined;
  isAlive(): boolean;
  output(): string;
  /** Stops the server; its data directory is deleted unless `keepData`. */
  stop(options?: { keepData?: boolean }): Promise<void>;
}

export function spawnServer(
  command: string,
  args: readonly string[],
  dataDirectory: string,
  { keepData = false, cleanup }: { keepData?: boolean; cleanup?: WatchdogCleanup | undefined } = {},
): SpawnedServer {
  const child = spawn('sh', ['-c', watchdogScript, 'dev-database', command, ...args], {
    env: {
      ...process.env,
      ...cleanup?.env,
      WATCHDOG_DATA_DIR: dataDirectory,
      WATCHDOG_KEEP_DATA: keepData ? '1' : '',
      WATCHDOG_NODE: process.execPath,
      WATCHDOG_CLEANUP: cleanup?.script ?? '',
    },
    stdio: ['pipe', 'pipe', 'pipe'],
  });
  // The database must not keep the event loop (and so a test runner) alive.
  child.unref();
  for (const stream of [child.stdin, child.stdout, child.stderr])
    (stream as { unref?: () => void })?.unref?.();
  let output = '';
  let serverPid: number | undefined;
  const keepTail = (chunk: Buffer) => {
    output = (output + chunk.toString()).slice(-4000);
    serverPid ??= Number(serverPidLine.exec(output)?.[1]) || undefined;
  };
  child.stdout?.on('data', keepTail);
  child.stderr?.on('data', keepTail);
  let exited = child.exitCode !== null;
  const exitPromise = new Promise<void>((resolve) => {
    child.once('exit', () => {
      exited = true;
      resolve();
    });
  });
  return {
    process: child,
    serverPid: () => serverPid,
    isAlive: () => !exited,
    output: () => output,
    async stop({ keepData = false } = {}) {
      if (!exited) child.stdin?.end(keepData ? 'keep-data\n' : undefined);
      const timer = setTimeout(() => {
        if (serverPid !== undefined) {
          try {
            process.kill(serverPid, 'SIGKILL');
          } catch {
            // Already gone.
          }
        }
        child.kill('SIGKILL');
      }, 5000);
      await exitPromise;
      clearTimeout(timer);
    },
  };
}
