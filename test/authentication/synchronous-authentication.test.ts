import { describe, expect, it } from 'vitest';
import { createSimpleJwt, createUserModel, type SimpleJwtSettings, TokenError } from '../../src/index.js';
import { connectFreshDatabase } from '../support/database.js';
import { hmacSecret } from '../support/jwt-keys.js';
import { testClock } from '../support/token-fixture.js';

// Authentication that needs no I/O returns the context itself (no promise for Yoga to wait on); what
// needs I/O returns a promise; both give the same results and the same errors.

const connection = await connectFreshDatabase('sync_auth');
const clock = testClock(Math.floor(Date.now() / 1000));

function statelessJwt(settings: SimpleJwtSettings = {}, accessTokenCacheSize?: number) {
  return createSimpleJwt({
    settings: { signingKey: hmacSecret, ...settings },
    now: clock,
    ...(accessTokenCacheSize === undefined ? {} : { accessTokenCacheSize }),
  });
}

function yogaInput(authorization?: string) {
  return {
    request: {
      headers: { get: (name: string) => (name === 'authorization' ? (authorization ?? null) : null) },
    },
  };
}

function isPromise(value: unknown): value is Promise<unknown> {
  return value instanceof Promise;
}

async function accessFor(jwt: ReturnType<typeof statelessJwt>, id = '42'): Promise<string> {
  return String(await jwt.tokens.AccessToken.forUser({ id }));
}

describe('stateless authentication without I/O', () => {
  it.each([
    ['no cache', 0],
    ['the verified-token cache', 10],
  ])('returns the context itself for a valid token, with %s, every time', async (_name, cacheSize) => {
    const jwt = statelessJwt({}, cacheSize);
    const access = await accessFor(jwt);
    for (let request = 0; request < 2; request += 1) {
      const context = jwt.yogaContext(yogaInput(`Bearer ${access}`));
      expect(isPromise(context)).toBe(false);
      expect(context).toMatchObject({ user: null, tokenUser: { id: '42' } });
    }
  });

  it('returns the anonymous context itself without a header', () => {
    const context = statelessJwt().yogaContext(yogaInput());
    expect(isPromise(context)).toBe(false);
    expect(context).toEqual({ user: null, tokenUser: null, token: null });
  });

  it('rejects a bad token through a promise, with every class tried and the configured challenge', async () => {
    const jwt = statelessJwt({ authHeaderTypes: ['JWT'], authTokenClasses: ['access', 'untyped'] });
    const expired = await accessFor(jwt);
    clock.advance(jwt.settings.accessTokenLifetime);
    try {
      const context = jwt.yogaContext(yogaInput(`JWT ${expired}`));
      expect(isPromise(context)).toBe(true);
      const error = await Promise.resolve(context).catch((caught: unknown) => caught);
      expect(error).toBeInstanceOf(TokenError);
      expect((error as TokenError).extensions).toMatchObject({
        code: 'TOKEN_NOT_VALID',
        messages: [
          { tokenClass: 'AccessToken', tokenType: 'access', message: 'Token is expired' },
          { tokenClass: 'UntypedToken', tokenType: 'untyped', message: 'Token is expired' },
        ],
        http: { status: 401, headers: { 'WWW-Authenticate': 'JWT realm="api"' } },
      });
      // The same error through the promise API.
      await expect(jwt.authenticate({ authorization: `JWT ${expired}` })).rejects.toMatchObject({
        extensions: { messages: [{ message: 'Token is expired' }, { message: 'Token is expired' }] },
      });
    } finally {
      clock.advance(-jwt.settings.accessTokenLifetime);
    }
  });

  it('answers anonymous at once for a bad token with anonymousOnInvalidToken', () => {
    const context = statelessJwt({ anonymousOnInvalidToken: true }).yogaContext(
      yogaInput('Bearer abc.def.ghi'),
    );
    expect(isPromise(context)).toBe(false);
    expect(context).toEqual({ user: null, tokenUser: null, token: null });
  });

  it('checks a sliding token against the blacklist (a promise), and still answers access tokens at once', async () => {
    const jwt = createSimpleJwt({
      settings: { signingKey: hmacSecret, authTokenClasses: ['access', 'sliding'] },
      connection,
      userLookup: 'stateless',
      now: clock,
    });
    const access = await accessFor(jwt);
    expect(isPromise(jwt.yogaContext(yogaInput(`Bearer ${access}`)))).toBe(false);
    const sliding = await jwt.tokens.SlidingToken.forUser({ id: '7' });
    const first = jwt.yogaContext(yogaInput(`Bearer ${sliding}`));
    expect(isPromise(first)).toBe(true);
    expect(await first).toMatchObject({ tokenUser: { id: '7' } });
    await sliding.blacklist();
    await expect(jwt.yogaContext(yogaInput(`Bearer ${sliding}`))).rejects.toMatchObject({
      extensions: {
        code: 'TOKEN_NOT_VALID',
        messages: [
          { tokenClass: 'AccessToken', message: 'Token has wrong type' },
          { tokenClass: 'SlidingToken', message: 'Token is blacklisted' },
        ],
      },
    });
  });
});

describe('database mode', () => {
  it('returns a promise (the user lookup) that resolves to the user', async () => {
    const User = createUserModel(connection);
    const jwt = createSimpleJwt({
      settings: { signingKey: hmacSecret },
      connection,
      userModel: User,
      now: clock,
    });
    const user = await User.create({ username: 'sync_user', password: 'x' });
    const access = String(await jwt.tokens.AccessToken.forUser(user));
    const context = jwt.yogaContext(yogaInput(`Bearer ${access}`));
    expect(isPromise(context)).toBe(true);
    expect(String((await context).user?._id)).toBe(String(user._id));
  });
});
