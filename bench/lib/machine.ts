import { availableParallelism, cpus, loadavg, totalmem } from 'node:os';

/** The machine a run measured: results from different machines are not comparable. */
export interface MachineDescription {
  readonly cores: number;
  readonly cpuModel: string;
  readonly memoryGiB: number;
  readonly node: string;
  /** 1, 5 and 15 minute load averages at the start: other work on a shared machine shows here. */
  readonly loadAverage: readonly number[];
  readonly summary: string;
}

export function describeMachine(): MachineDescription {
  const cores = availableParallelism();
  const cpuModel = cpus()[0]?.model.trim() ?? 'unknown CPU';
  const memoryGiB = Math.round(totalmem() / 2 ** 30);
  const loadAverage = loadavg().map((value) => Math.round(value * 100) / 100);
  return {
    cores,
    cpuModel,
    memoryGiB,
    node: process.version,
    loadAverage,
    summary: `${cores} cores (${cpuModel}), ${memoryGiB} GiB, Node ${process.version}, load average ${loadAverage.join(' ')} at start`,
  };
}
