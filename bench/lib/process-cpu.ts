import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';

let ticksPerSecond: number | undefined;

/**
 * CPU time (user + system, microseconds) of another process from /proc/<pid>/stat, e.g. the
 * database server's; `undefined` where /proc is not there. Resolution: one clock tick (10 ms).
 */
export function processCpuMicros(pid: number | undefined): number | undefined {
  if (pid === undefined) return undefined;
  try {
    // The launcher's pid is a small shell watchdog: the server is its child, so count the children too.
    const children = readFileSync(`/proc/${pid}/task/${pid}/children`, 'utf8')
      .trim()
      .split(/\s+/)
      .filter(Boolean);
    return children.reduce((sum, child) => sum + (ownCpuMicros(Number(child)) ?? 0), ownCpuMicros(pid) ?? 0);
  } catch {
    return ownCpuMicros(pid);
  }
}

function ownCpuMicros(pid: number): number | undefined {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    // Fields after the command name, which is in parentheses and may contain spaces.
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    const ticks = Number(fields[11]) + Number(fields[12]);
    ticksPerSecond ??= Number(execFileSync('getconf', ['CLK_TCK'], { encoding: 'utf8' }).trim()) || 100;
    return (ticks / ticksPerSecond) * 1e6;
  } catch {
    return undefined;
  }
}
