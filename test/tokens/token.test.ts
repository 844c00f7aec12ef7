import { inspect } from 'node:util';
import { describe, expect, it } from 'vitest';
import { ExpiredTokenError, TokenError } from '../../src/errors.js';
import { AccessToken } from '../../src/tokens/token-types.js';
import { forgeJwt, hmacSigner } from '../support/forge-jwt.js';
import { hmacSecret } from '../support/jwt-keys.js';
import { tokenFixture, y2k } from '../support/token-fixture.js';

const day = 86_400;
const hexJti = /^[0-9a-f]{32}$/;

/** Simple JWT's MyToken: type "test", lifetime one day. */
function myTokenFixture(settings = {}) {
  const fixture = tokenFixture({ settings });
  class MyToken extends fixture.tokens.Token {
    static override tokenType: string | null = 'test';
    static override lifetime: number | null = day;
  }
  return { ...fixture, MyToken };
}

/** The error a promise rejects with. */
async function failure(promise: Promise<unknown>): Promise<Error> {
  const error = await promise.catch((caught: unknown) => caught);
  expect(error).toBeInstanceOf(Error);
  return error as Error;
}

const forge = (claims: object) => forgeJwt({ alg: 'HS256', typ: 'JWT' }, claims, hmacSigner(hmacSecret));

describe('creating tokens', () => {
  it('needs a type and a lifetime', async () => {
    const { tokens } = tokenFixture();
    class NoType extends tokens.Token {
      static override lifetime: number | null = day;
    }
    class NoLifetime extends tokens.Token {
      static override tokenType: string | null = 'test';
    }
    for (const TokenClass of [tokens.Token, NoType, NoLifetime]) {
      expect(() => new TokenClass()).toThrow(new TokenError('Cannot create token with no type or lifetime'));
      await expect(TokenClass.fromString('x')).rejects.toThrow(
        'Cannot create token with no type or lifetime',
      );
    }
  });

  it('needs classes bound to a context', () => {
    expect(() => new AccessToken()).toThrow('AccessToken is not bound to a SimpleJwt instance');
  });

  it('has exactly token_type, exp, iat, jti, in that order', () => {
    const { MyToken, clock } = myTokenFixture();
    const token = new MyToken();
    expect(token.currentTime).toEqual(clock());
    expect(token.token).toBeNull();
    expect(Object.keys(token.payload)).toEqual(['token_type', 'exp', 'iat', 'jti']);
    expect(token.payload).toEqual({
      token_type: 'test',
      exp: y2k + day,
      iat: y2k,
      jti: expect.stringMatching(hexJti),
    });
    expect(Object.getPrototypeOf(token.payload)).toBeNull();
  });

  it('uses uuid4 hex jtis, a new one per token and per setJti', () => {
    const { MyToken } = myTokenFixture();
    const token = new MyToken();
    const jti = token.get('jti') as string;
    expect(jti[12]).toBe('4'); // the uuid version nibble
    expect(new MyToken().get('jti')).not.toBe(jti);
    token.setJti();
    expect(token.get('jti')).toMatch(hexJti);
    expect(token.get('jti')).not.toBe(jti);
  });

  it('floors epoch seconds', () => {
    const { MyToken, clock } = myTokenFixture();
    clock.set(y2k + 0.9);
    const token = new MyToken();
    expect([token.get('iat'), token.get('exp')]).toEqual([y2k, y2k + day]);
  });

  it('omits the jti claim when jtiClaim is null, and parses without it', async () => {
    const { MyToken } = myTokenFixture({ jtiClaim: null });
    const token = new MyToken();
    expect(Object.keys(token.payload)).toEqual(['token_type', 'exp', 'iat']);
    await expect(MyToken.fromString(token.toString())).resolves.toBeInstanceOf(MyToken);
  });

  it('omits the type claim and check when tokenTypeClaim is null', async () => {
    const { MyToken } = myTokenFixture({ tokenTypeClaim: null });
    expect(Object.keys(new MyToken().payload)).toEqual(['exp', 'iat', 'jti']);
    const other = forge({ token_type: 'other', exp: y2k + 60, jti: 'a' });
    await expect(MyToken.fromString(other)).resolves.toBeInstanceOf(MyToken);
  });

  it('uses custom claim names', () => {
    const { MyToken } = myTokenFixture({ tokenTypeClaim: 'typ', jtiClaim: 'token_id' });
    expect(Object.keys(new MyToken().payload)).toEqual(['typ', 'exp', 'iat', 'token_id']);
  });

  it('gives two contexts their own settings, keys and classes', async () => {
    const a = tokenFixture({ settings: { accessTokenLifetime: 60 } });
    const b = tokenFixture({
      settings: { accessTokenLifetime: 120, signingKey: 'another secret of at least 32 bytes!!' },
    });
    expect(new a.tokens.AccessToken().get('exp')).toBe(y2k + 60);
    expect(new b.tokens.AccessToken().get('exp')).toBe(y2k + 120);
    const fromA = new a.tokens.AccessToken().toString();
    expect((await failure(b.tokens.AccessToken.fromString(fromA))).message).toBe('Token is invalid');
    await expect(a.tokens.AccessToken.fromString(fromA)).resolves.toBeInstanceOf(a.tokens.AccessToken);
  });
});

