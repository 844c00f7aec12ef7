import { describe, expect, it } from 'vitest';
import { userIdFromClaim } from '../../src/tokens/user-id-claim.js';

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
