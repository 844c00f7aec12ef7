import { describe, expect, it } from 'vitest';
import { userIdClaimAsString, userIdFromClaim } from '../../src/tokens/user-id-claim.js';

// Claim values as JSON text, parsed the way a token payload is: what a peer can actually send.
describe('userIdFromClaim', () => {
  it.each([
    ['"abc"', 'abc'],
    ['"0123456789abcdef01234567"', '0123456789abcdef01234567'],
    ['"1"', '1'],
    ['1', '1'],
    ['0', '0'],
    ['-1', '-1'],
    ['-0', '0'],
    ['1.0', '1'],
    ['1e2', '100'],
    ['9007199254740991', '9007199254740991'],
    ['-9007199254740991', '-9007199254740991'],
  ])('reads %s as the id %j', (json, id) => {
    expect(userIdFromClaim(JSON.parse(json))).toBe(id);
  });

  it.each([
    ['an empty string', '""'],
    ['null', 'null'],
    ['true', 'true'],
    ['false', 'false'],
    ['an object', '{}'],
    ['an operator object', '{"$ne":null}'],
    ['an empty array', '[]'],
    ['an array holding an id', '[1]'],
    ['a fraction', '1.5'],
    ['a tiny fraction', '1e-300'],
    ['a huge number', '1e300'],
    ['an overflowing number (Infinity)', '1e400'],
    ['the first unsafe integer', '9007199254740992'],
    ['an integer JSON.parse rounds', '9007199254740993'],
  ])('names nobody for %s', (_case, json) => {
    expect(userIdFromClaim(JSON.parse(json))).toBeNull();
  });

  it('names nobody for an absent claim or NaN', () => {
    expect(userIdFromClaim(undefined)).toBeNull();
    expect(userIdFromClaim(Number.NaN)).toBeNull();
  });
});

describe('userIdClaimAsString', () => {
  const holder = (claims: Record<string, unknown>) => ({
    claims,
    get: (claim: string) => claims[claim],
    set: (claim: string, value: unknown) => {
      claims[claim] = value;
    },
  });

  it('rewrites an integer claim as its decimal string, in place', () => {
    const token = holder({ token_type: 'refresh', user_id: 7, other: 1 });
    userIdClaimAsString(token, 'user_id');
    expect(token.claims).toEqual({ token_type: 'refresh', user_id: '7', other: 1 });
    expect(Object.keys(token.claims)).toEqual(['token_type', 'user_id', 'other']);
  });

  it.each([
    ['a string', 'abc'],
    ['a fraction', 1.5],
    ['an unsafe integer', 2 ** 53],
    ['an object', { $ne: null }],
    ['null', null],
    ['a boolean', true],
  ])('leaves %s as it is', (_case, value) => {
    const token = holder({ user_id: value });
    userIdClaimAsString(token, 'user_id');
    expect(token.claims['user_id']).toBe(value);
  });

  it('leaves a token without the claim without it', () => {
    const token = holder({ token_type: 'refresh' });
    userIdClaimAsString(token, 'user_id');
    expect(token.claims).toEqual({ token_type: 'refresh' });
  });
});
