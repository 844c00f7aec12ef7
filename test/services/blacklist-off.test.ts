import { describe, expect, it } from 'vitest';
import { connectFreshDatabase } from '../support/database.js';
import { claimsOf, password, serviceFixture } from './fixture.js';

// Its own database: after every test the only collections are the users' ones.
const connection = await connectFreshDatabase('services_blacklist_off');

async function collectionNames(): Promise<string[]> {
  const collections = await connection.db?.listCollections({}, { nameOnly: true }).toArray();
  return (collections ?? []).map((collection) => collection.name).sort();
}

const everything = { rotateRefreshTokens: true, blacklistAfterRotation: true } as const;

describe('without a token store (blacklist off: no connection given)', () => {
  it('has no store', () => {
    expect(serviceFixture(connection, { blacklist: false }).jwt.store).toBeNull();
  });

  it('rotates, blacklists nothing, and writes nothing for tokens at all', async () => {
    const f = serviceFixture(connection, { blacklist: false, settings: everything });
    await f.createUser('test_user');
    const { refresh } = await f.login('test_user');
    const { token: sliding } = await f.jwt.obtainSlidingToken({ username: 'test_user', password });

    const rotated = await f.jwt.refreshToken(refresh);
    expect(rotated.refresh).toBeDefined();
    expect(claimsOf(rotated.refresh ?? '')['jti']).not.toBe(claimsOf(refresh)['jti']);
    // Nothing remembers the rotation: the old token still works.
    await expect(f.jwt.refreshToken(refresh)).resolves.toHaveProperty('refresh');

    expect(await f.jwt.blacklistToken(refresh)).toEqual({ blacklisted: false });
    await expect(f.jwt.refreshToken(refresh)).resolves.toHaveProperty('access');
    expect(await f.jwt.verifyToken(refresh)).toEqual({ valid: true });
    await expect(f.jwt.refreshSlidingToken(sliding)).resolves.toHaveProperty('token');
    expect(await f.jwt.flushExpiredTokens()).toEqual({ outstanding: 0, blacklisted: 0 });

    const names = await collectionNames();
    expect(names).toContain(f.usersCollection);
    expect(names.filter((name) => !name.startsWith('users_'))).toEqual([]);
  });

  it('still refuses bad tokens and applies the user checks', async () => {
    const f = serviceFixture(connection, { blacklist: false, settings: everything });
    const user = await f.createUser('test_user');
    const { refresh, access } = await f.login('test_user');
    await expect(f.jwt.blacklistToken(access)).rejects.toThrow('Token has wrong type');
    await f.User.updateOne({ _id: user._id }, { isActive: false });
    await expect(f.jwt.refreshToken(refresh)).rejects.toThrow('No active account found for the given token.');
    expect((await collectionNames()).filter((name) => !name.startsWith('users_'))).toEqual([]);
  });
});
