import { generateKeyPairSync } from 'node:crypto';
import {
  createScryptPasswordHasher,
  createSimpleJwt,
  createUser,
  createUserModel,
  insecureTestScryptOptions,
  type SimpleJwtSettings,
  setPassword,
} from 'pothos-plugin-simple-jwt';
import { describe, expect, it } from 'vitest';
import { resolveSettings } from '../../src/settings.js';
import { createRevokeHasher } from '../../src/tokens/revoke-hash.js';
import { connectFreshDatabase } from '../support/database.js';
import { testKeys } from '../support/jwt-keys.js';

// checkRevokeToken keys the password-hash claim with the signing key; a rotation must not make
// every earlier token look like one from before a password change.

const connection = await connectFreshDatabase('revoke_rotation');
const User = createUserModel(connection);
const passwordHasher = createScryptPasswordHasher(insecureTestScryptOptions);
const key1 = { key: testKeys('p256').privatePem, kid: 'k1' };
const key2 = { key: testKeys('p256b').privatePem, kid: 'k2' };
const retiredKey1 = { key: testKeys('p256').publicPem, kid: 'k1' };

const instance = (keys: Pick<SimpleJwtSettings, 'signingKeys' | 'retiredKeys'>) =>
  createSimpleJwt({
    settings: { algorithm: 'ES256', checkRevokeToken: true, ...keys },
    connection,
    userModel: User,
    passwordHasher,
  });

const codeOf = (promise: Promise<unknown>) =>
  promise.then(
    () => 'authenticated',
    (error: { extensions?: { code?: string } }) => error.extensions?.code,
  );

describe('checkRevokeToken across a key rotation', () => {
  it("keeps an earlier key's tokens valid while the key is in the ring, and still revokes them on a password change", async () => {
    const user = await createUser(User, { username: 'rotating', password: 'first-password' }, passwordHasher);
    const before = instance({ signingKeys: [key1] });
    const { access } = await before.obtainTokenPair({ username: 'rotating', password: 'first-password' });

    const after = instance({ signingKeys: [key2], retiredKeys: [retiredKey1] });
    expect((await after.authenticate({ authorization: `Bearer ${access}` })).user?.username).toBe('rotating');
    const { access: fresh } = await after.obtainTokenPair({
      username: 'rotating',
      password: 'first-password',
    });

    await setPassword(user, 'second-password', passwordHasher);
    await user.save();
    expect(await codeOf(after.authenticate({ authorization: `Bearer ${access}` }))).toBe('PASSWORD_CHANGED');
    expect(await codeOf(after.authenticate({ authorization: `Bearer ${fresh}` }))).toBe('PASSWORD_CHANGED');
  });

  it('a claim keyed by a key outside the ring never matches', async () => {
    const user = await createUser(User, { username: 'outside', password: 'a-password' }, passwordHasher);
    const ring = instance({ signingKeys: [key2], retiredKeys: [retiredKey1] });
    const outsideKey = generateKeyPairSync('ec', { namedCurve: 'P-256' }).privateKey;
    const outside = createRevokeHasher(resolveSettings({ algorithm: 'ES256', signingKey: outsideKey }));
    const matching = await ring.tokens.AccessToken.forUser(user);
    const forged = await ring.tokens.AccessToken.forUser(user);
    forged.set('hash_password', outside(user.password as string));
    expect((await ring.authenticate({ authorization: `Bearer ${matching}` })).user?.username).toBe('outside');
    expect(await codeOf(ring.authenticate({ authorization: `Bearer ${forged}` }))).toBe('PASSWORD_CHANGED');
  });
});
