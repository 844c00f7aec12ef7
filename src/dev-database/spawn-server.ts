import { type ChildProcess, spawn } from 'node:child_process';

/**
 * Runs `command` under a small `sh` watchdog: when our stdin pipe closes (a clean stop, a crash or a
 * SIGKILL of this Node process) the watchdog stops the server and deletes `dataDirectory`, so no
 * database process or temporary file outlives the tests.
 */
const watchdogScript = [
  '"$@" & server=$!',
  "trap 'kill $server 2>/dev/null' TERM INT HUP",
  'read _ignored',
  'kill $server 2>/dev/null',
  'wait $server 2>/dev/null',
  'rm -rf "$DEV_DATABASE_DIR"',
].join('\n');

export interface SpawnedServer {
  readonly process: ChildProcess;
  isAlive(): boolean;
  output(): string;
  stop(): Promise<void>;
}

export function spawnServer(command: string, args: readonly string[], dataDirectory: string): SpawnedServer {
  const child = spawn('sh', ['-c', watchdogScript, 'dev-database', command, ...args], {
    env: { ...process.env, DEV_DATABASE_DIR: dataDirectory },
    stdio: ['pipe', 'pipe', 'pipe'],
  });
  // The database must not keep the event loop (and so a test runner) alive.
  child.unref();
  for (const stream of [child.stdin, child.stdout, child.stderr])
    (stream as { unref?: () => void })?.unref?.();
  let output = '';
  const keepTail = (chunk: Buffer) => {
    output = (output + chunk.toString()).slice(-4000);
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
    isAlive: () => !exited,
    output: () => output,
    async stop() {
      if (!exited) child.stdin?.end();
      const timer = setTimeout(() => child.kill('SIGKILL'), 5000);
      await exitPromise;
      clearTimeout(timer);
    },
  };
}
