import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';

/** The pid of the Node process running the script under the `tsx` CLI process `tsxPid`. */
function scriptPid(tsxPid: number): number {
  const children = execFileSync('pgrep', ['-P', String(tsxPid)], { encoding: 'utf8' })
    .trim()
    .split('\n')
    .map(Number);
  // tsx also starts an esbuild service; the script's process is the one tsx preloads itself into.
  const script = children.find((pid) => {
    try {
      return readFileSync(`/proc/${pid}/cmdline`, 'utf8').includes('tsx/dist/preflight.cjs');
    } catch {
      return false;
    }
  });
  if (script === undefined) throw new Error(`no script process under tsx (pid ${tsxPid})`);
  return script;
}

/**
 * Sends `signal` to the script a `tsx` CLI process runs, as a terminal or a process manager signals
 * the server itself; tsx then exits with the script's exit code. Signalling only the tsx process
 * instead is racy: tsx relays the signal and SIGKILLs the script (exiting 143) unless the script
 * acknowledges it within 30 ms, which a busy machine misses.
 */
export function signalTsxScript(tsxPid: number, signal: NodeJS.Signals): void {
  process.kill(scriptPid(tsxPid), signal);
}
