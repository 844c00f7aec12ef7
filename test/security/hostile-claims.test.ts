import { TokenError } from 'pothos-plugin-simple-jwt';
import { describe, expect, it } from 'vitest';
import { forgeJwt, hmacSigner } from '../support/forge-jwt.js';
import {
  hostileApp,
  hostileDatabase,
  newJti,
  operations,
  signingKey,
  signWithOurKey,
} from './fixtures/hostile-app.js';
import {
  expectTokenRefused,
  invalidForAnyType,
  invalidToken,
  sendOverHttp,
  type Target,
  type TokenRefusal,
  validClaimsFor,
} from './fixtures/token-battery.js';

// Claims of tokens signed with OUR key (so only the claim checks stand between them and acceptance):
// time claims and leeway boundaries, audience and issuer, token ids, token types in every direction.
const leeway = 10;
const audience = ['api', 'admin'];
const issuer = 'https://issuer.test';
const database = await hostileDatabase('sec_claims');
const app = await hostileApp(database, { leeway, audience, issuer });
const accessOnly = await hostileApp(database, { leeway, audience, issuer, authTokenClasses: ['access'] });
const now = database.clock.seconds();
const targets: Target[] = ['header', 'refresh', 'verify', 'blacklist', 'refreshSliding'];

/** Claims that pass every check on `target`, with `changes` applied. */
function claimsFor(target: Target, changes: Record<string, unknown> = {}): Record<string, unknown> {
  const claims: Record<string, unknown> = {
    ...validClaimsFor(target, now, database.ids.demo),
    aud: 'api',
    iss: issuer,
  };
  // A function value is called per token (e.g. a fresh jti); `undefined` deletes the claim.
  for (const [name, value] of Object.entries(changes)) {
    if (value === undefined) delete claims[name];
    else claims[name] = typeof value === 'function' ? value() : value;
  }
  return claims;
}

const signed = (changes: Record<string, unknown>) => (target: Target) =>
  signWithOurKey(claimsFor(target, changes));

/** The same message on every target (the header wraps it per token class). */
function everywhere(message: string): Record<Target, TokenRefusal> {
  return Object.fromEntries(
    targets.map((target) => [
      target,
      target === 'header' ? invalidForAnyType(message) : invalidToken(message),
    ]),
  ) as Record<Target, TokenRefusal>;
}

const refusedRows: [string, Record<string, unknown>, string][] = [
  ['no exp', { exp: undefined }, "Token has no 'exp' claim"],
  ['exp a numeric string', { exp: String(now + 300) }, 'Token is invalid'],
  ['exp a word', { exp: 'tomorrow' }, 'Token is invalid'],
  ['exp null', { exp: null }, 'Token is invalid'],
  ['exp "NaN"', { exp: 'NaN' }, 'Token is invalid'],
  ['exp true', { exp: true }, 'Token is invalid'],
  ['exp a list', { exp: [now + 300] }, 'Token is invalid'],
  ['exp beyond what a Date holds', { exp: 1e15 }, 'Token is invalid'],
  ['exp 1e300', { exp: 1e300 }, 'Token is invalid'],
  ['exp in the past', { exp: now - 3600 }, 'Token is expired'],
  ['exp exactly leeway seconds ago', { exp: now - leeway }, 'Token is expired'],
  ['iat beyond leeway in the future', { iat: now + leeway + 1 }, 'Token is invalid'],
  ['iat a string', { iat: String(now) }, 'Token is invalid'],
  ['nbf beyond leeway in the future', { nbf: now + leeway + 1 }, 'Token is invalid'],
  ['nbf a string', { nbf: String(now) }, 'Token is invalid'],
  ['aud of another service', { aud: 'other' }, 'Token is invalid'],
  ['aud a list of other services', { aud: ['other', 'web'] }, 'Token is invalid'],
  ['aud an empty list', { aud: [] }, 'Token is invalid'],
  ['aud missing', { aud: undefined }, 'Token is invalid'],
  ['aud a number', { aud: 1 }, 'Token is invalid'],
  ['aud a list with a non-string', { aud: ['api', 1] }, 'Token is invalid'],
  ['aud differing in case', { aud: 'API' }, 'Token is invalid'],
  ['iss of another issuer', { iss: 'https://evil.test' }, 'Token is invalid'],
  ['iss missing', { iss: undefined }, 'Token is invalid'],
  ['iss a list', { iss: [issuer] }, 'Token is invalid'],
  ['iss with a trailing slash', { iss: `${issuer}/` }, 'Token is invalid'],
  ['no jti', { jti: undefined }, 'Token has no id'],
  ['jti a number', { jti: 12345 }, 'Token is invalid'],
  ['jti an object', { jti: { $ne: null } }, 'Token is invalid'],
  ['jti empty', { jti: '' }, 'Token is invalid'],
  ['jti of 300 characters', { jti: 'a'.repeat(300) }, 'Token is invalid'],
  ['jti null', { jti: null }, 'Token is invalid'],
  ['no token type', { token_type: undefined }, 'Token has no type'],
  ['a custom token type', { token_type: 'admin' }, 'Token has wrong type'],
  ['token type "untyped"', { token_type: 'untyped' }, 'Token has wrong type'],
  ['token type in another case', { token_type: 'ACCESS' }, 'Token has wrong type'],
  ['token type null', { token_type: null }, 'Token has wrong type'],
];

