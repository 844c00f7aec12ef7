import { randomInt } from 'node:crypto';
import {
  createSimpleJwt,
  rawTokenFromHeader,
  SimpleJwtError,
  type SimpleJwtErrorCode,
  TokenBackendError,
} from 'pothos-plugin-simple-jwt';
import { describe, expect, it } from 'vitest';
import { b64url, hmacSignature } from '../support/forge-jwt.js';
import { exampleServerSettings, hostileApp, hostileDatabase } from './fixtures/hostile-app.js';

// Seeded fuzzing of the header parser and the token parser: random mutations of valid tokens (bytes,
// base64url, JSON) must only ever produce typed errors with known codes (or anonymous), and nothing
// but the original token may validate. Reproduce a failure with FUZZ_SEED=<seed> (printed on failure).
const seed = Number(process.env['FUZZ_SEED'] ?? randomInt(2 ** 31));
const budgetMs = 2500;

/** mulberry32: a tiny seeded PRNG, so a failing case can be replayed exactly. */
function prng(state: number) {
  let a = state >>> 0;
  const next = () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296;
  };
  const int = (n: number) => Math.floor(next() * n);
  const pick = <T>(items: readonly T[]): T => items[int(items.length)] as T;
  return { int, pick };
}
type Random = ReturnType<typeof prng>;

const characters = [
  ...'ABCxyz019-_',
  '.',
  '=',
  '+',
  '/',
  ' ',
  '\t',
  '\n',
  '\u0000',
  'é',
  '€',
  '😀',
  '"',
  '{',
  '}',
  '%',
];
const claimNames = [
  'exp',
  'iat',
  'nbf',
  'jti',
  'token_type',
  'user_id',
  'aud',
  'iss',
  'sub',
  'refresh_exp',
  '__proto__',
  'constructor',
  'x',
];
const claimValues: unknown[] = [
  null,
  true,
  0,
  -1,
  1e308,
  8.64e12 + 1,
  '',
  'access',
  'refresh',
  'x'.repeat(300),
  {},
  [],
  { $ne: null },
  ['api'],
  1.5,
];
const headerChanges: Record<string, unknown>[] = [
  { alg: 'none' },
  { alg: 'None' },
  { alg: 'HS512' },
  { alg: 'RS256' },
  { alg: '' },
  { alg: null },
  { kid: '../../dev/null' },
  { jku: 'http://127.0.0.1:1/jwks' },
  { crit: ['exp'] },
  { typ: 'at+jwt' },
  { b64: false },
];

const splice = (text: string, at: number, remove: number, insert = '') =>
  text.slice(0, at) + insert + text.slice(at + remove);

function mapSegment(token: string, index: number, change: (segment: string) => string): string {
  const segments = token.split('.');
  if (index < segments.length) segments[index] = change(segments[index] ?? '');
  return segments.join('.');
}

function mapJson(token: string, index: number, random: Random): string {
  return mapSegment(token, index, (segment) => {
    let value: Record<string, unknown>;
    try {
      value = JSON.parse(Buffer.from(segment, 'base64url').toString('utf8')) as Record<string, unknown>;
    } catch {
      return segment;
    }
    if (value === null || typeof value !== 'object') return segment;
    if (index === 0) Object.assign(value, random.pick(headerChanges));
    else if (random.int(3) === 0) delete value[random.pick(claimNames)];
    else value[random.pick(claimNames)] = random.pick(claimValues);
    let json = JSON.stringify(value);
    if (random.int(4) === 0)
      json = `${json.slice(0, -1)},"${random.pick(claimNames)}":${JSON.stringify(random.pick(claimValues))}}`;
    return b64url(json);
  });
}

