import { describe, expect, it } from 'vitest';
import { TokenVerifyDocument } from '../../examples/generated/graphql.js';
import { failureOf, sessionServer } from './session-fixture.js';

const reused = { code: 'TOKEN_NOT_VALID', reason: 'REFRESH_TOKEN_REUSED', message: 'Token is blacklisted' };
const familyRevoked = {
  code: 'TOKEN_NOT_VALID',
  reason: 'TOKEN_FAMILY_REVOKED',
  message: 'Token family has been revoked',
};

describe('reuse of a rotated-away refresh token (on by default with rotation and blacklistAfterRotation)', () => {
  it('revokes the family: the legitimate holder’s newer refresh token and its access token stop working', async () => {
    const server = await sessionServer();
    const stolen = (await server.login()).refresh;
    server.clock.advance(60);
    const legitimate = (await server.refresh(stolen)).data?.tokenRefresh;
    expect(legitimate?.refresh).toEqual(expect.any(String));
    expect((await server.me(legitimate?.access ?? '')).data?.me?.username).toBe('ada');

    server.clock.advance(60);
    expect(failureOf(await server.refresh(stolen))).toEqual(reused);

    expect(failureOf(await server.refresh(legitimate?.refresh ?? ''))).toEqual(familyRevoked);
    // Database mode: the family's access tokens are refused too.
    expect(failureOf(await server.me(legitimate?.access ?? ''))).toEqual(familyRevoked);
    const [family] = await server.families();
    expect(family).toMatchObject({ revokedAt: new Date((946_684_800 + 120) * 1000), revokedReason: 'reuse' });
  });

  it('every token of the family fails, even one never used; other logins of the user are untouched', async () => {
    const server = await sessionServer();
    const first = (await server.login()).refresh;
    const otherLogin = await server.login();
    const next = (await server.refresh(first)).data?.tokenRefresh?.refresh ?? '';
    const unused = (await server.refresh(next)).data?.tokenRefresh?.refresh ?? '';
    expect(failureOf(await server.refresh(first))).toEqual(reused);
    expect(failureOf(await server.refresh(unused))).toEqual(familyRevoked);
    // Presenting the reused token again: its family is revoked already.
    expect(failureOf(await server.refresh(first))).toEqual(familyRevoked);
    expect((await server.refresh(otherLogin.refresh)).errors).toBeUndefined();
    expect((await server.me(otherLogin.access)).data?.me?.username).toBe('ada');
  });

  it('a token blacklisted by logout (tokenBlacklist) is not reuse: the family lives on', async () => {
    const server = await sessionServer();
    const login = await server.login();
    await server.jwt.blacklistToken(login.refresh);
    expect(failureOf(await server.refresh(login.refresh))).toEqual({
      code: 'TOKEN_NOT_VALID',
      reason: undefined,
      message: 'Token is blacklisted',
    });
    expect((await server.me(login.access)).data?.me?.username).toBe('ada');
    expect((await server.families())[0]?.['revokedAt']).toBeNull();
  });

  it('reuseDetection false: a replay is only "Token is blacklisted"', async () => {
    const server = await sessionServer({ reuseDetection: false });
    const first = (await server.login()).refresh;
    const next = (await server.refresh(first)).data?.tokenRefresh?.refresh ?? '';
    expect(failureOf(await server.refresh(first)).reason).toBeUndefined();
    expect((await server.refresh(next)).errors).toBeUndefined();
  });
});

describe('reuseInterval: a grace period for clients refreshing twice at once', () => {
  it('a replay inside the interval is refused without revoking; after it, it revokes', async () => {
    const server = await sessionServer({ reuseInterval: '30s' });
    const first = (await server.login()).refresh;
    const next = (await server.refresh(first)).data?.tokenRefresh?.refresh ?? '';
    server.clock.advance(29);
    expect(failureOf(await server.refresh(first))).toEqual({
      code: 'TOKEN_NOT_VALID',
      reason: undefined,
      message: 'Token is blacklisted',
    });
    const later = (await server.refresh(next)).data?.tokenRefresh?.refresh ?? '';
    expect(later).not.toBe('');
    server.clock.advance(1);
    expect(failureOf(await server.refresh(first))).toEqual(reused);
    expect(failureOf(await server.refresh(later))).toEqual(familyRevoked);
  });
});

describe('25 concurrent refreshes of one refresh token', () => {
  async function race(settings: { reuseInterval?: number }) {
    const server = await sessionServer(settings);
    const { refresh } = await server.login();
    const responses = await Promise.all(Array.from({ length: 25 }, () => server.refresh(refresh)));
    const winners = responses.filter((response) => response.data?.tokenRefresh?.refresh);
    const losers = responses.filter((response) => response.errors);
    expect(winners).toHaveLength(1);
    expect(losers).toHaveLength(24);
    return { server, winner: winners[0]?.data?.tokenRefresh, losers };
  }

  it('reuseInterval 0: exactly one wins, the others are reuse and revoke the family (the winner’s too)', async () => {
    const { server, winner, losers } = await race({});
    for (const loser of losers) expect([reused, familyRevoked]).toContainEqual(failureOf(loser));
    expect(losers.map(failureOf)).toContainEqual(reused);
    expect(failureOf(await server.refresh(winner?.refresh ?? ''))).toEqual(familyRevoked);
    expect((await server.families())[0]?.['revokedReason']).toBe('reuse');
  });

  it('with a grace interval: exactly one wins, the others are plain "blacklisted", the family lives on', async () => {
    const { server, winner, losers } = await race({ reuseInterval: 10 });
    for (const loser of losers) {
      expect(failureOf(loser)).toEqual({
        code: 'TOKEN_NOT_VALID',
        reason: undefined,
        message: 'Token is blacklisted',
      });
    }
    expect((await server.refresh(winner?.refresh ?? '')).errors).toBeUndefined();
    expect((await server.families())[0]?.['revokedAt']).toBeNull();
    // One outstanding record per token handed out: the losers forgot theirs.
    expect(await server.connection.collection('outstanding_tokens').countDocuments()).toBe(3);
  });
});

describe('tokenVerify and revoked sessions', () => {
  it('a token of a revoked family fails tokenVerify as it fails refresh; another login still verifies', async () => {
    const server = await sessionServer();
    const stolen = await server.login();
    const otherLogin = await server.login();
    const legitimate = (await server.refresh(stolen.refresh)).data?.tokenRefresh;
    const verify = (token: string) => server.execute(TokenVerifyDocument, { token });
    expect((await verify(legitimate?.refresh ?? '')).data).toEqual({ tokenVerify: { valid: true } });

    expect(failureOf(await server.refresh(stolen.refresh))).toEqual(reused);
    expect(failureOf(await verify(legitimate?.refresh ?? ''))).toEqual(familyRevoked);
    expect(failureOf(await verify(legitimate?.access ?? ''))).toEqual(familyRevoked);
    expect((await verify(otherLogin.refresh)).data).toEqual({ tokenVerify: { valid: true } });
  });
});
