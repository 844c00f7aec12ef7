import { describe, expect, it } from 'vitest';
import { TokenError } from '../../src/errors.js';
import { bindTokenClasses } from '../../src/tokens/bind-token-classes.js';
import type { TokenUserReader } from '../../src/tokens/token-context.js';
import { testUsers, tokenFixture, y2k } from '../support/token-fixture.js';

const day = 86_400;
const user = { id: '42', username: 'deep-thought', password: 'pbkdf2_sha256$1$salt$hash' };
const jan1 = Date.UTC(2025, 0, 1) / 1000;

describe('access, refresh and sliding tokens', () => {
  it.each([
    ['AccessToken', 'access', 300],
    ['RefreshToken', 'refresh', day],
    ['SlidingToken', 'sliding', 300],
  ] as const)('a new %s has type %s and its lifetime', (name, type, lifetime) => {
    const { tokens } = tokenFixture();
    const token = new tokens[name]();
    expect(token.get('token_type')).toBe(type);
    expect(token.get('exp')).toBe(y2k + lifetime);
    expect(tokens[name].name).toBe(name);
  });

  it('takes lifetimes from settings', () => {
    const { tokens } = tokenFixture({
      settings: { accessTokenLifetime: '10m', refreshTokenLifetime: '7d', slidingTokenLifetime: 90 },
    });
    expect(new tokens.AccessToken().get('exp')).toBe(y2k + 600);
    expect(new tokens.RefreshToken().get('exp')).toBe(y2k + 7 * day);
    expect(new tokens.SlidingToken().get('exp')).toBe(y2k + 90);
  });

  it('gives a new sliding token refresh_exp = now + slidingTokenRefreshLifetime', () => {
    const { tokens } = tokenFixture({ settings: { slidingTokenRefreshLifetime: '2d' } });
    const sliding = new tokens.SlidingToken();
    expect(Object.keys(sliding.payload)).toEqual(['token_type', 'exp', 'iat', 'jti', 'refresh_exp']);
    expect(sliding.get('refresh_exp')).toBe(y2k + 2 * day);
  });

  it('names refresh_exp after slidingTokenRefreshExpClaim, and keeps it when parsing', async () => {
    const { tokens, clock } = tokenFixture({ settings: { slidingTokenRefreshExpClaim: 'renew_until' } });
    const sliding = new tokens.SlidingToken();
    expect(sliding.get('renew_until')).toBe(y2k + day);
    clock.advance(10);
    const parsed = await tokens.SlidingToken.fromString(sliding.toString());
    expect(parsed.get('renew_until')).toBe(y2k + day);
    expect(parsed.get('iat')).toBe(y2k);
  });
});

describe('forUser', () => {
  it('adds the user id as a string, after the standard claims', async () => {
    const { tokens } = tokenFixture();
    const refresh = await tokens.RefreshToken.forUser(user);
    // The user id, then the login time; no family id, since this instance keeps no family records
    // (a family id without its record would read as a revoked session wherever one is checked).
    expect(Object.keys(refresh.payload)).toEqual(['token_type', 'exp', 'iat', 'jti', 'user_id', 'auth_time']);
    expect(refresh.get('user_id')).toBe('42');
    const sliding = await tokens.SlidingToken.forUser(user);
    expect(Object.keys(sliding.payload)).toEqual([
      'token_type',
      'exp',
      'iat',
      'jti',
      'refresh_exp',
      'user_id',
      'auth_time',
    ]);
  });

  it('uses the user reader for the id (userIdField) and userIdClaim for the claim', async () => {
    const byUsername: TokenUserReader = { ...testUsers, idOf: (u) => (u as typeof user).username };
    const { context, tokens } = tokenFixture({ settings: { userIdClaim: 'sub' } });
    const access = await bindTokenClasses({ ...context, users: byUsername }).AccessToken.forUser(user);
    expect(access.get('sub')).toBe('deep-thought');
    expect((await tokens.AccessToken.forUser({ id: 7 })).get('sub')).toBe('7');
  });

  it('adds the keyed hash of the password hash with checkRevokeToken', async () => {
    const { tokens, context } = tokenFixture({
      settings: { checkRevokeToken: true, revokeTokenClaim: 'revoke_token_claim' },
    });
    const access = await tokens.AccessToken.forUser(user);
    expect(access.get('revoke_token_claim')).toBe(context.revokeHashOf(user.password));
    expect(access.get('revoke_token_claim')).toMatch(/^[0-9A-F]{64}$/);
    const withoutPassword = await tokens.AccessToken.forUser({ id: '43' });
    expect(withoutPassword.has('revoke_token_claim')).toBe(false);
    const { tokens: off } = tokenFixture();
    expect((await off.AccessToken.forUser(user)).has('hash_password')).toBe(false);
  });

  it('warns about, but still issues, a token for an inactive user', async () => {
    const { tokens, warnings } = tokenFixture();
    await tokens.AccessToken.forUser(user);
    expect(warnings).toEqual([]);
    const token = await tokens.AccessToken.forUser({ ...user, isActive: false });
    expect(token.get('user_id')).toBe('42');
    expect(warnings).toEqual([
      "Creating token for inactive user: 42. If this is not intentional, consider checking the user's status before calling the `forUser` method.",
    ]);
  });

  it('runs beforeRecord on the finished token', async () => {
    const { tokens } = tokenFixture();
    const seen: unknown[] = [];
    const refresh = await tokens.RefreshToken.forUser(user, {
      beforeRecord: async (token) => {
        seen.push(token.get('user_id'));
        token.set('custom', 'claim');
      },
    });
    expect(seen).toEqual(['42']);
    expect(refresh.get('custom')).toBe('claim');
  });
});