/** Every mutation by name: string-level, base64url-level (the decoded bytes) and JSON-level. */
const mutations: Record<string, (token: string, random: Random) => string> = {
  flipBit: (t, r) => {
    const at = r.int(t.length);
    return splice(t, at, 1, String.fromCharCode(t.charCodeAt(at) ^ (1 << r.int(8))));
  },
  deleteChar: (t, r) => splice(t, r.int(t.length), 1),
  insertChar: (t, r) => splice(t, r.int(t.length + 1), 0, r.pick(characters)),
  replaceChar: (t, r) => splice(t, r.int(t.length), 1, r.pick(characters)),
  truncate: (t, r) => t.slice(0, r.int(t.length)),
  duplicateRange: (t, r) => {
    const at = r.int(t.length);
    return splice(t, at, 0, t.slice(at, at + 1 + r.int(8)));
  },
  dropSegment: (t, r) =>
    t
      .split('.')
      .filter((_, index) => index !== r.int(3))
      .join('.'),
  extraSegment: (t, r) => `${t}.${r.pick(['', 'e30', t.split('.')[2] ?? ''])}`,
  swapSegments: (t) => {
    const [h = '', p = '', s = ''] = t.split('.');
    return `${p}.${h}.${s}`;
  },
  segmentBytes: (t, r) =>
    mapSegment(t, r.int(3), (segment) => {
      const bytes = Buffer.from(segment, 'base64url');
      if (bytes.length === 0) return segment;
      const at = r.int(bytes.length);
      const kind = r.int(3);
      if (kind === 0) bytes[at] = (bytes[at] ?? 0) ^ (1 << r.int(8));
      if (kind === 1)
        return Buffer.concat([bytes.subarray(0, at), bytes.subarray(at + 1)]).toString('base64url');
      if (kind === 2)
        return Buffer.concat([bytes.subarray(0, at), Buffer.from([r.int(256)]), bytes.subarray(at)]).toString(
          'base64url',
        );
      return bytes.toString('base64url');
    }),
  payloadJson: (t, r) => mapJson(t, 1, r),
  headerJson: (t, r) => mapJson(t, 0, r),
  resignWithAnotherKey: (t) => {
    const input = t.split('.').slice(0, 2).join('.');
    return `${input}.${hmacSignature('not our key, but 32 bytes or more', input)}`;
  },
  // The same signature bytes, spelled with other unused low bits in the final character.
  respellSignature: (t, r) =>
    mapSegment(t, 2, (segment) => {
      const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_';
      const last = alphabet.indexOf(segment.at(-1) ?? 'A');
      return last < 0 ? segment : `${segment.slice(0, -1)}${alphabet[last ^ (1 + r.int(3))]}`;
    }),
  padding: (t, r) => mapSegment(t, r.int(3), (segment) => `${segment}${'='.repeat(1 + r.int(2))}`),
};
const mutationNames = Object.keys(mutations);

/** One to three random mutations of `token`, with their names (for the failure report). */
function mutate(token: string, random: Random): { token: string; how: string[] } {
  const how: string[] = [];
  let mutated = token;
  for (let count = 1 + random.int(3); count > 0; count--) {
    const name = random.pick(mutationNames);
    how.push(name);
    mutated = (mutations[name] as (typeof mutations)[string])(mutated, random);
  }
  return { token: mutated, how };
}

/**
 * Runs `check` on mutations of `original` until `budgetMs` is spent (at least `minCases`), and fails
 * with the seed, the case number, the mutations and the mutated token on the first broken rule.
 */
async function fuzz(
  stream: number,
  original: string,
  minCases: number,
  check: (token: string) => Promise<void>,
) {
  const random = prng(seed + stream);
  const started = performance.now();
  let cases = 0;
  while (cases < minCases || performance.now() - started < budgetMs) {
    const { token, how } = mutate(original, random);
    cases++;
    try {
      await check(token);
    } catch (error) {
      throw new Error(
        `fuzz failure (FUZZ_SEED=${seed}, stream ${stream}, case ${cases}, mutations ${how.join('+')}): ${(error as Error).message}\ntoken: ${JSON.stringify(token)}`,
        { cause: error },
      );
    }
    if (cases >= minCases * 4) break;
  }
  return cases;
}

