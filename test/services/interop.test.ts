import { describe, expect, it } from 'vitest';
import { connectFreshDatabase } from '../support/database.js';
import { hmacSignature } from '../support/forge-jwt.js';
import { hmacSecret } from '../support/jwt-keys.js';
import { simpleJwtToken } from '../support/simple-jwt-token.js';
import { y2k } from '../support/token-fixture.js';
import { claimsOf, lifetimes, type ServiceFixture, serviceFixture } from './fixture.js';

const connection = await connectFreshDatabase('services_interop');

/** A refresh token as Simple JWT 5.5.1 writes it with the same SIGNING_KEY: user id as a string. */
function simpleJwtRefresh(userId: string, issuedAt = y2k): { token: string; jti: string } {
  return simpleJwtToken({
    tokenType: 'refresh',
    userIdJson: JSON.stringify(userId),
    issuedAt,
    lifetime: lifetimes.refresh,
  });
}

async function withUser(f: ServiceFixture) {
  const user = await f.createUser('test_user');
  return user._id.toHexString();
}

describe('HS256 interoperability with Simple JWT', () => {
  it('refreshes with a refresh token Simple JWT issued', async () => {
    const f = serviceFixture(connection);
    const userId = await withUser(f);
    const { token } = simpleJwtRefresh(userId);
    f.clock.advance(10);
    const { access } = await f.jwt.refreshToken(token);
    expect(claimsOf(access)).toMatchObject({
      token_type: 'access',
      user_id: userId,
      exp: y2k + 10 + lifetimes.access,
    });
  });

  it('rotates it with blacklistAfterRotation: the foreign token gets its record and is blacklisted', async () => {
    const f = serviceFixture(connection, {
      settings: { rotateRefreshTokens: true, blacklistAfterRotation: true },
    });
    const userId = await withUser(f);
    const { token, jti } = simpleJwtRefresh(userId);
    const result = await f.jwt.refreshToken(token);
    const newJti = claimsOf(result.refresh ?? '')['jti'];
    // Records are keyed by jti: compare as a set.
    const records = (await f.outstanding()).map((record) => [record['_id'], record['user']]);
    expect(records).toHaveLength(2);
    expect(records).toEqual(
      expect.arrayContaining([
        [jti, userId],
        [newJti, userId],
      ]),
    );
    expect((await f.blacklisted()).map((record) => record['_id'])).toEqual([jti]);
    await expect(f.jwt.refreshToken(token)).rejects.toThrow('Token is blacklisted');
  });

  it('refuses Simple JWT tokens signed with another key: "Token is invalid"', async () => {
    const f = serviceFixture(connection);
    const userId = await withUser(f);
    const { token } = simpleJwtRefresh(userId);
    const [header, payload] = token.split('.');
    const forged = `${header}.${payload}.${hmacSignature('another secret, 32 bytes or more!!', `${header}.${payload}`)}`;
    await expect(f.jwt.refreshToken(forged)).rejects.toThrow('Token is invalid');
  });

  it('issues tokens Simple JWT accepts: PyJWT header, HMAC-SHA256 of the signing input with the key', async () => {
    const f = serviceFixture(connection);
    await withUser(f);
    const pair = await f.login('test_user');
    for (const token of [pair.refresh, pair.access]) {
      const [header = '', payload = '', signature] = token.split('.');
      expect(Buffer.from(header, 'base64url').toString()).toBe('{"alg":"HS256","typ":"JWT"}');
      expect(signature).toBe(hmacSignature(hmacSecret, `${header}.${payload}`));
      expect(typeof claimsOf(token)['user_id']).toBe('string');
      expect(Number.isInteger(claimsOf(token)['exp'])).toBe(true);
    }
  });
});
