import { execFile } from 'node:child_process';

export interface CommandResult {
  readonly code: number;
  readonly stdout: string;
  readonly stderr: string;
}

/**
 * The environment without npm's `npm_*` variables: under `npm test` they carry the repository's
 * configuration (`npm_config_local_prefix` among them), which would make an npm run inside a temporary
 * app act on the repository instead.
 */
export function cleanEnvironment(extra: Record<string, string> = {}): NodeJS.ProcessEnv {
  const env = Object.fromEntries(Object.entries(process.env).filter(([name]) => !name.startsWith('npm_')));
  return { ...env, ...extra };
}

export interface CommandOptions {
  readonly cwd: string;
  /** Added to the (cleaned) environment. */
  readonly env?: Record<string, string>;
  /** Kills the command (SIGTERM) after this long: a guard against hangs, not a time limit to meet. @default none */
  readonly timeoutMs?: number;
}

/** Runs a command to completion; never rejects, so a test can show what the command printed. */
export function runCommand(
  command: string,
  args: readonly string[],
  options: CommandOptions,
): Promise<CommandResult> {
  return new Promise((resolve) => {
    execFile(
      command,
      args,
      {
        cwd: options.cwd,
        env: cleanEnvironment(options.env),
        maxBuffer: 64 * 1024 * 1024,
        timeout: options.timeoutMs ?? 0,
      },
      (error, stdout, stderr) => {
        const code = error ? (typeof error.code === 'number' ? error.code : 1) : 0;
        resolve({ code, stdout, stderr });
      },
    );
  });
}

/** Like `runCommand`, but a non-zero exit is an error that carries the command's output. */
export async function runChecked(
  command: string,
  args: readonly string[],
  options: CommandOptions,
): Promise<CommandResult> {
  const result = await runCommand(command, args, options);
  if (result.code !== 0) {
    throw new Error(
      `${[command, ...args].join(' ')} exited with ${result.code}\n${result.stdout}\n${result.stderr}`,
    );
  }
  return result;
}