/** A rejection must be a SimpleJwtError with one of `codes`; nothing else (no TypeError, no library error). */
async function expectTyped(
  promise: Promise<unknown>,
  codes: readonly SimpleJwtErrorCode[],
): Promise<unknown> {
  const outcome = await promise.then(
    (value) => ({ value }),
    (error: unknown) => ({ error }),
  );
  if ('error' in outcome) {
    if (!(outcome.error instanceof SimpleJwtError))
      throw new Error(`untyped error: ${String(outcome.error)}`);
    if (!codes.includes(outcome.error.code)) throw new Error(`unexpected code ${outcome.error.code}`);
    return undefined;
  }
  return outcome.value;
}

const stateless = createSimpleJwt({
  settings: { ...exampleServerSettings, authTokenClasses: ['access', 'sliding'] },
});
const user = { id: 'user-42' };
const access = (await stateless.tokens.AccessToken.forUser(user)).toString();
const sliding = (await stateless.tokens.SlidingToken.forUser(user)).toString();
const database = await hostileDatabase('sec_fuzz');
const app = await hostileApp(database);

describe('fuzzing (the seed is in every failure message)', () => {
  it('the token parser: only typed errors, and only the original validates', async () => {
    for (const [stream, original] of [access, sliding].entries()) {
      const cases = await fuzz(stream, original, 2000, async (token) => {
        const decoded = await stateless.backend.decode(token).then(
          () => true,
          (error: unknown) => {
            if (!(error instanceof TokenBackendError)) throw new Error(`backend threw ${String(error)}`);
            return false;
          },
        );
        const parsed = await expectTyped(stateless.tokens.UntypedToken.fromString(token), [
          'TOKEN_NOT_VALID',
        ]);
        if ((decoded || parsed !== undefined) && token !== original)
          throw new Error('a mutated token validated');
      });
      expect(cases).toBeGreaterThanOrEqual(2000);
    }
  });

  it('the header parser and request authentication: typed errors or anonymous, only the original authenticates', async () => {
    const schemes = ['Bearer', 'Bearer', 'Bearer', 'bearer', 'JWT', 'Basic', '', 'Bearer Bearer'];
    const separators = [' ', '  ', '\t', ' \t ', ''];
    const random = prng(seed + 7);
    const cases = await fuzz(2, access, 2000, async (token) => {
      const header = `${random.pick(schemes)}${random.pick(separators)}${token}${random.int(5) === 0 ? ' extra' : ''}`;
      let raw: string | null = null;
      try {
        raw = rawTokenFromHeader(header, ['Bearer']);
      } catch (error) {
        if (!(error instanceof SimpleJwtError) || error.code !== 'BAD_AUTHORIZATION_HEADER') throw error;
      }
      const result = (await expectTyped(stateless.authenticate({ authorization: header }), [
        'TOKEN_NOT_VALID',
        'BAD_AUTHORIZATION_HEADER',
      ])) as { token: unknown; tokenUser: { id: string } | null } | undefined;
      if (result?.token && (raw !== access || result.tokenUser?.id !== user.id)) {
        throw new Error('a mutated header authenticated');
      }
      if (result && !result.token && raw !== null) throw new Error('a Bearer token was treated as anonymous');
    });
    expect(cases).toBeGreaterThanOrEqual(2000);
  });

  it('the token mutations on the real database: junk is refused before any database command', async () => {
    const refresh = (
      await app.jwt.tokens.RefreshToken.forUser(await app.User.findById(database.ids.demo).orFail())
    ).toString();
    const before = await database.state();
    let cases = 0;
    const commands = await database.commandsDuring(async () => {
      cases = await fuzz(3, refresh, 1000, async (token) => {
        if (token === refresh) return;
        for (const call of [
          app.jwt.refreshToken,
          app.jwt.blacklistToken,
          app.jwt.verifyToken,
          app.jwt.refreshSlidingToken,
        ]) {
          if ((await expectTyped(call(token), ['TOKEN_NOT_VALID'])) !== undefined)
            throw new Error('a mutated token was accepted');
        }
      });
    });
    expect(cases).toBeGreaterThanOrEqual(1000);
    expect(commands).toEqual([]);
    expect(await database.state()).toEqual(before);
  });
});
