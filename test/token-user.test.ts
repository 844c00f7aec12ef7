import { describe, expect, it } from 'vitest';
import { InvalidTokenError } from '../src/errors.js';
import { TokenUser } from '../src/token-user.js';
import { tokenFixture } from './support/token-fixture.js';

/** Simple JWT's fixture: an access token with user_id "42", a username and another claim. */
function tokenUser(claims: Record<string, unknown> = {}) {
  const { tokens, settings } = tokenFixture();
  const token = new tokens.AccessToken();
  token.set('user_id', '42');
  token.set('username', 'deep-thought');
  token.set('some_other_stuff', 'arstarst');
  for (const [claim, value] of Object.entries(claims)) token.set(claim, value);
  return { user: new TokenUser(token, settings), token, settings };
}

describe('TokenUser', () => {
  it('reads id, pk and username from claims (44, 47, 48, 64)', () => {
    const { user } = tokenUser();
    expect(user.id).toBe('42');
    expect(user.pk).toBe('42');
    expect(user.username).toBe('deep-thought');
    expect(user.getUsername()).toBe('deep-thought');
    expect(new TokenUser({ user_id: '1' }, { userIdClaim: 'user_id' }).username).toBe('');
  });

  it('is active and authenticated, never anonymous (45, 62, 63)', () => {
    const { user } = tokenUser();
    expect([user.isActive, user.isAuthenticated, user.isAnonymous]).toEqual([true, true, false]);
  });

  it('is staff or superuser only when the claim says so (49, 50)', () => {
    expect([tokenUser().user.isStaff, tokenUser().user.isSuperuser]).toEqual([false, false]);
    const { user } = tokenUser({ is_staff: true, is_superuser: true });
    expect([user.isStaff, user.isSuperuser]).toEqual([true, true]);
    expect(tokenUser({ is_staff: 'yes' }).user.isStaff).toBe(false);
  });

  it('prints as "TokenUser 42" (46)', () => {
    expect(String(tokenUser().user)).toBe('TokenUser 42');
  });

  it('equals another TokenUser with the same id only (51, 52)', () => {
    const { user } = tokenUser();
    expect(user.equals(tokenUser({ username: 'other' }).user)).toBe(true);
    expect(user.equals(tokenUser({ user_id: '43' }).user)).toBe(false);
    expect(user.equals('42')).toBe(false);
    expect(user.equals({ id: '42' })).toBe(false);
  });

  it('has no DB representation (54)', () => {
    const { user } = tokenUser();
    for (const call of [
      () => user.save(),
      () => user.delete(),
      () => user.setPassword('x'),
      () => user.checkPassword('x'),
    ]) {
      expect(call).toThrow('Token users have no DB representation');
    }
  });

  it('has no groups or permissions (55-61)', () => {
    const { user } = tokenUser({ is_superuser: true });
    expect(user.groups).toEqual([]);
    expect(user.userPermissions).toEqual([]);
    expect(user.getGroupPermissions()).toEqual(new Set());
    expect(user.getAllPermissions()).toEqual(new Set());
    expect(user.hasPerm('app.view_thing')).toBe(false);
    expect(user.hasPerms(['app.view_thing'])).toBe(false);
    expect(user.hasModulePerms('app')).toBe(false);
  });

  it('reads any other claim, undefined when absent (65)', () => {
    const { user, token } = tokenUser();
    expect(user.claim('some_other_stuff')).toBe('arstarst');
    expect(user.claim('missing')).toBeUndefined();
    expect(user.claim('toString')).toBeUndefined();
    expect(user.token).toBe(token);
    expect(user.claims['some_other_stuff']).toBe('arstarst');
  });

  it('can be built from a payload', () => {
    const user = new TokenUser({ user_id: '7', username: 'seven' }, { userIdClaim: 'user_id' });
    expect([user.id, user.username, user.token]).toEqual(['7', 'seven', null]);
  });

  it('uses userIdClaim and reads an integer id as its decimal string, keeping the raw claim', () => {
    expect(new TokenUser({ sub: 'abc' }, { userIdClaim: 'sub' }).id).toBe('abc');
    const user = new TokenUser({ user_id: 42 }, { userIdClaim: 'user_id' });
    expect([user.id, user.pk, String(user), user.claim('user_id')]).toEqual(['42', '42', 'TokenUser 42', 42]);
    expect(user.equals(new TokenUser({ user_id: '42' }, { userIdClaim: 'user_id' }))).toBe(true);
  });

  it.each([
    ['missing', {}],
    ['empty', { user_id: '' }],
    ['an object', { user_id: { $ne: null } }],
    ['an array', { user_id: [] }],
    ['null', { user_id: null }],
    ['a boolean', { user_id: true }],
    ['a fraction', { user_id: 1.5 }],
    ['a huge number', { user_id: 1e300 }],
    ['an unsafe integer', { user_id: 2 ** 53 }],
  ])('refuses a user id claim that is %s', (_name, claims) => {
    expect(() => new TokenUser(claims, { userIdClaim: 'user_id' })).toThrow(
      new InvalidTokenError('Token contained no recognizable user identification'),
    );
  });

  it('is subclassable', () => {
    class BSagetUser extends TokenUser {
      override get username(): string {
        return 'bsaget';
      }
    }
    const { token, settings } = tokenUser();
    const user = new BSagetUser(token, settings);
    expect(user).toBeInstanceOf(TokenUser);
    expect([user.id, user.username, user.getUsername()]).toEqual(['42', 'bsaget', 'bsaget']);
  });
});
