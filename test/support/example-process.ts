import { type ChildProcess, spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { signalTsxScript } from './tsx-script.js';

const root = fileURLToPath(new URL('../../', import.meta.url));
const tsx = fileURLToPath(new URL('../../node_modules/.bin/tsx', import.meta.url));

/** An example server running in its own process under tsx. */
export interface ExampleProcess {
  /** The URL the server printed when ready. */
  readonly url: string;
  /** Everything written to stdout and stderr so far. */
  output(): string;
  /** SIGTERM to the server, resolved when it has exited. */
  stop(): Promise<void>;
}

const running = new Set<ChildProcess>();

/** Kills what a failed test left running; for `afterAll`. */
export async function stopAllExampleProcesses(): Promise<void> {
  await Promise.all(
    [...running].map(async (child) => {
      const exited = new Promise((resolve) => child.once('exit', resolve));
      child.kill('SIGKILL');
      await exited;
    }),
  );
}

/**
 * Starts `script` (relative to the repository) with `env` on top of this process's environment (HOST
 * removed) and waits until stdout matches `ready`, whose first group is the URL. The waits are hang
 * guards, not time limits to meet.
 */
export function startExampleProcess(
  script: string,
  env: Record<string, string>,
  ready: RegExp,
): Promise<ExampleProcess> {
  const { HOST: _inherited, ...inherited } = process.env;
  const child = spawn(tsx, [script], {
    cwd: root,
    env: { ...inherited, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  running.add(child);
  let output = '';
  const exited = new Promise<void>((resolve) =>
    child.once('exit', () => {
      running.delete(child);
      resolve();
    }),
  );
  return new Promise((resolve, reject) => {
    const guard = setTimeout(() => reject(new Error(`${script} did not get ready\n${output}`)), 90_000);
    child.stderr?.on('data', (chunk: Buffer) => {
      output += chunk.toString();
    });
    child.stdout?.on('data', (chunk: Buffer) => {
      output += chunk.toString();
      const url = ready.exec(output)?.[1];
      if (url === undefined) return;
      clearTimeout(guard);
      resolve({
        url,
        output: () => output,
        stop: async () => {
          signalTsxScript(child.pid as number, 'SIGTERM');
          await exited;
        },
      });
    });
    void exited.then(() => {
      clearTimeout(guard);
      reject(new Error(`${script} exited before it was ready\n${output}`));
    });
  });
}
