import { describe, expect, it } from 'vitest';
import { TokenObtainSlidingDocument, TokenRefreshSlidingDocument } from '../../examples/generated/graphql.js';
import { claimsOf } from '../services/fixture.js';
import { y2k } from '../support/token-fixture.js';
import { credentials, failureOf, sessionServer } from './session-fixture.js';

const expired = {
  code: 'TOKEN_NOT_VALID',
  reason: 'TOKEN_FAMILY_EXPIRED',
  message: 'Token family has expired',
};

describe('refreshTokenFamilyLifetime: an absolute session lifetime from the login', () => {
  it('rotation never issues a token past auth_time + lifetime, and no refresh succeeds after it', async () => {
    const server = await sessionServer({ refreshTokenLifetime: '1d', refreshTokenFamilyLifetime: '2d' });
    let { refresh } = await server.login();
    const deadline = y2k + 2 * 86_400;
    for (const step of [20 * 3600, 20 * 3600, 7 * 3600]) {
      server.clock.advance(step);
      const response = await server.refresh(refresh);
      expect(response.errors).toBeUndefined();
      refresh = response.data?.tokenRefresh?.refresh ?? '';
      expect(claimsOf(refresh)['exp']).toBeLessThanOrEqual(deadline);
      expect(claimsOf(response.data?.tokenRefresh?.access ?? '')['exp']).toBeLessThanOrEqual(deadline);
    }
    // The last rotation (47 h after login) was capped at the deadline, not 24 h later.
    expect(claimsOf(refresh)['exp']).toBe(deadline);
    server.clock.set(deadline - 1);
    const last = await server.refresh(refresh);
    expect(last.errors).toBeUndefined();
    // Capped at the deadline, the token itself has expired there.
    server.clock.set(deadline);
    expect(failureOf(await server.refresh(last.data?.tokenRefresh?.refresh ?? ''))).toMatchObject({
      code: 'TOKEN_NOT_VALID',
      message: 'Token is expired',
    });
  });

  it('a token whose exp outlives its family (issued before the limit was set) fails "Token family has expired"', async () => {
    const server = await sessionServer({ refreshTokenFamilyLifetime: '1h' });
    const refresh = await server.jwt.tokens.RefreshToken.forUser(server.ada);
    // As issued by an instance without the limit: a whole day.
    refresh.set('exp', y2k + 86_400);
    server.clock.advance(3599);
    const response = await server.refresh(refresh.toString());
    expect(response.errors).toBeUndefined();
    expect(claimsOf(response.data?.tokenRefresh?.refresh ?? '')['exp']).toBe(y2k + 3600);
    server.clock.advance(1);
    expect(failureOf(await server.refresh(response.data?.tokenRefresh?.refresh ?? ''))).toMatchObject({
      message: 'Token is expired',
    });
    const another = await server.jwt.tokens.RefreshToken.forUser(server.ada);
    another.set('exp', y2k + 3600 + 86_400);
    another.set('auth_time', y2k);
    expect(failureOf(await server.refresh(another.toString()))).toEqual(expired);
  });

  it('a lifetime shorter than the refresh lifetime caps the login’s own tokens', async () => {
    const server = await sessionServer({ refreshTokenFamilyLifetime: '1h' });
    const { refresh, access } = await server.login();
    expect(claimsOf(refresh)['exp']).toBe(y2k + 3600);
    expect(claimsOf(access)['exp']).toBe(y2k + 300);
  });

  it('applies to sliding tokens: refresh_exp and exp capped, no sliding refresh after the deadline', async () => {
    const server = await sessionServer({
      refreshTokenFamilyLifetime: '10m',
      authTokenClasses: ['access', 'sliding'],
    });
    const obtained = await server.execute(TokenObtainSlidingDocument, credentials);
    const token = obtained.data?.tokenObtainSliding?.token ?? '';
    expect(claimsOf(token)['refresh_exp']).toBe(y2k + 600);
    server.clock.advance(4 * 60);
    const refreshed = await server.execute(TokenRefreshSlidingDocument, { token });
    const next = refreshed.data?.tokenRefreshSliding?.token ?? '';
    expect(claimsOf(next)['exp']).toBe(y2k + 240 + 300);
    server.clock.advance(4 * 60);
    const capped = await server.execute(TokenRefreshSlidingDocument, { token: next });
    expect(claimsOf(capped.data?.tokenRefreshSliding?.token ?? '')['exp']).toBe(y2k + 600);
    server.clock.set(y2k + 600);
    const late = await server.execute(TokenRefreshSlidingDocument, { token: next });
    expect(failureOf(late)).toMatchObject({ code: 'TOKEN_NOT_VALID' });
  });

  it('without auth_time (older tokens) there is no absolute limit', async () => {
    const server = await sessionServer({ refreshTokenFamilyLifetime: '1h', refreshTokenLifetime: '1d' });
    const old = await server.jwt.tokens.RefreshToken.forUser(server.ada);
    old.delete('auth_time');
    old.setExp();
    server.clock.advance(2 * 3600);
    const response = await server.refresh(old.toString());
    expect(response.errors).toBeUndefined();
    expect(claimsOf(response.data?.tokenRefresh?.refresh ?? '')['exp']).toBe(y2k + 2 * 3600 + 86_400);
  });
});
