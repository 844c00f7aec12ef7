import { spawnSync } from 'node:child_process';
import { createPrivateKey, createPublicKey, createSecretKey } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { createTokenBackend } from '../../src/backend/create-token-backend.js';
import { jwkThumbprint } from '../../src/keys/public-jwk.js';
import { resolveSettings } from '../../src/settings.js';
import { settingsFromEnv } from '../../src/settings-from-env.js';
import { segmentJson } from '../support/forge-jwt.js';
import { testClock } from '../support/token-fixture.js';

/** The real command in a child process. */
function run(args: string[], stdin = '') {
  const result = spawnSync(process.execPath, ['--import', 'tsx', 'src/bin/simple-jwt-keys.ts', ...args], {
    cwd: process.cwd(),
    input: stdin,
    encoding: 'utf8',
    env: { PATH: process.env['PATH'] ?? '' },
    timeout: 30_000,
  });
  return { code: result.status, stdout: result.stdout, stderr: result.stderr };
}

const kidOf = (stderr: string) => /^kid: (\S+)\n$/.exec(stderr)?.[1];

describe('simple-jwt-keys', () => {
  it('generate --alg ES256 prints a P-256 private key PEM, and its thumbprint kid on stderr', () => {
    const { code, stdout, stderr } = run(['generate', '--alg', 'ES256']);
    expect(code, stderr).toBe(0);
    expect(stdout).toMatch(/^-----BEGIN PRIVATE KEY-----\n[\s\S]+\n-----END PRIVATE KEY-----\n$/);
    const key = createPrivateKey(stdout);
    expect(key.asymmetricKeyDetails?.namedCurve).toBe('prime256v1');
    const kid = kidOf(stderr);
    expect(kid).toBe(jwkThumbprint(createPublicKey(key).export({ format: 'jwk' })));

    // The output goes into SIMPLE_JWT_SIGNING_KEYS as is, and tokens then carry the printed kid.
    const settings = resolveSettings(
      settingsFromEnv({ SIMPLE_JWT_ALGORITHM: 'ES256', SIMPLE_JWT_SIGNING_KEYS: stdout }),
    );
    const token = createTokenBackend(settings, testClock()).encode({ exp: 1e10 });
    expect(segmentJson(token, 0)).toEqual({ alg: 'ES256', typ: 'JWT', kid });
  });

  it('generate --alg HS512 prints a 64-byte secret; public gives the public key of a private key', () => {
    const secret = run(['generate', '--alg', 'HS512']);
    expect(secret.code).toBe(0);
    expect(secret.stdout).toMatch(/^[A-Za-z0-9_-]{86}\n$/);
    expect(kidOf(secret.stderr)).toBe(
      jwkThumbprint(createSecretKey(Buffer.from(secret.stdout.trim())).export({ format: 'jwk' })),
    );

    const generated = run(['generate', '--alg', 'EdDSA']);
    const published = run(['public'], generated.stdout);
    expect(published.code, published.stderr).toBe(0);
    expect(createPublicKey(published.stdout).equals(createPublicKey(generated.stdout))).toBe(true);
    expect(kidOf(published.stderr)).toBe(kidOf(generated.stderr));
  });

  it('--json prints one object with both keys', () => {
    const { code, stdout } = run(['generate', '--alg', 'RS256', '--json']);
    expect(code).toBe(0);
    const printed = JSON.parse(stdout) as Record<string, string>;
    expect(Object.keys(printed).sort()).toEqual(['alg', 'kid', 'signingKey', 'verifyingKey']);
    expect(printed['alg']).toBe('RS256');
    expect(createPrivateKey(printed['signingKey'] as string).asymmetricKeyDetails?.modulusLength).toBe(2048);
  });

  it.each([
    [['generate', '--alg', 'none'], /unknown algorithm "none"/],
    [['rotate'], /expected the command generate or public/],
    [['generate', '--bits', '9'], /Unknown option '--bits'/],
  ])('refuses %j with exit status 2', (args, message) => {
    const { code, stdout, stderr } = run(args);
    expect(code).toBe(2);
    expect(stdout).toBe('');
    expect(stderr).toMatch(message);
  });

  it('public refuses what is not a private key', () => {
    const { code, stderr } = run(['public'], 'hello');
    expect(code).toBe(2);
    expect(stderr).toMatch(/not a private key PEM/);
  });

  it('is installed as a bin', () => {
    const manifest = JSON.parse(readFileSync('package.json', 'utf8')) as { bin: Record<string, string> };
    expect(manifest.bin['simple-jwt-keys']).toBe('./dist/bin/simple-jwt-keys.js');
    expect(readFileSync('src/bin/simple-jwt-keys.ts', 'utf8')).toMatch(/^#!\/usr\/bin\/env node\n/);
  });
});
