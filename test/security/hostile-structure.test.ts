import { TokenBackendError } from 'pothos-plugin-simple-jwt';
import { describe, expect, it } from 'vitest';
import { b64url, forgeJwt, hmacSignature, hmacSigner } from '../support/forge-jwt.js';
import {
  hostileApp,
  hostileDatabase,
  operations,
  respelled,
  signingKey,
  signWithOurKey,
} from './fixtures/hostile-app.js';
import {
  expectTokenRefused,
  invalidForAnyType,
  invalidToken,
  refusedEverywhere,
  type Target,
  validClaimsFor,
} from './fixtures/token-battery.js';

// Malformed compact serialisations (RFC 7515 §7.1, RFC 8725 §3.4): every one is "Token is invalid"
// before any database command, over HTTP and in-process; none is a 500.
const database = await hostileDatabase('sec_structure');
const app = await hostileApp(database);
const now = database.clock.seconds();
const hs256 = { alg: 'HS256', typ: 'JWT' };
const ours = hmacSigner(signingKey);

function claimsFor(target: Target): Record<string, unknown> {
  return validClaimsFor(target, now, database.ids.demo);
}

/** A valid token for `target`, split into its three segments. */
function segmentsFor(target: Target): [string, string, string] {
  return signWithOurKey(claimsFor(target)).split('.') as [string, string, string];
}

/** Signs raw bytes as the payload segment (to forge what no string can carry, e.g. invalid UTF-8). */
function signRawPayload(payload: Buffer): string {
  const input = `${b64url(JSON.stringify(hs256))}.${payload.toString('base64url')}`;
  return `${input}.${hmacSignature(signingKey, input)}`;
}

/** JSON text of the claims with `value` nested `depth` levels deep under "deep". */
function nestedClaims(target: Target, depth: number): string {
  const json = JSON.stringify(claimsFor(target));
  return `${json.slice(0, -1)},"deep":${'['.repeat(depth)}1${']'.repeat(depth)}}`;
}

/** No base64 encoder writes a segment of length 4n+1 (decoders silently drop its last character). */
function lengthFourNPlusOne(segment: string): string {
  return segment + 'A'.repeat((((1 - segment.length) % 4) + 4) % 4 || 4);
}

type Mangle = (target: Target) => string;
const mangled =
  (change: (segments: [string, string, string], target: Target) => string): Mangle =>
  (target) =>
    change(segmentsFor(target), target);

const rows: [string, Mangle][] = [
  [
    'a tampered payload (user_id of another user)',
    mangled(
      ([h, , s], t) =>
        `${h}.${b64url(JSON.stringify({ ...claimsFor(t), user_id: database.ids.sleeper }))}.${s}`,
    ),
  ],
  [
    'a tampered payload (exp a year later)',
    mangled(
      ([h, , s], t) => `${h}.${b64url(JSON.stringify({ ...claimsFor(t), exp: now + 31_536_000 }))}.${s}`,
    ),
  ],
  [
    'a tampered header (typ changed)',
    mangled(([, p, s]) => `${b64url(JSON.stringify({ ...hs256, typ: 'at+jwt' }))}.${p}.${s}`),
  ],
  ['the signature truncated by one character', mangled(([h, p, s]) => `${h}.${p}.${s.slice(0, -1)}`)],
  [
    'another spelling of the same signature (unused low bits)',
    mangled(([h, p, s]) => respelled(`${h}.${p}.${s}`)),
  ],
  ['the signature of another token', mangled(([h, p]) => `${h}.${p}.${segmentsFor('header')[2]}`)],
  ['no signature segment', mangled(([h, p]) => `${h}.${p}`)],
  ['an empty signature segment', mangled(([h, p]) => `${h}.${p}.`)],
  ['a fourth segment', mangled(([h, p, s]) => `${h}.${p}.${s}.${s}`)],
  ['a trailing dot', mangled(([h, p, s]) => `${h}.${p}.${s}.`)],
  ['one segment', mangled(([h]) => h)],
  ['dots only', () => '..'],
  ['a "*" in the payload', mangled(([h, p, s]) => `${h}.${p.slice(0, 8)}*${p.slice(9)}.${s}`)],
  ['base64 "+" and "/" characters', mangled(([h, p, s]) => `${h}.${p}.${s.slice(0, -2)}+/`)],
  ['a non-ASCII character', mangled(([h, p, s]) => `${h}.${p}é.${s}`)],
  ['"=" padding on every segment', mangled(([h, p, s]) => `${h}==.${p}==.${s}=`)],
  ['a payload segment of length 4n+1', mangled(([h, p, s]) => `${h}.${lengthFourNPlusOne(p)}.${s}`)],
  ['a header that is not JSON', (t) => forgeJwt('{"alg":"HS256"', claimsFor(t), ours)],
  ['a header that is a JSON string', (t) => forgeJwt('"HS256"', claimsFor(t), ours)],
  ['a header that is an array', (t) => forgeJwt('["HS256"]', claimsFor(t), ours)],
  ['a header that is null', (t) => forgeJwt('null', claimsFor(t), ours)],
  ['a header that is a number', (t) => forgeJwt('256', claimsFor(t), ours)],
  [
    'a payload that is a JSON string',
    () => forgeJwt(hs256, JSON.stringify(JSON.stringify({ exp: now + 300 })), ours),
  ],
  ['a payload that is an array', (t) => forgeJwt(hs256, JSON.stringify([claimsFor(t)]), ours)],
  ['a payload that is a number', () => forgeJwt(hs256, '1e999', ours)],
  ['a payload that is null', () => forgeJwt(hs256, 'null', ours)],
  ['a payload that is true', () => forgeJwt(hs256, 'true', ours)],
  ['a payload that is not JSON', () => forgeJwt(hs256, 'exp=9999999999', ours)],
  ['a payload with trailing garbage', (t) => forgeJwt(hs256, `${JSON.stringify(claimsFor(t))}x`, ours)],
  [
    'a payload that is invalid UTF-8',
    () => signRawPayload(Buffer.from([0x7b, 0x22, 0xff, 0x22, 0x3a, 0x31, 0x7d])),
  ],
  [
    'a token longer than maxTokenLength, signed with our key',
    (t) => signWithOurKey({ ...claimsFor(t), pad: 'x'.repeat(8192) }),
  ],
  [
    'deeply nested JSON, not signed with our key',
    (t) => forgeJwt(hs256, nestedClaims(t, 2000), hmacSigner('attacker')),
  ],
  [
    'duplicate keys, not signed with our key',
    (t) =>
      forgeJwt(hs256, `${JSON.stringify(claimsFor(t)).slice(0, -1)},"user_id":"x"}`, hmacSigner('attacker')),
  ],
];

