import { ImproperlyConfiguredError } from 'pothos-plugin-simple-jwt';
import { describe, expect, it } from 'vitest';
import { createVerifiedTokenCache } from '../../src/authentication/verified-token-cache.js';
import { expectError, serviceFixture } from '../services/fixture.js';
import { connectFreshDatabase } from '../support/database.js';
import { tokenFixture, y2k } from '../support/token-fixture.js';

// The cache of validated access tokens (accessTokenCacheSize): behaviour only, never timing.
const connection = await connectFreshDatabase('verified_token_cache');
const user = { id: 'u1', username: 'alice' };
const bearer = (token: string) => ({ authorization: `Bearer ${token}` });

/** Token classes on a test clock at y2k, access tokens living 60 s, and a cache on the same clock. */
function setup(maxEntries = 10) {
  const f = tokenFixture({ settings: { accessTokenLifetime: 60, slidingTokenLifetime: 60 } });
  const cache = createVerifiedTokenCache({ maxEntries, now: f.clock });
  const validatedAccess = async () => {
    const raw = (await f.tokens.AccessToken.forUser(user)).toString();
    return { raw, token: await f.tokens.AccessToken.fromString(raw) };
  };
  return { ...f, cache, validatedAccess };
}

describe('createVerifiedTokenCache', () => {
  it('returns the very token it was given, with its payload frozen', async () => {
    const { cache, validatedAccess } = setup();
    const { raw, token } = await validatedAccess();
    expect(cache.get(raw)).toBeUndefined();
    expect(cache.remember(raw, token)).toBe(true);
    expect(cache.get(raw)).toBe(token);
    expect(Object.isFrozen(token.payload)).toBe(true);
    expect(() => token.set('user_id', 'someone else')).toThrow(TypeError);
  });

  it('drops an entry at the token exp by the instance clock, and re-checks exp on every hit', async () => {
    const { cache, clock, validatedAccess } = setup();
    const { raw, token } = await validatedAccess();
    cache.remember(raw, token);
    expect(token.payload['exp']).toBe(y2k + 60);
    clock.set(y2k + 59);
    expect(cache.get(raw)).toBe(token);
    clock.set(y2k + 60);
    expect(cache.get(raw)).toBeUndefined();
    expect(cache.size).toBe(0);
    // Going back in time does not bring it back: the entry is gone.
    clock.set(y2k);
    expect(cache.get(raw)).toBeUndefined();
  });

  it('refuses a token that is already at its exp', async () => {
    const { cache, clock, validatedAccess } = setup();
    const { raw, token } = await validatedAccess();
    clock.set(y2k + 60);
    expect(cache.remember(raw, token)).toBe(false);
    expect(cache.size).toBe(0);
  });

  it('keeps at most maxEntries, dropping the least recently used first', async () => {
    const { cache, validatedAccess } = setup(2);
    const [first, second, third] = [
      await validatedAccess(),
      await validatedAccess(),
      await validatedAccess(),
    ];
    cache.remember(first.raw, first.token);
    cache.remember(second.raw, second.token);
    expect(cache.get(first.raw)).toBe(first.token);
    cache.remember(third.raw, third.token);
    expect(cache.size).toBe(2);
    expect(cache.get(second.raw)).toBeUndefined();
    expect(cache.get(first.raw)).toBe(first.token);
    expect(cache.get(third.raw)).toBe(third.token);
  });

  it('never holds refresh, sliding or untyped tokens, nor a token under another string', async () => {
    const { cache, tokens, validatedAccess } = setup();
    const refreshRaw = (await tokens.RefreshToken.forUser(user)).toString();
    const slidingRaw = (await tokens.SlidingToken.forUser(user)).toString();
    const { raw: accessRaw, token: access } = await validatedAccess();
    const candidates = [
      [refreshRaw, await tokens.RefreshToken.fromString(refreshRaw)],
      [slidingRaw, await tokens.SlidingToken.fromString(slidingRaw)],
      [accessRaw, await tokens.UntypedToken.fromString(accessRaw)],
      [refreshRaw, access],
    ] as const;
    for (const [raw, token] of candidates) {
      expect(cache.remember(raw, token)).toBe(false);
      expect(cache.get(raw)).toBeUndefined();
    }
    expect(cache.size).toBe(0);
  });

  it('holds nothing with maxEntries 0, and refuses a size that is not a whole number', async () => {
    const { cache, validatedAccess } = setup(0);
    const { raw, token } = await validatedAccess();
    expect(cache.remember(raw, token)).toBe(false);
    expect(cache.get(raw)).toBeUndefined();
    for (const maxEntries of [-1, 1.5, Number.NaN]) {
      expect(() => createVerifiedTokenCache({ maxEntries, now: () => new Date() })).toThrow(
        ImproperlyConfiguredError,
      );
    }
  });
});

describe('accessTokenCacheSize on createSimpleJwt', () => {
  it('authenticates a repeated access token to the same token object (the default); with 0, to a new one', async () => {
    for (const [accessTokenCacheSize, same] of [
      [10, true],
      [undefined, true],
      [0, false],
    ] as const) {
      const f = serviceFixture(connection, { accessTokenCacheSize });
      await f.createUser('cached_user');
      const { access } = await f.login('cached_user');
      const first = await f.jwt.authenticate(bearer(access));
      const second = await f.jwt.authenticate(bearer(access));
      expect(first.token).not.toBeNull();
      expect(first.token === second.token).toBe(same);
      expect(String(second.user?._id)).toBe(String(first.user?._id));
    }
  });

  it('still loads the user on every request: a deleted user is refused with a cached token', async () => {
    const f = serviceFixture(connection, { accessTokenCacheSize: 10 });
    const user = await f.createUser('deleted_later');
    const { access } = await f.login('deleted_later');
    await f.jwt.authenticate(bearer(access));
    await f.User.deleteOne({ _id: user._id });
    await expectError(f.jwt.authenticate(bearer(access)), 'USER_NOT_FOUND', 'User not found');
  });

  it('refuses a cached token once the clock passes its exp', async () => {
    const f = serviceFixture(connection, { accessTokenCacheSize: 10 });
    await f.createUser('expiring');
    const { access } = await f.login('expiring');
    await f.jwt.authenticate(bearer(access));
    f.clock.advance(f.jwt.settings.accessTokenLifetime);
    await expectError(
      f.jwt.authenticate(bearer(access)),
      'TOKEN_NOT_VALID',
      'Given token not valid for any token type',
    );
  });

  it('never caches sliding tokens: each request validates (and looks up the blacklist) again', async () => {
    const f = serviceFixture(connection, {
      accessTokenCacheSize: 10,
      settings: { authTokenClasses: ['sliding'] },
    });
    await f.createUser('sliding_user');
    const { token } = await f.jwt.obtainSlidingToken({ username: 'sliding_user', password: 'test_password' });
    const first = await f.jwt.authenticate(bearer(token));
    expect(first.token).not.toBe((await f.jwt.authenticate(bearer(token))).token);
    await f.jwt.tokens.SlidingToken.fromString(token).then((sliding) => sliding.blacklist());
    await expectError(
      f.jwt.authenticate(bearer(token)),
      'TOKEN_NOT_VALID',
      'Given token not valid for any token type',
    );
  });

  it('refuses a size that is not a whole number at start-up', () => {
    expect(() => serviceFixture(connection, { accessTokenCacheSize: -5 })).toThrow(
      "Simple JWT setting 'accessTokenCacheSize'",
    );
  });
});
