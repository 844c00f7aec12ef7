import { flushExpiredTokens } from 'pothos-plugin-simple-jwt';
import { describe, expect, it } from 'vitest';
import {
  TokenRevokeAllSessionsDocument,
  TokenRevokeSessionDocument,
  TokenSessionsDocument,
} from '../../examples/generated/graphql.js';
import { claimsOf } from '../services/fixture.js';
import { y2k } from '../support/token-fixture.js';
import { failureOf, otherCredentials, sessionServer, userAgent } from './session-fixture.js';

describe('tokenSessions', () => {
  it('lists the caller’s live sessions, most recently used first, and marks the current one', async () => {
    const server = await sessionServer();
    const older = await server.login();
    server.clock.advance(100);
    const newer = await server.login();
    await server.login(otherCredentials);
    server.clock.advance(100);
    // Refreshing the older session makes it the most recently used.
    const refreshed = (await server.refresh(older.refresh)).data?.tokenRefresh;

    const response = await server.execute(TokenSessionsDocument, {}, { token: newer.access });
    expect(response.data?.tokenSessions).toEqual([
      {
        id: claimsOf(older.refresh)['fam'],
        createdAt: new Date(y2k * 1000).toISOString(),
        lastUsedAt: new Date((y2k + 200) * 1000).toISOString(),
        userAgent,
        current: false,
      },
      {
        id: claimsOf(newer.refresh)['fam'],
        createdAt: new Date((y2k + 100) * 1000).toISOString(),
        lastUsedAt: new Date((y2k + 100) * 1000).toISOString(),
        userAgent,
        current: true,
      },
    ]);
    const fromOlder = await server.execute(TokenSessionsDocument, {}, { token: refreshed?.access ?? '' });
    expect(fromOlder.data?.tokenSessions.map((session) => session.current)).toEqual([true, false]);
  });

  it('leaves out revoked and expired sessions', async () => {
    const server = await sessionServer({ refreshTokenLifetime: '1h' });
    const revoked = await server.login();
    server.clock.advance(3000);
    const live = await server.login();
    await server.jwt.revokeSession(String(claimsOf(revoked.refresh)['fam']));
    let response = await server.execute(TokenSessionsDocument, {}, { token: live.access });
    expect(response.data?.tokenSessions.map((session) => session.id)).toEqual([
      claimsOf(live.refresh)['fam'],
    ]);
    server.clock.advance(3600 + 300 + 60);
    const relogin = await server.login();
    response = await server.execute(TokenSessionsDocument, {}, { token: relogin.access });
    expect(response.data?.tokenSessions.map((session) => session.id)).toEqual([
      claimsOf(relogin.refresh)['fam'],
    ]);
  });

  it('requires an authenticated user', async () => {
    const server = await sessionServer();
    const response = await server.execute(TokenSessionsDocument, {});
    expect(failureOf(response).code).toBe('UNAUTHENTICATED');
  });
});

describe('tokenRevokeSession', () => {
  it('revokes one session of the caller: its refresh and access tokens stop working, the others go on', async () => {
    const server = await sessionServer();
    const phone = await server.login();
    const laptop = await server.login();
    const id = String(claimsOf(phone.refresh)['fam']);
    const response = await server.execute(TokenRevokeSessionDocument, { id }, { token: laptop.access });
    expect(response.data).toEqual({ tokenRevokeSession: { revoked: 1 } });
    expect(failureOf(await server.refresh(phone.refresh))).toMatchObject({ reason: 'TOKEN_FAMILY_REVOKED' });
    expect(failureOf(await server.me(phone.access))).toMatchObject({ reason: 'TOKEN_FAMILY_REVOKED' });
    expect((await server.me(laptop.access)).data?.me?.username).toBe('ada');
    expect((await server.refresh(laptop.refresh)).errors).toBeUndefined();
    expect((await server.families()).find((family) => String(family['_id']) === id)?.['revokedReason']).toBe(
      'logout',
    );
    // Twice: nothing left to revoke.
    const again = await server.execute(TokenRevokeSessionDocument, { id }, { token: laptop.access });
    expect(again.data).toEqual({ tokenRevokeSession: { revoked: 0 } });
  });

  it('another user’s session id is not found: revoked 0, and that session still works', async () => {
    const server = await sessionServer();
    const mine = await server.login();
    const theirs = await server.login(otherCredentials);
    const id = String(claimsOf(theirs.refresh)['fam']);
    const response = await server.execute(TokenRevokeSessionDocument, { id }, { token: mine.access });
    expect(response.data).toEqual({ tokenRevokeSession: { revoked: 0 } });
    expect((await server.refresh(theirs.refresh)).errors).toBeUndefined();
    expect(
      (await server.families()).find((family) => String(family['_id']) === id)?.['revokedAt'],
    ).toBeNull();
  });

  it('requires an authenticated user', async () => {
    const server = await sessionServer();
    const theirs = await server.login();
    const id = String(claimsOf(theirs.refresh)['fam']);
    expect(failureOf(await server.execute(TokenRevokeSessionDocument, { id })).code).toBe('UNAUTHENTICATED');
    expect((await server.refresh(theirs.refresh)).errors).toBeUndefined();
  });
});

