import { describe, expect, it } from 'vitest';
import { rawTokenFromHeader } from '../../src/authentication/raw-token-from-header.js';
import { AuthenticationFailedError } from '../../src/errors.js';

describe('rawTokenFromHeader (Simple JWT get_raw_token)', () => {
  it.each([
    [undefined, ['Bearer'], null],
    [null, ['Bearer'], null],
    ['', ['Bearer'], null],
    ['   ', ['Bearer'], null],
    ['Bearer tok', ['Bearer'], 'tok'],
    ['Bearer   tok', ['Bearer'], 'tok'],
    ['  Bearer\ttok  ', ['Bearer'], 'tok'],
    ['bearer tok', ['Bearer'], null],
    ['Token tok', ['Bearer'], null],
    ['Basic a b c', ['Bearer'], null],
    ['JWT', ['Bearer'], null],
    ['Bearer tok', ['JWT'], null],
    ['Bearer tok', ['JWT', 'Bearer'], 'tok'],
    ['JWT tok', ['JWT', 'Bearer'], 'tok'],
  ] as const)('%j with types %j gives %j', (header, types, expected) => {
    expect(rawTokenFromHeader(header, types)).toBe(expected);
  });

  it.each(['Bearer', 'Bearer one two', 'Bearer  a  b  c'])(
    'refuses %j: the scheme matches but there are not exactly two parts',
    (header) => {
      let caught: unknown;
      try {
        rawTokenFromHeader(header, ['Bearer']);
      } catch (error) {
        caught = error;
      }
      expect(caught).toBeInstanceOf(AuthenticationFailedError);
      expect((caught as AuthenticationFailedError).extensions['code']).toBe('BAD_AUTHORIZATION_HEADER');
      expect((caught as Error).message).toBe('Authorization header must contain two space-delimited values');
    },
  );
});
