import type { TokenStore } from '../../src/store/token-store.js';

/** How many times each `TokenStore` method was called through the wrapper. */
export type TokenStoreCalls = Record<keyof TokenStore, number>;

/** A `TokenStore` that delegates to a real one and counts the calls made through it. */
export interface CountingTokenStore extends TokenStore {
  readonly calls: TokenStoreCalls;
}

/**
 * Wraps a REAL token store (the MongoDB one, in tests) so tests can prove what was, and was not,
 * queried. Every method is counted, then delegated to `inner`, unless `overrides` replaces it
 * (e.g. an `isBlacklisted` that throws `TokenStoreUnavailableError` to simulate an outage); an
 * overridden method is still counted. Calls made on `inner` directly are not counted.
 */
export function countingTokenStore(
  inner: TokenStore,
  overrides: Partial<TokenStore> = {},
): CountingTokenStore {
  const calls: TokenStoreCalls = {
    recordOutstanding: 0,
    isBlacklisted: 0,
    blacklist: 0,
    forgetOutstanding: 0,
    flushExpired: 0,
    blacklistAllForUser: 0,
  };
  return {
    calls,
    recordOutstanding(record) {
      calls.recordOutstanding++;
      return (overrides.recordOutstanding ?? inner.recordOutstanding.bind(inner))(record);
    },
    isBlacklisted(jti) {
      calls.isBlacklisted++;
      return (overrides.isBlacklisted ?? inner.isBlacklisted.bind(inner))(jti);
    },
    blacklist(record) {
      calls.blacklist++;
      return (overrides.blacklist ?? inner.blacklist.bind(inner))(record);
    },
    forgetOutstanding(jti) {
      calls.forgetOutstanding++;
      return (overrides.forgetOutstanding ?? inner.forgetOutstanding.bind(inner))(jti);
    },
    flushExpired(now, onProgress) {
      calls.flushExpired++;
      return (overrides.flushExpired ?? inner.flushExpired.bind(inner))(now, onProgress);
    },
    blacklistAllForUser(userId, now) {
      calls.blacklistAllForUser++;
      return (overrides.blacklistAllForUser ?? inner.blacklistAllForUser.bind(inner))(userId, now);
    },
  };
}