// Header values cannot carry a newline, and a space splits them into three parts.
const whitespaceRows: [string, Mangle][] = [
  ['a space inside', mangled(([h, p, s]) => `${h}.${p} .${s}`)],
  ['a tab inside', mangled(([h, p, s]) => `${h}.\t${p}.${s}`)],
];
const newlineRows: [string, Mangle][] = [
  ['a trailing newline', mangled(([h, p, s]) => `${h}.${p}.${s}\n`)],
  ['a leading space', mangled(([h, p, s]) => ` ${h}.${p}.${s}`)],
  ['a NUL byte', mangled(([h, p, s]) => `${h}.${p}.${s}\u0000`)],
];
const { header: _header, ...mutationTargets } = refusedEverywhere;

describe('malformed tokens', () => {
  it.each(rows)('%s: refused everywhere, nothing read or written', async (_name, forge) => {
    await expectTokenRefused(database, app, forge, refusedEverywhere);
    await expect(app.jwt.backend.decode(forge('header'))).rejects.toBeInstanceOf(TokenBackendError);
  });

  it.each(whitespaceRows)('%s: a bad header, and refused by every mutation', async (_name, forge) => {
    await expectTokenRefused(database, app, forge, {
      ...mutationTargets,
      header: {
        status: 401,
        code: 'BAD_AUTHORIZATION_HEADER',
        message: 'Authorization header must contain two space-delimited values',
      },
    });
  });

  it.each(newlineRows)('%s: refused by every mutation', async (_name, forge) => {
    await expectTokenRefused(database, app, forge, mutationTargets);
  });

  it('refuses an empty token on every mutation', async () => {
    await expectTokenRefused(database, app, () => '', mutationTargets);
  });

  it('accepts what it signed itself, exactly (controls for the rows above)', async () => {
    const [h, p, s] = segmentsFor('header');
    const me = await app.post({ query: operations.me }, `Bearer ${h}.${p}.${s}`);
    expect(me.data).toEqual({ me: { id: database.ids.demo, username: 'demo' } });
  });
});

describe('JSON edge cases inside a token we signed', () => {
  it('parses deep nesting up to maxTokenLength without a stack overflow', async () => {
    const token = forgeJwt(hs256, nestedClaims('header', 2900), ours);
    expect(token.length).toBeLessThanOrEqual(8192);
    const me = await app.post({ query: operations.me }, `Bearer ${token}`);
    expect(me.data).toEqual({ me: { id: database.ids.demo, username: 'demo' } });
  });

  it('uses the lexically last of duplicate claims (RFC 7519 §4), as Simple JWT does', async () => {
    const claims = JSON.stringify(claimsFor('header'));
    const lastDemo = `{"user_id":"${database.ids.sleeper}",${claims.slice(1)}`;
    const lastSleeper = `${claims.slice(0, -1)},"user_id":"${database.ids.sleeper}"}`;
    const demo = await app.post({ query: operations.me }, `Bearer ${forgeJwt(hs256, lastDemo, ours)}`);
    expect(demo.data).toEqual({ me: { id: database.ids.demo, username: 'demo' } });
    await expectTokenRefused(
      database,
      app,
      () => forgeJwt(hs256, lastSleeper, ours),
      { header: { status: 401, code: 'USER_INACTIVE', message: 'User is inactive' } },
      { reads: true },
    );
  });

  it('refuses a wrong type hidden behind a duplicate token_type', async () => {
    const claims = JSON.stringify(claimsFor('header'));
    const token = forgeJwt(hs256, `${claims.slice(0, -1)},"token_type":"refresh"}`, ours);
    await expectTokenRefused(database, app, () => token, {
      header: invalidForAnyType('Token has wrong type'),
      refreshSliding: invalidToken('Token has wrong type'),
    });
  });
});
