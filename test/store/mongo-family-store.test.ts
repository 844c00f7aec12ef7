import { randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import type { TokenFamilyRecord } from '../../src/sessions/family-store.js';
import { createMongoFamilyStore } from '../../src/store/mongo-family-store.js';
import { createMongoTokenStore } from '../../src/store/mongo-token-store.js';
import { connectFreshDatabase } from '../support/database.js';
import { tokenRecord } from './store-fixtures.js';

const connection = await connectFreshDatabase('store_families');
const at = new Date('2030-01-01T00:00:00Z');
const hour = 3_600_000;

function family(overrides: Partial<TokenFamilyRecord> = {}): TokenFamilyRecord {
  return {
    id: randomBytes(16).toString('hex'),
    userId: '42',
    createdAt: at,
    lastUsedAt: at,
    userAgent: null,
    revokedAt: null,
    revokedReason: null,
    expiresAt: new Date(at.getTime() + 24 * hour),
    ...overrides,
  };
}

function stores(suffix: string) {
  const options = {
    outstandingCollection: `o_${suffix}`,
    blacklistedCollection: `b_${suffix}`,
    familyCollection: `f_${suffix}`,
  };
  return {
    families: createMongoFamilyStore(connection, options),
    tokens: createMongoTokenStore(connection, options),
  };
}

describe('the MongoDB family store', () => {
  it('creates and finds a family by id; an unknown id is null', async () => {
    const { families } = stores('find');
    const record = family({ userAgent: 'curl/8' });
    await families.createFamily(record);
    expect(await families.findFamily(record.id)).toEqual(record);
    expect(await families.findFamily('unknown')).toBeNull();
  });

  it('20 concurrent revocations leave the family revoked with one of their reasons; a later one revokes nothing', async () => {
    const { families } = stores('race');
    const record = family();
    await families.createFamily(record);
    const results = await Promise.all(
      Array.from({ length: 20 }, (_, index) =>
        families.revokeFamily(
          record.id,
          index % 2 === 0 ? 'reuse' : 'logout',
          new Date(at.getTime() + index),
        ),
      ),
    );
    // MongoDB applies the `revokedAt: null` filter atomically (one true); FerretDB v1's updates are
    // not atomic read-modify-writes, so several concurrent calls may report the revocation.
    expect(results.filter(Boolean).length).toBeGreaterThanOrEqual(1);
    const stored = await families.findFamily(record.id);
    expect(['reuse', 'logout']).toContain(stored?.revokedReason);
    expect(stored?.revokedAt).toBeInstanceOf(Date);
    expect(await families.revokeFamily(record.id, 'admin', at)).toBe(false);
    expect((await families.findFamily(record.id))?.revokedReason).toBe(stored?.revokedReason);
  });

  it('revokes only a family of the given user', async () => {
    const { families } = stores('owner');
    const record = family({ userId: '42' });
    await families.createFamily(record);
    expect(await families.revokeFamily(record.id, 'logout', at, '7')).toBe(false);
    expect((await families.findFamily(record.id))?.revokedAt).toBeNull();
    expect(await families.revokeFamily(record.id, 'logout', at, '42')).toBe(true);
  });

  it('lists and revokes a user’s live families only', async () => {
    const { families } = stores('user');
    const live = family({ lastUsedAt: new Date(at.getTime() + 5) });
    const older = family();
    const expired = family({ expiresAt: new Date(at.getTime() - 1) });
    const revoked = family({ revokedAt: at, revokedReason: 'admin' });
    const someoneElse = family({ userId: '7' });
    for (const record of [live, older, expired, revoked, someoneElse]) await families.createFamily(record);
    expect((await families.liveFamiliesOf('42', at)).map((record) => record.id)).toEqual([live.id, older.id]);
    expect(await families.revokeFamiliesOf('42', 'logout-all', at)).toBe(2);
    expect(await families.liveFamiliesOf('42', at)).toEqual([]);
    expect((await families.liveFamiliesOf('7', at)).map((record) => record.id)).toEqual([someoneElse.id]);
  });

  it('touchFamily moves lastUsedAt forward only', async () => {
    const { families } = stores('touch');
    const record = family();
    await families.createFamily(record);
    const later = new Date(at.getTime() + hour);
    await families.touchFamily(record.id, later, new Date(later.getTime() + 24 * hour));
    await families.touchFamily(record.id, at, new Date(at.getTime() + hour));
    expect(await families.findFamily(record.id)).toMatchObject({
      lastUsedAt: later,
      expiresAt: new Date(later.getTime() + 24 * hour),
    });
  });

  it('rotatedAt: the time a rotation wrote on the blacklist record; null for another blacklisting', async () => {
    const { families, tokens } = stores('rotated');
    const rotated = tokenRecord();
    const loggedOut = tokenRecord();
    await tokens.blacklist(rotated, { rotatedAt: at });
    await tokens.blacklist(loggedOut);
    expect(await families.rotatedAt(rotated.jti)).toEqual(at);
    expect(await families.rotatedAt(loggedOut.jti)).toBeNull();
    expect(await families.rotatedAt('never-seen')).toBeNull();
  });

  it('flushes families expired at or before the cutoff', async () => {
    const { families } = stores('flush');
    const dead = family({ expiresAt: at });
    const live = family({ expiresAt: new Date(at.getTime() + 1) });
    await families.createFamily(dead);
    await families.createFamily(live);
    expect(await families.flushExpiredFamilies(at)).toBe(1);
    expect(await families.findFamily(dead.id)).toBeNull();
    expect(await families.findFamily(live.id)).not.toBeNull();
  });
});
