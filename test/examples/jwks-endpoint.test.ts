import { createPrivateKey } from 'node:crypto';
import { createScryptPasswordHasher, insecureTestScryptOptions } from 'pothos-plugin-simple-jwt';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { createExampleApp } from '../../examples/yoga/app.js';
import { exampleServerEnvironment } from '../../examples/yoga/server-environment.js';
import { connectFreshDatabase, freshDatabaseUri } from '../support/database.js';
import { hmacSecret, testKeys } from '../support/jwt-keys.js';

const connection = await connectFreshDatabase('jwks_endpoint');
const passwordHasher = createScryptPasswordHasher(insecureTestScryptOptions);
const url = 'http://example/.well-known/jwks.json';

afterEach(() => {
  vi.restoreAllMocks();
});

describe('GET /.well-known/jwks.json on the example server', () => {
  const { yoga } = createExampleApp({
    connection,
    passwordHasher,
    settings: {
      algorithm: 'ES256',
      signingKeys: [{ key: testKeys('p256').privatePem, kid: 'current' }],
      retiredKeys: [{ key: testKeys('p256b').publicPem, kid: 'previous' }],
    },
  });

  it('serves the public keys, cacheable for five minutes', async () => {
    const response = await yoga.fetch(url);
    expect(response.status).toBe(200);
    expect(response.headers.get('cache-control')).toBe('public, max-age=300');
    expect(response.headers.get('content-type')).toBe('application/json');
    const { keys } = (await response.json()) as { keys: { kid: string; alg: string; use: string }[] };
    expect(keys.map(({ kid, alg, use }) => ({ kid, alg, use }))).toEqual([
      { kid: 'current', alg: 'ES256', use: 'sig' },
      { kid: 'previous', alg: 'ES256', use: 'sig' },
    ]);
    expect(JSON.stringify(keys)).not.toContain('"d"');
  });

  it('answers HEAD without a body and other methods with 405', async () => {
    const head = await yoga.fetch(url, { method: 'HEAD' });
    expect(head.status).toBe(200);
    expect(await head.text()).toBe('');
    const post = await yoga.fetch(url, { method: 'POST', body: '{}' });
    expect(post.status).toBe(405);
    expect(post.headers.get('allow')).toBe('GET, HEAD');
  });

  it('is not there with HMAC: a secret is never published', async () => {
    const hmac = createExampleApp({ connection, passwordHasher, settings: { signingKey: hmacSecret } });
    expect(hmac.jwt.jwks()).toEqual({ keys: [] });
    expect((await hmac.yoga.fetch(url)).status).toBe(404);
  });
});

describe("the example server's keys from the environment", () => {
  async function settingsFor(env: Record<string, string>) {
    const environment = await exampleServerEnvironment({ MONGODB_URI: freshDatabaseUri('jwks_env'), ...env });
    await environment.close();
    return environment.settings;
  }

  it('with SIMPLE_JWT_ALGORITHM=ES256 and no key, generates one and warns', async () => {
    const warn = vi.spyOn(console, 'warn').mockImplementation(() => undefined);
    const settings = await settingsFor({ SIMPLE_JWT_ALGORITHM: 'ES256' });
    const [generated] = settings.signingKeys ?? [];
    expect(createPrivateKey(generated as string).asymmetricKeyDetails?.namedCurve).toBe('prime256v1');
    expect(warn).toHaveBeenCalledWith(
      expect.stringMatching(/^SIMPLE_JWT_SIGNING_KEYS is not set: using a new ES256 key \(kid [\w-]{43}\)/),
    );
  });

  it('signs from a ring of one with an asymmetric SIMPLE_JWT_SIGNING_KEY, so tokens carry a kid', async () => {
    const settings = await settingsFor({
      SIMPLE_JWT_ALGORITHM: 'ES256',
      SIMPLE_JWT_SIGNING_KEY: testKeys('p256').privatePem,
    });
    expect(settings.signingKeys).toEqual([testKeys('p256').privatePem]);
    expect(settings.signingKey).toBeUndefined();
  });

  it('keeps HMAC as it was', async () => {
    const settings = await settingsFor({ SIMPLE_JWT_SIGNING_KEY: hmacSecret });
    expect(settings).toMatchObject({ signingKey: hmacSecret });
    expect(settings.signingKeys).toBeUndefined();
  });
});