describe('parsing tokens', () => {
  it('keeps the string, parse time and claims', async () => {
    const { MyToken, clock } = myTokenFixture();
    const created = new MyToken();
    created.set('some_value', 'arst');
    const encoded = created.toString();
    clock.advance(60);
    const parsed = await MyToken.fromString(encoded);
    expect(parsed.currentTime).toEqual(new Date((y2k + 60) * 1000));
    expect(parsed.token).toBe(encoded);
    expect(parsed.payload).toEqual({ ...created.payload });
    expect(Object.keys(parsed.payload)).toEqual(['token_type', 'exp', 'iat', 'jti', 'some_value']);
  });

  it('maps a bad signature to "Token is invalid", unless verify is off', async () => {
    const { MyToken } = myTokenFixture();
    const token = new MyToken();
    const [header, payload] = token.toString().split('.');
    const tampered = `${header}.${payload}.${'A'.repeat(43)}`;
    const error = await failure(MyToken.fromString(tampered));
    expect(error).toBeInstanceOf(TokenError);
    expect(error).not.toBeInstanceOf(ExpiredTokenError);
    expect(error.message).toBe('Token is invalid');
    expect((error as TokenError).code).toBe('TOKEN_NOT_VALID');
    expect((await MyToken.fromString(tampered, { verify: false })).payload).toEqual({ ...token.payload });
  });

  it('maps an expired token to ExpiredTokenError "Token is expired"', async () => {
    const { MyToken, clock } = myTokenFixture();
    const encoded = new MyToken().toString();
    clock.advance(day + 1);
    const error = await failure(MyToken.fromString(encoded));
    expect(error).toBeInstanceOf(ExpiredTokenError);
    expect(error.message).toBe('Token is expired');
  });

  it.each([
    ['no exp', { token_type: 'test', jti: 'a' }, "Token has no 'exp' claim"],
    ['no exp, no jti, no type', {}, "Token has no 'exp' claim"],
    ['no jti', { token_type: 'test', exp: y2k + 60 }, 'Token has no id'],
    ['no jti, no type', { exp: y2k + 60 }, 'Token has no id'],
    ['no type', { exp: y2k + 60, jti: 'a' }, 'Token has no type'],
    ['the wrong type', { token_type: 'access', exp: y2k + 60, jti: 'a' }, 'Token has wrong type'],
    ['a null type', { token_type: null, exp: y2k + 60, jti: 'a' }, 'Token has wrong type'],
  ])('rejects a token with %s', async (_name, claims, message) => {
    const { MyToken } = myTokenFixture();
    const error = await failure(MyToken.fromString(forge(claims)));
    expect(error).toBeInstanceOf(TokenError);
    expect(error.message).toBe(message);
    // verify: false skips every one of these checks.
    await expect(MyToken.fromString(forge(claims), { verify: false })).resolves.toBeInstanceOf(MyToken);
  });
});

