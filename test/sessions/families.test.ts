import { describe, expect, it } from 'vitest';
import { claimsOf } from '../services/fixture.js';
import { simpleJwtToken } from '../support/simple-jwt-token.js';
import { y2k } from '../support/token-fixture.js';
import { failureOf, sessionServer, userAgent } from './session-fixture.js';

describe('a login starts a token family', () => {
  it('puts a random family id and the login time on the refresh and access tokens', async () => {
    const server = await sessionServer();
    server.clock.advance(5);
    const first = await server.login();
    const second = await server.login();
    const refresh = claimsOf(first.refresh);
    expect(refresh['fam']).toMatch(/^[0-9a-f]{32}$/);
    expect(refresh['auth_time']).toBe(y2k + 5);
    expect(claimsOf(first.access)).toMatchObject({ fam: refresh['fam'], auth_time: y2k + 5 });
    expect(claimsOf(second.refresh)['fam']).not.toBe(refresh['fam']);
  });

  it('records the family: user, times, user agent, no revocation, an expiry after its tokens', async () => {
    const server = await sessionServer();
    const { refresh } = await server.login();
    const claims = claimsOf(refresh);
    expect(await server.families()).toEqual([
      {
        _id: claims['fam'],
        user: server.ada._id.toHexString(),
        createdAt: new Date(y2k * 1000),
        lastUsedAt: new Date(y2k * 1000),
        userAgent,
        revokedAt: null,
        revokedReason: null,
        // After the refresh token's exp: an access token made from it, and the last-used throttle.
        expiresAt: new Date(((claims['exp'] as number) + 300 + 60) * 1000),
      },
    ]);
  });

  it('rotation keeps the family id and login time; every rotation continues the same family', async () => {
    const server = await sessionServer();
    const login = await server.login();
    server.clock.advance(120);
    const once = await server.refresh(login.refresh);
    const rotated = once.data?.tokenRefresh?.refresh ?? '';
    server.clock.advance(120);
    const twice = await server.refresh(rotated);
    for (const token of [
      rotated,
      twice.data?.tokenRefresh?.refresh ?? '',
      twice.data?.tokenRefresh?.access ?? '',
    ]) {
      expect(claimsOf(token)).toMatchObject({
        fam: claimsOf(login.refresh)['fam'],
        auth_time: y2k,
      });
    }
    expect(claimsOf(rotated)['iat']).toBe(y2k + 120);
    expect(await server.families()).toHaveLength(1);
  });

  it('updates lastUsedAt at most once a minute, and moves the expiry with the newest token', async () => {
    const server = await sessionServer();
    let { refresh } = await server.login();
    server.clock.advance(30);
    refresh = (await server.refresh(refresh)).data?.tokenRefresh?.refresh ?? '';
    const [afterThirty] = await server.families();
    expect(afterThirty?.['lastUsedAt']).toEqual(new Date(y2k * 1000));
    server.clock.advance(60);
    refresh = (await server.refresh(refresh)).data?.tokenRefresh?.refresh ?? '';
    const [afterNinety] = await server.families();
    expect(afterNinety?.['lastUsedAt']).toEqual(new Date((y2k + 90) * 1000));
    expect(afterNinety?.['expiresAt']).toEqual(new Date(((claimsOf(refresh)['exp'] as number) + 360) * 1000));
  });

  it('a sliding login starts a family too, and sliding refresh keeps it', async () => {
    const server = await sessionServer();
    const sliding = await server.jwt.obtainSlidingToken({ username: 'ada', password: 'ada-password' });
    const claims = claimsOf(sliding.token);
    expect(claims).toMatchObject({ fam: expect.stringMatching(/^[0-9a-f]{32}$/), auth_time: y2k });
    server.clock.advance(100);
    const refreshed = await server.jwt.refreshSlidingToken(sliding.token);
    expect(claimsOf(refreshed.token)).toMatchObject({ fam: claims['fam'], auth_time: y2k });
    expect((await server.families()).map((family) => family['_id'])).toEqual([claims['fam']]);
  });

  it('forUser starts a family outside GraphQL', async () => {
    const server = await sessionServer();
    const refresh = await server.jwt.tokens.RefreshToken.forUser(server.ada);
    expect((await server.families()).map((family) => family['_id'])).toEqual([refresh.get('fam')]);
  });

  it('familyClaim null: Simple JWT claims only, no family records', async () => {
    const server = await sessionServer({ familyClaim: null, authTimeClaim: null });
    const { refresh, access } = await server.login();
    expect(Object.keys(claimsOf(refresh))).toEqual(['token_type', 'exp', 'iat', 'jti', 'user_id']);
    expect(Object.keys(claimsOf(access))).toEqual(['token_type', 'exp', 'iat', 'jti', 'user_id']);
    expect(await server.families()).toEqual([]);
    expect(server.jwt.families).toBeNull();
  });
});

describe('tokens without family claims keep working', () => {
  it('a refresh token issued with families off rotates, and its access token authenticates', async () => {
    const server = await sessionServer();
    // Same key and store, families off: a token issued before families existed.
    const old = await server.jwt.tokens.RefreshToken.forUser(server.ada);
    old.delete('fam');
    old.delete('auth_time');
    const rotated = await server.refresh(old.toString());
    expect(rotated.errors).toBeUndefined();
    const next = rotated.data?.tokenRefresh;
    expect(claimsOf(next?.refresh ?? '')).not.toHaveProperty('fam');
    expect((await server.me(next?.access ?? '')).data?.me?.username).toBe('ada');
    // A rotated-away token without a family is only "blacklisted": there is no family to revoke.
    expect(failureOf(await server.refresh(old.toString()))).toEqual({
      code: 'TOKEN_NOT_VALID',
      reason: undefined,
      message: 'Token is blacklisted',
    });
    expect((await server.refresh(next?.refresh ?? '')).errors).toBeUndefined();
  });

  it('tokens made by Simple JWT itself (same key) refresh and authenticate', async () => {
    const server = await sessionServer({ signingKey: 'a-shared-secret-of-at-least-32-bytes!!' });
    const userIdJson = JSON.stringify(server.ada._id.toHexString());
    const refresh = simpleJwtToken({
      tokenType: 'refresh',
      userIdJson,
      issuedAt: y2k,
      lifetime: 86_400,
      signingKey: 'a-shared-secret-of-at-least-32-bytes!!',
    });
    const access = simpleJwtToken({
      tokenType: 'access',
      userIdJson,
      issuedAt: y2k,
      lifetime: 300,
      signingKey: 'a-shared-secret-of-at-least-32-bytes!!',
    });
    expect((await server.me(access.token)).data?.me?.username).toBe('ada');
    const response = await server.refresh(refresh.token);
    expect(response.errors).toBeUndefined();
    expect(response.data?.tokenRefresh?.refresh).toEqual(expect.any(String));
  });
});