describe('refresh.accessToken', () => {
  it('copies every claim but type, exp, iat and jti; exp counts from the refresh token’s time', async () => {
    const { tokens, clock } = tokenFixture();
    clock.set(jan1);
    const refresh = await tokens.RefreshToken.forUser(user);
    refresh.set('test_claim', 'arst');
    clock.set(jan1 + day);
    const access = refresh.accessToken;
    expect(access).toBeInstanceOf(tokens.AccessToken);
    expect(Object.keys(access.payload)).toEqual([
      'token_type',
      'exp',
      'iat',
      'jti',
      'user_id',
      'auth_time',
      'test_claim',
    ]);
    expect(access.payload).toEqual({
      token_type: 'access',
      exp: jan1 + 300,
      iat: jan1 + day,
      jti: expect.stringMatching(/^[0-9a-f]{32}$/),
      user_id: '42',
      auth_time: jan1,
      test_claim: 'arst',
    });
    for (const claim of ['token_type', 'exp', 'iat', 'jti'])
      expect(access.get(claim)).not.toEqual(refresh.get(claim));
  });

  it('counts from the parse time of a parsed refresh token', async () => {
    const { tokens, clock } = tokenFixture();
    const encoded = (await tokens.RefreshToken.forUser(user)).toString();
    clock.advance(1000);
    const parsed = await tokens.RefreshToken.fromString(encoded);
    expect(parsed.accessToken.get('exp')).toBe(y2k + 1000 + 300);
  });

  it('honours custom type and id claim names', async () => {
    const { tokens } = tokenFixture({ settings: { tokenTypeClaim: 'typ', jtiClaim: 'token_id' } });
    const refresh = await tokens.RefreshToken.forUser(user);
    const access = refresh.accessToken;
    expect(access.get('typ')).toBe('access');
    expect(access.get('token_id')).not.toBe(refresh.get('token_id'));
    expect(access.has('jti')).toBe(false);
  });
});

describe('UntypedToken', () => {
  it('parses access, refresh and sliding tokens alike', async () => {
    const { tokens } = tokenFixture();
    for (const TokenClass of [tokens.AccessToken, tokens.RefreshToken, tokens.SlidingToken]) {
      const token = await TokenClass.forUser(user);
      const untyped = await tokens.UntypedToken.fromString(token.toString());
      expect(untyped.payload).toEqual({ ...token.payload });
    }
  });

  it('still requires exp and an id', async () => {
    const { tokens } = tokenFixture();
    const noJti = new tokens.AccessToken();
    noJti.delete('jti');
    await expect(tokens.UntypedToken.fromString(noJti.toString())).rejects.toThrow(
      new TokenError('Token has no id'),
    );
    const noExp = new tokens.AccessToken();
    noExp.delete('exp');
    await expect(tokens.UntypedToken.fromString(noExp.toString())).rejects.toThrow(
      "Token has no 'exp' claim",
    );
  });

  it('is born expired', () => {
    const { tokens } = tokenFixture();
    const untyped = new tokens.UntypedToken();
    expect(untyped.get('token_type')).toBe('untyped');
    expect(untyped.get('exp')).toBe(y2k);
    expect(() => untyped.checkExp()).toThrow("Token 'exp' claim has expired");
  });
});
