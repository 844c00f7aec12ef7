import type { Connection } from 'mongoose';
import { beforeAll, describe, expect, it } from 'vitest';
import { ExpiredTokenError, TokenError, TokenStoreUnavailableError } from '../../src/errors.js';
import { createMongoTokenStore, type MongoTokenStore } from '../../src/store/mongo-token-store.js';
import type { TokenStore } from '../../src/store/token-store.js';
import { countingTokenStore } from '../support/counting-token-store.js';
import { connectFreshDatabase } from '../support/database.js';
import { forgeJwt, hmacSigner } from '../support/forge-jwt.js';
import { hmacSecret } from '../support/jwt-keys.js';
import { tokenFixture, y2k } from '../support/token-fixture.js';

const day = 86_400;
const user = { id: '42', username: 'deep-thought' };
const forge = (claims: object) => forgeJwt({ alg: 'HS256', typ: 'JWT' }, claims, hmacSigner(hmacSecret));

let connection: Connection;
let collectionSeq = 0;

beforeAll(async () => {
  connection = await connectFreshDatabase('blacklist');
});

/** The raw documents of a collection, read with the driver (not through the store), oldest first. */
function documentsOf(collection: string): Promise<Record<string, unknown>[]> {
  return connection.collection(collection).find({}).sort({ _id: 1 }).toArray();
}

/**
 * Token classes bound to the real MongoDB store on collections of their own (so every test starts
 * empty), reached through a counting wrapper. `real` is the unwrapped store, for seeding data
 * without counting; `overrides` replaces wrapper methods (e.g. to simulate an outage).
 */
function withStore(settings = {}, overrides: Partial<TokenStore> = {}) {
  collectionSeq += 1;
  const outstandingCollection = `outstanding_tokens_${collectionSeq}`;
  const blacklistedCollection = `blacklisted_tokens_${collectionSeq}`;
  const real: MongoTokenStore = createMongoTokenStore(connection, {
    outstandingCollection,
    blacklistedCollection,
  });
  const store = countingTokenStore(real, overrides);
  return {
    store,
    real,
    outstandingDocuments: () => documentsOf(outstandingCollection),
    blacklistedDocuments: () => documentsOf(blacklistedCollection),
    ...tokenFixture({ store, settings }),
  };
}

/** Blacklists `jti` directly in the real store (uncounted), and checks that it took. */
async function seedBlacklisted(real: TokenStore, jti: string): Promise<void> {
  await real.blacklist({
    jti,
    userId: null,
    tokenType: 'refresh',
    createdAt: new Date(y2k * 1000),
    expiresAt: new Date((y2k + day) * 1000),
  });
  expect(await real.isBlacklisted(jti)).toBe(true);
}

const noCalls = {
  recordOutstanding: 0,
  isBlacklisted: 0,
  blacklist: 0,
  forgetOutstanding: 0,
  flushExpired: 0,
  blacklistAllForUser: 0,
};

describe('outstanding records', () => {
  it.each([
    ['RefreshToken', 'refresh', day],
    ['SlidingToken', 'sliding', 300],
  ] as const)(
    '%s.forUser records ids and times, never the token string',
    async (name, tokenType, lifetime) => {
      const { outstandingDocuments, tokens, clock } = withStore();
      const token = await tokens[name].forUser(user);
      expect(await outstandingDocuments()).toEqual([
        {
          _id: token.get('jti'),
          user: '42',
          tokenType,
          createdAt: clock(),
          expiresAt: new Date((y2k + lifetime) * 1000),
        },
      ]);
    },
  );

  it('AccessToken.forUser records nothing', async () => {
    const { store, outstandingDocuments, tokens } = withStore();
    await tokens.AccessToken.forUser(user);
    expect(store.calls).toEqual(noCalls);
    expect(await outstandingDocuments()).toEqual([]);
  });

  it('records after beforeRecord, so the record and the token agree', async () => {
    const { outstandingDocuments, tokens } = withStore();
    const recordedBefore: number[] = [];
    await tokens.RefreshToken.forUser(user, {
      beforeRecord: async () => void recordedBefore.push((await outstandingDocuments()).length),
    });
    expect(recordedBefore).toEqual([0]);
    expect(await outstandingDocuments()).toHaveLength(1);
  });

  it('outstand() records the new jti after rotation', async () => {
    const { outstandingDocuments, tokens } = withStore();
    const refresh = await tokens.RefreshToken.forUser(user);
    const firstJti = refresh.get('jti');
    refresh.setJti();
    await refresh.outstand();
    expect(refresh.get('jti')).not.toBe(firstJti);
    expect((await outstandingDocuments()).map((document) => document['_id']).sort()).toEqual(
      [firstJti, refresh.get('jti')].sort(),
    );
  });
});

