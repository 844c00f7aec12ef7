#!/usr/bin/env node
import { readFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { describeKeyPair, generateSigningKey } from '../keys/generate-signing-key.js';
import { type Algorithm, supportedAlgorithms } from '../settings.js';
import { type CommandOutput, isMainModule } from './command-support.js';

export type { CommandOutput } from './command-support.js';

const commandName = 'simple-jwt-keys';

const usage = `Usage: ${commandName} <command> [options]

Makes keys for the signingKeys setting (SIMPLE_JWT_SIGNING_KEYS) and prints each with its kid,
the RFC 7638 thumbprint the settings derive for it.

Commands:
  generate [--alg ES256] [--json]  prints a new private key (a secret for HS*) and its kid
  public [--json]                  reads a private key PEM on stdin, prints its public key and kid
                                   (what goes into retiredKeys when the key stops signing)

Options:
  --alg <algorithm>  ${supportedAlgorithms.join(', ')} (default ES256)
  --json             one JSON object: { "alg", "kid", "signingKey", "verifyingKey" }
  -h, --help         prints this help

The key goes to stdout and nothing else does, so it can be redirected into a file or a secret
store as is; the kid line goes to stderr. Keep the private key out of shell history and logs.

Exit status: 0 when done, 2 for a usage error or an unreadable key.`;

/**
 * The `simple-jwt-keys` command, runnable in-process.
 * @param argv the arguments after the command name.
 * @param readStdin what `public` reads the private key from.
 * @returns the exit code: 0 done, 2 usage error or unreadable key.
 */
export function runSimpleJwtKeys(
  argv: readonly string[],
  output: CommandOutput,
  readStdin: () => string = () => readFileSync(0, 'utf8'),
): number {
  let values: { help?: boolean; alg?: string; json?: boolean };
  let positionals: string[];
  try {
    ({ values, positionals } = parseArgs({
      args: [...argv],
      allowPositionals: true,
      options: {
        help: { type: 'boolean', short: 'h' },
        alg: { type: 'string' },
        json: { type: 'boolean' },
      },
    }));
  } catch (error) {
    output.error(`${commandName}: ${(error as Error).message}. See --help.`);
    return 2;
  }
  if (values.help) {
    output.log(usage);
    return 0;
  }
  const [command, ...extra] = positionals;
  const algorithm = values.alg ?? 'ES256';
  if (!(supportedAlgorithms as readonly string[]).includes(algorithm)) {
    output.error(
      `${commandName}: unknown algorithm ${JSON.stringify(algorithm)}; one of ${supportedAlgorithms.join(', ')}.`,
    );
    return 2;
  }
  if ((command !== 'generate' && command !== 'public') || extra.length > 0) {
    output.error(`${commandName}: expected the command generate or public. See --help.`);
    return 2;
  }
  let key: ReturnType<typeof generateSigningKey>;
  try {
    key =
      command === 'generate'
        ? generateSigningKey(algorithm as Algorithm)
        : describeKeyPair(algorithm as Algorithm, readStdin());
  } catch (error) {
    output.error(`${commandName}: not a private key PEM (${(error as Error).message.split('\n')[0]}).`);
    return 2;
  }
  if (values.json) {
    output.log(
      JSON.stringify({
        alg: key.algorithm,
        kid: key.kid,
        signingKey: key.signingKey,
        verifyingKey: key.verifyingKey,
      }),
    );
    return 0;
  }
  output.error(`kid: ${key.kid}`);
  output.log((command === 'generate' ? key.signingKey : key.verifyingKey).trimEnd());
  return 0;
}

if (isMainModule(import.meta.url)) {
  process.exitCode = runSimpleJwtKeys(process.argv.slice(2), console);
}