describe('the token object', () => {
  it('signs its payload on toString', () => {
    const { MyToken } = myTokenFixture();
    const token = new MyToken();
    for (const claim of Object.keys(token.payload)) token.delete(claim);
    token.set('exp', y2k);
    expect(token.toString()).toBe(
      'eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9.eyJleHAiOjk0NjY4NDgwMH0.Ja9h0Zl68yKS9koAfbBSwSF8ZRZeY0idEAaidSuYNA0',
    );
    expect(`${token}`).toBe(token.toString());
  });

  it('inspects as its claims, never its token string', async () => {
    const { MyToken } = myTokenFixture();
    const encoded = new MyToken().toString();
    const parsed = await MyToken.fromString(encoded);
    const shown = inspect(parsed);
    expect(shown).toContain('MyToken');
    expect(shown).toContain(`token_type: 'test'`);
    expect(shown).toContain(parsed.get('jti') as string);
    expect(shown).not.toContain(encoded.split('.')[2]);
  });

  it('reads, writes, deletes and tests claims', () => {
    const { MyToken } = myTokenFixture();
    const token = new MyToken();
    expect(token.get('token_type')).toBe('test');
    token.set('test', 1234);
    expect(token.get('test')).toBe(1234);
    expect(token.has('test')).toBe(true);
    expect(token.delete('test')).toBe(true);
    expect(token.has('test')).toBe(false);
    expect(token.delete('test')).toBe(false);
    expect(token.get('test')).toBeUndefined();
    expect(token.get('test', 'default')).toBe('default');
    expect(token.get('token_type', 'default')).toBe('test');
    expect(token.has('toString')).toBe(false);
    expect(token.get('constructor')).toBeUndefined();
  });

  it('sets exp from creation time, or from the given time, lifetime and claim', () => {
    const { MyToken } = myTokenFixture();
    const token = new MyToken();
    token.set('exp', 0);
    token.setExp();
    expect(token.get('exp')).toBe(y2k + day);
    token.setExp({ claim: 'refresh_exp', fromTime: new Date((y2k + 10) * 1000), lifetime: 3600 });
    expect(token.get('refresh_exp')).toBe(y2k + 3610);
  });

  it('sets iat from creation time, or the given time and claim', () => {
    const { MyToken } = myTokenFixture();
    const token = new MyToken();
    token.set('iat', 0);
    token.setIat();
    expect(token.get('iat')).toBe(y2k);
    token.setIat({ claim: 'login_time', atTime: new Date((y2k + 5) * 1000) });
    expect(token.get('login_time')).toBe(y2k + 5);
  });
});

describe('checkExp', () => {
  const at = (seconds: number) => new Date(seconds * 1000);

  function tokenWith(fixture: ReturnType<typeof myTokenFixture>, claims: Record<string, unknown>) {
    const token = new fixture.MyToken();
    for (const [claim, value] of Object.entries(claims)) token.set(claim, value);
    return token;
  }

  it.each([
    ['missing', 'refresh_exp', {}, y2k, "Token has no 'refresh_exp' claim"],
    ['exactly now', 'exp', { exp: y2k }, y2k, "Token 'exp' claim has expired"],
    ['past', 'exp', { exp: y2k - 1 }, y2k, "Token 'exp' claim has expired"],
    ['not a number', 'refresh_exp', { refresh_exp: 'soon' }, y2k, 'Token is invalid'],
    ['at a custom time', 'exp', { exp: y2k + 10 }, y2k + 10, "Token 'exp' claim has expired"],
  ] as const)('fails when %s', (_name, claim, claims, now, message) => {
    const token = tokenWith(myTokenFixture(), claims);
    expect(() => token.checkExp(claim, at(now))).toThrow(new TokenError(message));
  });

  it.each([
    ['in the future', 'exp', { exp: y2k + 1 }, y2k],
    ['a custom claim in the future', 'refresh_exp', { refresh_exp: y2k + 1 }, y2k],
    ['before a custom time', 'exp', { exp: y2k + 10 }, y2k + 9],
  ] as const)('passes when %s', (_name, claim, claims, now) => {
    const token = tokenWith(myTokenFixture(), claims);
    expect(() => token.checkExp(claim, at(now))).not.toThrow();
  });

  it('defaults to exp at the token’s current time', () => {
    const fixture = myTokenFixture();
    const token = tokenWith(fixture, { exp: y2k });
    expect(() => token.checkExp()).toThrow("Token 'exp' claim has expired");
    token.set('exp', y2k + 1);
    expect(() => token.checkExp()).not.toThrow();
  });

  it.each([3600, '1h', '31m'])(
    'leeway %s lets a claim 30 minutes expired pass (but not one 2 hours expired)',
    (leeway) => {
      const token = tokenWith(myTokenFixture({ leeway }), { exp: y2k - 1800, long_gone: y2k - 7200 });
      expect(() => token.checkExp()).not.toThrow();
      expect(() => token.checkExp('long_gone')).toThrow("Token 'long_gone' claim has expired");
    },
  );
});
