import autocannon from 'autocannon';
import type { ServerHandle } from '../server/server-handle.js';
import { processCpuMicros } from './process-cpu.js';

/** One bounded load run against the server child. */
export interface LoadSpec {
  readonly url: string;
  /** The request body (JSON), or a function giving a fresh one per request (tokens used up). */
  readonly body: string | (() => string);
  readonly authorization?: string | undefined;
  readonly connections: number;
  readonly durationSeconds: number;
  /** Requests per second over all connections (open-loop pacing); unset: as fast as possible. */
  readonly overallRate?: number | undefined;
}

export interface LoadResult {
  readonly requests: number;
  readonly reqPerSecond: number;
  readonly p50Ms: number;
  readonly p99Ms: number;
  /** Responses by HTTP status. */
  readonly statuses: Readonly<Record<string, number>>;
  /** Socket errors and timeouts. */
  readonly errors: number;
  /** Server child CPU (user + system) per completed request. */
  readonly serverCpuMicrosPerRequest: number;
  /** Database server CPU per request, when its process is known. */
  readonly databaseCpuMicrosPerRequest: number | undefined;
}

export interface LoadProbes {
  readonly server: ServerHandle;
  readonly databasePid?: number | undefined;
}

function percentile(sorted: Float64Array, quantile: number): number {
  if (sorted.length === 0) return Number.NaN;
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil(quantile * sorted.length) - 1))]!;
}

/**
 * Runs autocannon for `spec` (loopback only, bounded by duration) and measures latency from every
 * response (float milliseconds, not autocannon's 1 ms histogram), and the server's CPU through IPC.
 */
export async function runLoad(spec: LoadSpec, probes: LoadProbes): Promise<LoadResult> {
  const url = new URL(spec.url);
  const headers: Record<string, string> = { 'content-type': 'application/json' };
  if (spec.authorization) headers['authorization'] = spec.authorization;
  const nextBody = spec.body;
  const request: autocannon.Request =
    typeof nextBody === 'string'
      ? { method: 'POST', path: url.pathname, headers, body: nextBody }
      : {
          method: 'POST',
          path: url.pathname,
          headers,
          setupRequest: (request) => ({ ...request, body: nextBody() }),
        };
  const latencies: number[] = [];
  const statuses: Record<string, number> = {};
  const serverBefore = await probes.server.cpuMicros();
  const databaseBefore = processCpuMicros(probes.databasePid);
  const start = process.hrtime.bigint();
  const result = await new Promise<autocannon.Result>((resolve, reject) => {
    const instance = autocannon(
      {
        url: url.origin,
        connections: spec.connections,
        duration: spec.durationSeconds,
        // autocannon checks for the end of a run once per sample interval (1 s by default).
        sampleInt: 50,
        requests: [request],
        ...(spec.overallRate ? { overallRate: spec.overallRate } : {}),
      },
      (error, finished) => (error ? reject(error) : resolve(finished)),
    );
    instance.on('response', (_client, statusCode, _bytes, responseTime) => {
      latencies.push(responseTime);
      statuses[statusCode] = (statuses[statusCode] ?? 0) + 1;
    });
  });
  const elapsedSeconds = Number(process.hrtime.bigint() - start) / 1e9;
  const serverAfter = await probes.server.cpuMicros();
  const databaseAfter = processCpuMicros(probes.databasePid);
  const sorted = Float64Array.from(latencies).sort();
  const requests = latencies.length;
  return {
    requests,
    reqPerSecond: requests / elapsedSeconds,
    p50Ms: percentile(sorted, 0.5),
    p99Ms: percentile(sorted, 0.99),
    statuses,
    errors: result.errors + result.timeouts,
    serverCpuMicrosPerRequest: (serverAfter - serverBefore) / requests,
    databaseCpuMicrosPerRequest:
      databaseBefore === undefined || databaseAfter === undefined
        ? undefined
        : (databaseAfter - databaseBefore) / requests,
  };
}
