import { describe, expect, it } from 'vitest';
import { connectFreshDatabase } from '../support/database.js';
import { y2k } from '../support/token-fixture.js';
import { claimsOf, craftedToken, expectError, lifetimes, password, serviceFixture } from './fixture.js';

const connection = await connectFreshDatabase('services_verify_blacklist');

describe('verifyToken (TokenVerifySerializer)', () => {
  it('accepts a token of any type: access, refresh, sliding, or a custom "fake_type"', async () => {
    const f = serviceFixture(connection);
    await f.createUser('test_user');
    const pair = await f.login('test_user');
    const { token: sliding } = await f.jwt.obtainSlidingToken({ username: 'test_user', password });
    const fake = craftedToken(f.jwt.tokens.AccessToken, (token) => token.set('token_type', 'fake_type'));
    for (const token of [pair.access, pair.refresh, sliding, fake]) {
      expect(await f.jwt.verifyToken(token)).toEqual({ valid: true });
    }
  });

  it.each([
    ['no exp', "Token has no 'exp' claim", 0],
    ['exp exactly now', 'Token is expired', lifetimes.access],
    ['exp 1 s past', 'Token is expired', lifetimes.access + 1],
    ['no jti', 'Token has no id', 0],
  ])('refuses a token with %s: %s', async (situation, message, elapsed) => {
    const f = serviceFixture(connection);
    const token = craftedToken(f.jwt.tokens.AccessToken, (access) => {
      if (situation === 'no exp') access.delete('exp');
      if (situation === 'no jti') access.delete('jti');
    });
    f.clock.advance(elapsed);
    await expectError(f.jwt.verifyToken(token), 'TOKEN_NOT_VALID', message);
  });

  it('accepts a token 1 s before its exp', async () => {
    const f = serviceFixture(connection);
    const token = craftedToken(f.jwt.tokens.AccessToken, () => undefined);
    f.clock.advance(lifetimes.access - 1);
    expect(await f.jwt.verifyToken(token)).toEqual({ valid: true });
  });

  it('refuses a tampered token: "Token is invalid"', async () => {
    const f = serviceFixture(connection);
    const token = craftedToken(f.jwt.tokens.AccessToken, () => undefined);
    await expectError(f.jwt.verifyToken(`${token.slice(0, -2)}xx`), 'TOKEN_NOT_VALID', 'Token is invalid');
  });

  // A documented difference: Simple JWT checks only with blacklistAfterRotation.
  it('refuses a blacklisted refresh token even without blacklistAfterRotation', async () => {
    const f = serviceFixture(connection);
    await f.createUser('test_user');
    const { refresh } = await f.login('test_user');
    await f.jwt.blacklistToken(refresh);
    await expectError(f.jwt.verifyToken(refresh), 'TOKEN_NOT_VALID', 'Token is blacklisted');
  });

  it('does not check the user: a deleted user’s token still verifies', async () => {
    const f = serviceFixture(connection);
    const user = await f.createUser('test_user');
    const { access } = await f.login('test_user');
    await f.User.deleteOne({ _id: user._id });
    expect(await f.jwt.verifyToken(access)).toEqual({ valid: true });
  });
});

describe('blacklistToken (TokenBlacklistSerializer, logout)', () => {
  it('blacklists a valid refresh token: one outstanding and one blacklisted record', async () => {
    const f = serviceFixture(connection);
    await f.createUser('test_user');
    const { refresh } = await f.login('test_user');
    expect(await f.jwt.blacklistToken(refresh)).toEqual({ blacklisted: true });

    const outstanding = await f.outstanding();
    expect(outstanding).toHaveLength(1);
    const blacklisted = await f.blacklisted();
    expect(blacklisted).toHaveLength(1);
    // Both keyed by the jti: the shared _id is the one-to-one relation.
    expect(outstanding[0]?.['_id']).toBe(claimsOf(refresh)['jti']);
    expect(blacklisted[0]).toEqual({
      _id: claimsOf(refresh)['jti'],
      blacklistedAt: expect.any(Date),
      expiresAt: new Date((y2k + lifetimes.refresh) * 1000),
    });
  });

  it('then refuses the same token again, and on refresh: "Token is blacklisted"', async () => {
    const f = serviceFixture(connection);
    await f.createUser('test_user');
    const { refresh } = await f.login('test_user');
    await f.jwt.blacklistToken(refresh);
    await expectError(f.jwt.blacklistToken(refresh), 'TOKEN_NOT_VALID', 'Token is blacklisted');
    await expectError(f.jwt.refreshToken(refresh), 'TOKEN_NOT_VALID', 'Token is blacklisted');
    expect(await f.blacklisted()).toHaveLength(1);
  });

  it('keeps a blacklisted token refused after its user is deleted', async () => {
    const f = serviceFixture(connection);
    const user = await f.createUser('test_user');
    const { refresh } = await f.login('test_user');
    await f.jwt.blacklistToken(refresh);
    await f.User.deleteOne({ _id: user._id });
    await expectError(f.jwt.refreshToken(refresh), 'TOKEN_NOT_VALID', 'Token is blacklisted');
  });

  it('refuses an access token: "Token has wrong type"', async () => {
    const f = serviceFixture(connection);
    await f.createUser('test_user');
    const { access } = await f.login('test_user');
    await expectError(f.jwt.blacklistToken(access), 'TOKEN_NOT_VALID', 'Token has wrong type');
    expect(await f.blacklisted()).toEqual([]);
  });

  it.each([
    ['no exp', "Token has no 'exp' claim", 0],
    ['an expired exp', 'Token is expired', lifetimes.refresh],
  ])('refuses a refresh token with %s', async (situation, message, elapsed) => {
    const f = serviceFixture(connection);
    const refresh = new f.jwt.tokens.RefreshToken();
    if (situation === 'no exp') refresh.delete('exp');
    f.clock.advance(elapsed);
    await expectError(f.jwt.blacklistToken(refresh.toString()), 'TOKEN_NOT_VALID', message);
  });

  it('records a token it never issued (issued elsewhere) when blacklisting it', async () => {
    const f = serviceFixture(connection);
    const refresh = new f.jwt.tokens.RefreshToken();
    refresh.set('user_id', '7');
    expect(await f.jwt.blacklistToken(refresh.toString())).toEqual({ blacklisted: true });
    expect(await f.outstanding()).toMatchObject([
      { _id: refresh.get('jti'), user: '7', tokenType: 'refresh' },
    ]);
    expect(await f.blacklisted()).toMatchObject([{ _id: refresh.get('jti') }]);
  });

  it('10 concurrent blacklist calls: one record, no error but "Token is blacklisted"', async () => {
    const f = serviceFixture(connection);
    await f.createUser('test_user');
    const { refresh } = await f.login('test_user');
    const results = await Promise.allSettled(Array.from({ length: 10 }, () => f.jwt.blacklistToken(refresh)));
    const fulfilled = results.filter((result) => result.status === 'fulfilled');
    expect(fulfilled.length).toBeGreaterThanOrEqual(1);
    for (const result of fulfilled) expect(result.value).toEqual({ blacklisted: true });
    for (const result of results) {
      if (result.status === 'rejected') {
        expect({ code: result.reason.extensions?.code, message: result.reason.message }).toEqual({
          code: 'TOKEN_NOT_VALID',
          message: 'Token is blacklisted',
        });
      }
    }
    expect(await f.outstanding()).toHaveLength(1);
    expect((await f.blacklisted()).map((record) => record['_id'])).toEqual([claimsOf(refresh)['jti']]);
  });
});