describe('tokenRevokeAllSessions (log out everywhere)', () => {
  it('revokes every session, blacklists the refresh tokens and refuses access tokens issued before', async () => {
    const server = await sessionServer();
    const phone = await server.login();
    const laptop = await server.login();
    const other = await server.login(otherCredentials);
    server.clock.advance(10);
    const response = await server.execute(TokenRevokeAllSessionsDocument, {}, { token: laptop.access });
    expect(response.data).toEqual({ tokenRevokeAllSessions: { revoked: 2 } });
    for (const login of [phone, laptop]) {
      expect(failureOf(await server.refresh(login.refresh)).code).toBe('TOKEN_NOT_VALID');
      expect(failureOf(await server.me(login.access)).code).toBe('TOKEN_NOT_VALID');
    }
    const reasonsByUser = (await server.families()).map((family) => [
      family['user'],
      family['revokedReason'],
    ]);
    expect(reasonsByUser.sort()).toEqual(
      [
        [server.ada._id.toHexString(), 'logout-all'],
        [server.ada._id.toHexString(), 'logout-all'],
        [server.grace._id.toHexString(), null],
      ].sort(),
    );
    expect(await server.connection.collection('blacklisted_tokens').countDocuments()).toBe(2);
    // The other user is untouched; a new login works at once.
    expect((await server.me(other.access)).data?.me?.username).toBe('grace');
    const again = await server.login();
    expect((await server.me(again.access)).data?.me?.username).toBe('ada');
    expect((await server.refresh(again.refresh)).errors).toBeUndefined();
  });

  it('refuses an access token without a family claim issued before it (tokensValidAfter on the user)', async () => {
    const server = await sessionServer();
    const login = await server.login();
    const familyless = await server.jwt.tokens.RefreshToken.forUser(server.ada);
    familyless.delete('fam');
    const access = familyless.accessToken.toString();
    expect((await server.me(access)).data?.me?.username).toBe('ada');
    server.clock.advance(1);
    await server.execute(TokenRevokeAllSessionsDocument, {}, { token: login.access });
    expect(failureOf(await server.me(access))).toEqual({
      code: 'TOKEN_NOT_VALID',
      reason: 'TOKEN_REVOKED',
      message: 'Token has been revoked',
    });
    const stored = await server.User.findById(server.ada._id).orFail();
    expect(stored.tokensValidAfter).toEqual(new Date((y2k + 1) * 1000));
  });

  it('revokeAllSessionsOf(user, "password-change"): the password-change recipe', async () => {
    const server = await sessionServer();
    const login = await server.login();
    server.clock.advance(1);
    expect(await server.jwt.revokeAllSessionsOf(server.ada, 'password-change')).toBe(1);
    expect(failureOf(await server.refresh(login.refresh)).code).toBe('TOKEN_NOT_VALID');
    // Issued before the revocation: refused by the user's tokensValidAfter (its family is revoked too).
    expect(failureOf(await server.me(login.access)).reason).toBe('TOKEN_REVOKED');
    expect((await server.families())[0]?.['revokedReason']).toBe('password-change');
  });
});

describe('flushExpiredTokens removes dead families', () => {
  it('deletes families whose tokens have all expired, revoked or not, and keeps live ones', async () => {
    const server = await sessionServer({ refreshTokenLifetime: '1h' });
    const revoked = await server.login();
    await server.login();
    await server.jwt.revokeSession(String(claimsOf(revoked.refresh)['fam']));
    server.clock.advance(2 * 3600);
    const live = await server.login();
    const flushed = await server.jwt.flushExpiredTokens();
    expect(flushed.families).toBe(2);
    expect((await server.families()).map((family) => family['_id'])).toEqual([claimsOf(live.refresh)['fam']]);
    expect((await server.refresh(live.refresh)).errors).toBeUndefined();
  });
});

describe('the flushExpiredTokens function (and command) flushes families too', () => {
  it('deletes expired families beside expired tokens', async () => {
    const server = await sessionServer({ refreshTokenLifetime: '1h' });
    await server.login();
    server.clock.advance(2 * 3600);
    const live = await server.login();
    const result = await flushExpiredTokens({ connection: server.connection, now: server.clock() });
    expect(result).toEqual({ outstanding: 1, blacklisted: 0, families: 1 });
    expect((await server.families()).map((family) => family['_id'])).toEqual([claimsOf(live.refresh)['fam']]);
  });
});
