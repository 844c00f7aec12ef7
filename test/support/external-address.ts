import { networkInterfaces } from 'node:os';
import { expect } from 'vitest';

/** An IPv4 address of this machine that is not loopback, if it has one. */
export function externalIPv4Address(): string | undefined {
  const addresses = Object.values(networkInterfaces()).flatMap((entries) => entries ?? []);
  return addresses.find((entry) => entry.family === 'IPv4' && !entry.internal)?.address;
}

/**
 * Checks that nothing answers on `port` at this machine's external address, i.e. that a server bound
 * to 127.0.0.1 is out of reach of the network. A machine with loopback only has nothing to check.
 */
export async function expectUnreachableFromNetwork(port: number): Promise<void> {
  const external = externalIPv4Address();
  if (external === undefined) return;
  await expect(
    fetch(`http://${external}:${port}/`, { signal: AbortSignal.timeout(10_000) }),
  ).rejects.toMatchObject({ cause: { code: 'ECONNREFUSED' } });
}
