import { describe, expect, it } from 'vitest';
import { connectFreshDatabase } from '../support/database.js';
import { y2k } from '../support/token-fixture.js';
import { claimsOf, expectError, jtiPattern, lifetimes, serviceFixture } from './fixture.js';

const connection = await connectFreshDatabase('services_rotation');
const withClaim = {
  getToken: (_user: object, token: { set(claim: string, value: unknown): void }) =>
    token.set('test_claim', 'x'),
};

describe('refreshToken with rotateRefreshTokens', () => {
  it('without blacklistAfterRotation: a new refresh token with a new jti, both recorded, the old one still usable', async () => {
    const f = serviceFixture(connection, { settings: { rotateRefreshTokens: true }, ...withClaim });
    const user = await f.createUser('test_user');
    const { refresh } = await f.login('test_user');
    f.clock.advance(100);
    const result = await f.jwt.refreshToken(refresh);
    expect(Object.keys(result).sort()).toEqual(['access', 'refresh']);

    const old = claimsOf(refresh);
    const rotated = claimsOf(result.refresh ?? '');
    expect(rotated).toMatchObject({
      token_type: 'refresh',
      exp: y2k + 100 + lifetimes.refresh,
      iat: y2k + 100,
      user_id: user._id.toHexString(),
      test_claim: 'x',
    });
    expect(rotated['jti']).toMatch(jtiPattern);
    expect(rotated['jti']).not.toBe(old['jti']);
    expect(claimsOf(result.access)).toMatchObject({ exp: y2k + 100 + lifetimes.access, test_claim: 'x' });

    const records = await f.outstanding();
    expect(records.map((record) => record['_id']).sort()).toEqual([old['jti'], rotated['jti']].sort());
    expect(records.find((record) => record['_id'] === rotated['jti'])).toMatchObject({
      user: user._id.toHexString(),
      tokenType: 'refresh',
      createdAt: new Date((y2k + 100) * 1000),
      expiresAt: new Date((y2k + 100 + lifetimes.refresh) * 1000),
    });
    expect(await f.blacklisted()).toEqual([]);
    await expect(f.jwt.refreshToken(refresh)).resolves.toHaveProperty('refresh');
    expect(await f.outstanding()).toHaveLength(3);
  });

  it('with blacklistAfterRotation: the old token is blacklisted once, the new one works', async () => {
    const f = serviceFixture(connection, {
      // Reuse detection would revoke the family on the replay below (tested in test/sessions).
      settings: { rotateRefreshTokens: true, blacklistAfterRotation: true, reuseDetection: false },
      ...withClaim,
    });
    await f.createUser('test_user');
    const { refresh } = await f.login('test_user');
    const result = await f.jwt.refreshToken(refresh);
    const oldJti = claimsOf(refresh)['jti'];
    const newJti = claimsOf(result.refresh ?? '')['jti'];

    await expectError(f.jwt.refreshToken(refresh), 'TOKEN_NOT_VALID', 'Token is blacklisted');
    const outstanding = await f.outstanding();
    expect(outstanding.map((record) => record['_id']).sort()).toEqual([oldJti, newJti].sort());
    const blacklisted = await f.blacklisted();
    expect(blacklisted).toHaveLength(1);
    // The shared key is the one-to-one relation: the blacklist record's _id is the outstanding one's.
    expect(blacklisted[0]).toMatchObject({ _id: oldJti });

    const next = await f.jwt.refreshToken(result.refresh ?? '');
    expect(claimsOf(next.refresh ?? '')['test_claim']).toBe('x');
    expect((await f.blacklisted()).map((record) => record['_id']).sort()).toEqual([oldJti, newJti].sort());
  });

  it('blacklists nothing and issues nothing when the user check fails', async () => {
    const f = serviceFixture(connection, {
      settings: { rotateRefreshTokens: true, blacklistAfterRotation: true },
    });
    const user = await f.createUser('test_user');
    const { refresh } = await f.login('test_user');
    await f.User.updateOne({ _id: user._id }, { isActive: false });
    await expectError(
      f.jwt.refreshToken(refresh),
      'NO_ACTIVE_ACCOUNT',
      'No active account found for the given token.',
    );
    expect(await f.outstanding()).toHaveLength(1);
    expect(await f.blacklisted()).toEqual([]);
  });
});
