import { type ChildProcess, fork } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import type { AppName, ChildConfig, CpuUsage, Ready, Reply, Request } from './protocol.js';

/** The runner's side of one server child. */
export interface ServerHandle {
  readonly port: number;
  readonly pid: number;
  readonly users: Ready['users'];
  url(app: AppName): string;
  /** The child's CPU time so far, in microseconds (user + system). */
  cpuMicros(): Promise<number>;
  /** The child's monotonic clock (µs), to cut a CPU profile to the measured window. */
  clockMicros(): Promise<number>;
  mint(app: AppName, kind: 'refresh' | 'access', count: number, record?: boolean): Promise<string[]>;
  /** Asks the child to exit (writing its CPU profile when started with one) and waits for it. */
  stop(): Promise<void>;
}

const childScript = fileURLToPath(new URL('./server-child.ts', import.meta.url));

/**
 * Forks the server child with the runner's own loader flags (tsx), plus `extraExecArgv` (e.g.
 * `--cpu-prof`), and waits until it listens.
 */
export async function startServer(
  config: ChildConfig,
  extraExecArgv: readonly string[] = [],
): Promise<ServerHandle> {
  const child: ChildProcess = fork(childScript, [], {
    execArgv: [...process.execArgv, ...extraExecArgv],
    env: { ...process.env, BENCH_CHILD_CONFIG: JSON.stringify(config) },
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
  });
  const pending = new Map<number, { resolve(value: unknown): void; reject(error: Error): void }>();
  let nextId = 1;
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));

  const ready = await new Promise<Ready>((resolve, reject) => {
    const onExit = (code: number | null) =>
      reject(new Error(`server child exited (${code}) before it was ready`));
    child.once('exit', onExit);
    child.on('message', (message: Ready | Reply) => {
      if (message.type === 'ready') {
        child.off('exit', onExit);
        resolve(message);
        return;
      }
      const waiter = pending.get(message.id);
      pending.delete(message.id);
      if (!waiter) return;
      if (message.ok) waiter.resolve(message.result);
      else waiter.reject(new Error(`server child: ${message.error}`));
    });
  });
  child.once('exit', (code) => {
    for (const waiter of pending.values()) waiter.reject(new Error(`server child exited (${code})`));
    pending.clear();
  });

  function call<T>(request: Request): Promise<T> {
    const id = nextId++;
    return new Promise<T>((resolve, reject) => {
      pending.set(id, { resolve: resolve as (value: unknown) => void, reject });
      child.send({ ...request, id });
    });
  }

  return {
    port: ready.port,
    pid: child.pid!,
    users: ready.users,
    url: (app) => `http://127.0.0.1:${ready.port}/${app}/graphql`,
    async cpuMicros() {
      const usage = await call<CpuUsage>({ type: 'cpu' });
      return usage.user + usage.system;
    },
    clockMicros: () => call<number>({ type: 'clock' }),
    mint: (app, kind, count, record = true) => call<string[]>({ type: 'mint', app, kind, count, record }),
    async stop() {
      if (child.exitCode !== null) return;
      const timer = setTimeout(() => child.kill('SIGKILL'), 10_000);
      await call({ type: 'exit' }).catch(() => undefined);
      await exited;
      clearTimeout(timer);
    },
  };
}
