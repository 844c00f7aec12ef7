import mongoose from 'mongoose';
import { afterAll, describe, expect, it } from 'vitest';
import { runFlushExpiredTokens } from '../../src/bin/flush-expired-tokens.js';
import { freshDatabaseUri } from '../support/database.js';
import { throttleFixture } from './throttle-fixture.js';

const uri = freshDatabaseUri('throttle_flush');
const connection = await mongoose.createConnection(uri).asPromise();
afterAll(async () => {
  await connection.dropDatabase().catch(() => undefined);
  await connection.close();
});

describe('flush-expired-tokens and login-attempt counters', () => {
  it('deletes forgotten counters from SIMPLE_JWT_LOGIN_THROTTLE_COLLECTION and prints a second line', async () => {
    // Failures made on 2000-01-01 (the fixture's clock) are long forgotten; one made far in the future is not.
    const past = await throttleFixture(connection);
    await past.attempt('alice', 'wrong', '192.0.2.1');
    await past.attempt('nobody', 'wrong', '192.0.2.1');
    const collection = (await past.counters.findOne({}))?.['key'] ? past.counters.collectionName : '';
    past.clock.set(4_102_444_800); // 2100-01-01
    await past.attempt('carol', 'wrong', null);
    const logs: string[] = [];
    const errors: string[] = [];
    const env = { MONGODB_URI: uri, SIMPLE_JWT_LOGIN_THROTTLE_COLLECTION: collection };
    const sink = { log: (line: string) => logs.push(line), error: (line: string) => errors.push(line) };
    expect(await runFlushExpiredTokens([], env, sink)).toBe(0);
    expect({ logs, errors }).toEqual({
      logs: [
        'Flushed 0 outstanding and 0 blacklisted expired tokens.',
        'Flushed 4 expired login-attempt counters.',
      ],
      errors: [],
    });
    expect(await past.counters.countDocuments({})).toBe(1);
  });
});