// tokenVerify does not check the type (Simple JWT's TokenVerifyView): untyped and custom types verify.
const typeRows = new Set(['Token has no type', 'Token has wrong type']);

describe('claims of tokens we signed', () => {
  it.each(refusedRows)('%s: refused everywhere, nothing written', async (_name, changes, message) => {
    const { verify, ...others } = everywhere(message);
    const expected = typeRows.has(message) ? others : { ...others, verify };
    await expectTokenRefused(database, app, signed(changes), expected);
  });

  it.each([
    ['exp 1 s inside the leeway', { exp: now - leeway + 1 }],
    ['iat exactly at the leeway', { iat: now + leeway }],
    ['nbf exactly at the leeway', { nbf: now + leeway }],
    ['exp in the year 9999 (a far-future exp we signed is valid)', { exp: 253_402_300_799 }],
    ['aud a list containing ours', { aud: ['other', 'admin'] }],
    ['jti of 255 characters', { jti: () => `${'j'.repeat(223)}${newJti()}` }],
  ])('accepts %s on every endpoint (documented boundary)', async (_name, changes) => {
    for (const target of targets) {
      const response = await sendOverHttp(app, target, signed(changes)(target));
      expect(response.errors, target).toBeUndefined();
      expect(response.status, target).toBe(200);
    }
  });
});

describe('token types in every direction', () => {
  const token = (type: string, target: Target = 'header') =>
    signWithOurKey(claimsFor(target, { token_type: type }));
  const wrongType = invalidToken('Token has wrong type');

  it.each([
    ['a refresh token in the header', 'refresh', { header: invalidForAnyType('Token has wrong type') }],
    [
      'an access token on tokenRefresh and tokenBlacklist',
      'access',
      { refresh: wrongType, blacklist: wrongType },
    ],
    [
      'a sliding token on tokenRefresh and tokenBlacklist',
      'sliding',
      { refresh: wrongType, blacklist: wrongType },
    ],
    ['an access token on tokenRefreshSliding', 'access', { refreshSliding: wrongType }],
    ['a refresh token on tokenRefreshSliding', 'refresh', { refreshSliding: wrongType }],
  ] as const)('%s is "Token has wrong type"', async (_name, type, expected) => {
    await expectTokenRefused(database, app, (target) => token(type, target), expected);
  });

  it('refuses a sliding token as an access token where only access tokens authenticate', async () => {
    const before = await database.state();
    const response = await accessOnly.post({ query: operations.me }, `Bearer ${token('sliding')}`);
    expect(response.status).toBe(401);
    expect(response.errors?.[0]?.extensions?.['messages']).toEqual([
      { tokenClass: 'AccessToken', tokenType: 'access', message: 'Token has wrong type' },
    ]);
    expect(await database.state()).toEqual(before);
  });

  it.each([
    ['AccessToken', 'refresh'],
    ['AccessToken', 'sliding'],
    ['RefreshToken', 'access'],
    ['RefreshToken', 'sliding'],
    ['SlidingToken', 'access'],
    ['SlidingToken', 'refresh'],
  ] as const)('%s.fromString refuses a %s token in-process', async (tokenClass, type) => {
    const error = await app.jwt.tokens[tokenClass].fromString(token(type)).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(TokenError);
    expect((error as TokenError).message).toBe('Token has wrong type');
  });

  it('verifies a custom-typed token we signed (tokenVerify checks no type, as Simple JWT)', async () => {
    const response = await app.post({
      query: operations.verify,
      variables: { token: token('admin', 'verify') },
    });
    expect(response.data).toEqual({ tokenVerify: { valid: true } });
  });
});

describe('user claim and prototype keys', () => {
  const noUser = invalidToken('Token contained no recognizable user identification');

  it('refuses a token without the user claim in the header', async () => {
    await expectTokenRefused(database, app, signed({ user_id: undefined }), { header: noUser });
  });

  const demoId = (): string => database.ids.demo;
  it.each([
    [
      '__proto__ holding the user id',
      (): string => `"__proto__":{"user_id":"${demoId()}"}`,
      'user_id',
      noUser,
    ],
    [
      'constructor.prototype holding the user id',
      (): string => `"constructor":{"prototype":{"user_id":"${demoId()}"}}`,
      'user_id',
      noUser,
    ],
    [
      '__proto__ holding the token type',
      (): string => '"__proto__":{"token_type":"access"}',
      'token_type',
      invalidForAnyType('Token has no type'),
    ],
  ] as const)('%s: nothing is inherited from it', async (_name, member, missing, expected) => {
    const claims = JSON.stringify(claimsFor('header', { [missing]: undefined }));
    const forged = forgeJwt(
      { alg: 'HS256', typ: 'JWT' },
      `{${member()},${claims.slice(1)}`,
      hmacSigner(signingKey),
    );
    await expectTokenRefused(database, app, () => forged, { header: expected });
    const probe: Record<string, unknown> = {};
    expect([probe['user_id'], probe['token_type'], Object.keys(Object.prototype)]).toEqual([
      undefined,
      undefined,
      [],
    ]);
  });

  it('refreshes a user-less refresh token we signed, but its access token authenticates nobody', async () => {
    const refreshed = await app.jwt.refreshToken(signed({ user_id: undefined })('refresh'));
    await expectTokenRefused(database, app, () => refreshed.access, { header: noUser });
  });
});