describe('blacklisting', () => {
  it('blacklists once; the token is then rejected', async () => {
    const { outstandingDocuments, blacklistedDocuments, tokens } = withStore();
    const refresh = await tokens.RefreshToken.forUser(user);
    const encoded = refresh.toString();
    await expect(tokens.RefreshToken.fromString(encoded)).resolves.toBeInstanceOf(tokens.RefreshToken);
    expect(await refresh.blacklist()).toBe(true);
    expect(await outstandingDocuments()).toHaveLength(1);
    expect((await blacklistedDocuments()).map((document) => document['_id'])).toEqual([refresh.get('jti')]);
    await expect(tokens.RefreshToken.fromString(encoded)).rejects.toThrow(
      new TokenError('Token is blacklisted'),
    );
    expect(await refresh.blacklist()).toBe(false);
  });

  it('blacklisting a never-recorded token records it too', async () => {
    const { outstandingDocuments, tokens } = withStore();
    await tokens.RefreshToken.forUser(user);
    const unrecorded = new tokens.RefreshToken();
    expect(await unrecorded.blacklist()).toBe(true);
    const documents = await outstandingDocuments();
    expect(documents).toHaveLength(2);
    const recorded = documents.find((document) => document['_id'] === unrecorded.get('jti'));
    expect(recorded).toBeDefined();
    // Names no user: null, or absent (FerretDB v1 drops null fields of `$setOnInsert` on upsert;
    // MongoDB keeps them). Any user id stored would fail this.
    expect(recorded?.['user'] ?? null).toBeNull();
  });

  it('records the parse time as createdAt when blacklisting a parsed token', async () => {
    const { outstandingDocuments, tokens, clock } = withStore();
    const encoded = new tokens.SlidingToken().toString();
    clock.advance(60);
    const parsed = await tokens.SlidingToken.fromString(encoded);
    await parsed.blacklist();
    const recorded = (await outstandingDocuments()).find((document) => document['_id'] === parsed.get('jti'));
    expect(recorded?.['createdAt']).toEqual(new Date((y2k + 60) * 1000));
  });

  it('blacklisting a sliding token blacklists every copy (same jti)', async () => {
    const { tokens, clock } = withStore();
    const sliding = await tokens.SlidingToken.forUser(user);
    const first = sliding.toString();
    clock.advance(10);
    sliding.setExp();
    sliding.setIat();
    await sliding.blacklist();
    await expect(tokens.SlidingToken.fromString(first)).rejects.toThrow('Token is blacklisted');
  });
});

describe('verification order: the blacklist is looked up last', () => {
  it.each([
    ['junk', 'junk', 'Token is invalid'],
    ['expired', forge({ token_type: 'refresh', exp: y2k - 1, jti: 'x' }), 'Token is expired'],
    ['without exp', forge({ token_type: 'refresh', jti: 'x' }), "Token has no 'exp' claim"],
    ['without jti', forge({ token_type: 'refresh', exp: y2k + 60 }), 'Token has no id'],
    ['of the wrong type', forge({ token_type: 'access', exp: y2k + 60, jti: 'x' }), 'Token has wrong type'],
  ])('a %s token never costs a store query', async (_name, token, message) => {
    const { store, real, tokens } = withStore();
    await seedBlacklisted(real, 'x');
    await expect(tokens.RefreshToken.fromString(token)).rejects.toThrow(message);
    expect(store.calls).toEqual(noCalls);
  });

  it('an expired blacklisted token is reported expired', async () => {
    const { real, tokens } = withStore();
    await seedBlacklisted(real, 'x');
    const error = await tokens.RefreshToken.fromString(
      forge({ token_type: 'refresh', exp: y2k - 1, jti: 'x' }),
    ).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(ExpiredTokenError);
  });

  it('a valid token costs exactly one lookup; access and untyped tokens none', async () => {
    const { store, tokens } = withStore();
    const refresh = await tokens.RefreshToken.forUser(user);
    await tokens.RefreshToken.fromString(refresh.toString());
    expect(store.calls.isBlacklisted).toBe(1);
    await tokens.AccessToken.fromString(refresh.accessToken.toString());
    await tokens.UntypedToken.fromString(refresh.toString());
    expect(store.calls.isBlacklisted).toBe(1);
  });

  it('a store outage propagates (fail closed), not as a token error', async () => {
    const { store, tokens } = withStore(
      {},
      {
        isBlacklisted: async () => {
          throw new TokenStoreUnavailableError();
        },
      },
    );
    const encoded = new tokens.RefreshToken().toString();
    await expect(tokens.RefreshToken.fromString(encoded)).rejects.toThrow(TokenStoreUnavailableError);
    expect(store.calls.isBlacklisted).toBe(1);
  });
});

describe('tokens without an id', () => {
  it('with jtiClaim null and a store, refresh tokens have no id: parsing and blacklisting fail cleanly', async () => {
    const { tokens } = withStore({ jtiClaim: null });
    const refresh = new tokens.RefreshToken();
    await expect(tokens.RefreshToken.fromString(refresh.toString())).rejects.toThrow(
      new TokenError('Token has no id'),
    );
    await expect(refresh.blacklist()).rejects.toThrow(new TokenError('Token has no id'));
    await expect(tokens.RefreshToken.forUser(user)).rejects.toThrow(new TokenError('Token has no id'));
  });
});

describe('without a store (blacklist off)', () => {
  it('records nothing, checks nothing, and blacklist() answers false', async () => {
    const { tokens } = tokenFixture();
    const refresh = await tokens.RefreshToken.forUser(user);
    await expect(tokens.RefreshToken.fromString(refresh.toString())).resolves.toBeInstanceOf(
      tokens.RefreshToken,
    );
    await expect(refresh.checkBlacklist()).resolves.toBeUndefined();
    await expect(refresh.outstand()).resolves.toBeUndefined();
    expect(await refresh.blacklist()).toBe(false);
    await expect(tokens.RefreshToken.fromString(refresh.toString())).resolves.toBeInstanceOf(
      tokens.RefreshToken,
    );
  });
});
