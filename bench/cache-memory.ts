import { createSimpleJwt } from '../src/index.js';

/**
 * Heap taken by a full verified-token cache: 10,000 distinct access tokens of the usual claims
 * authenticated once each, measured after a forced GC before and after.
 * Run: node --expose-gc --import tsx bench/cache-memory.ts
 */
const entries = 10_000;
const gc = (globalThis as { gc?: () => void }).gc;
if (gc === undefined) throw new Error('run with node --expose-gc');
const jwt = createSimpleJwt({
  settings: { signingKey: 'a benchmark secret of at least 32 bytes, not a real one' },
  userLookup: 'stateless',
  accessTokenCacheSize: entries,
});
const tokens: string[] = [];
for (let index = 0; index < entries; index += 1) {
  const token = new jwt.tokens.AccessToken();
  token.set('user_id', `65f0c0ffee0123456789${String(index).padStart(4, '0')}`);
  tokens.push(String(token));
}
gc();
const before = process.memoryUsage().heapUsed;
for (const token of tokens) await jwt.authenticate({ authorization: `Bearer ${token}` });
gc();
const after = process.memoryUsage().heapUsed;
const perEntry = Math.round((after - before) / entries);
console.log(
  `${entries} entries, token ${tokens[0]?.length} characters: ${perEntry} bytes per entry, ${((after - before) / 1e6).toFixed(1)} MB`,
);
