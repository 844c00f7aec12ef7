import { describe, expect, it } from 'vitest';
import {
  assertWithinFamilyLifetime,
  capAtFamilyDeadline,
  familyExpiryAfter,
  familyIdOf,
  startFamily,
} from '../../src/sessions/family-claims.js';
import { assertFamilyLive } from '../../src/sessions/family-state.js';
import { testSettings, y2k } from '../support/token-fixture.js';

/** A claim holder like a token's payload. */
function claims(initial: Record<string, unknown> = {}) {
  const payload: Record<string, unknown> = { ...initial };
  return {
    payload,
    get: (claim: string) => payload[claim],
    set: (claim: string, value: unknown) => {
      payload[claim] = value;
    },
    has: (claim: string) => Object.hasOwn(payload, claim),
  };
}

describe('family claims', () => {
  it('startFamily writes a 32-hex family id and the login time under the configured names', () => {
    const token = claims();
    startFamily(
      token,
      testSettings({ familyClaim: 'sid', authTimeClaim: 'login_at' }),
      new Date(y2k * 1000 + 999),
      true,
    );
    expect(token.payload).toEqual({ sid: expect.stringMatching(/^[0-9a-f]{32}$/), login_at: y2k });
    const off = claims();
    startFamily(off, testSettings({ familyClaim: null, authTimeClaim: null }), new Date(y2k * 1000), true);
    expect(off.payload).toEqual({});
  });

  it('startFamily writes no family id when no family record will be kept, only the login time', () => {
    const token = claims();
    startFamily(token, testSettings(), new Date(y2k * 1000), false);
    expect(token.payload).toEqual({ auth_time: y2k });
  });

  it.each([[undefined], [''], [42], [null]])('familyIdOf(%j) is null: no family', (value) => {
    expect(familyIdOf(claims({ fam: value }), testSettings())).toBeNull();
  });

  it('capAtFamilyDeadline caps exp and refresh_exp at auth_time + lifetime, and leaves earlier values', () => {
    const settings = testSettings({ refreshTokenFamilyLifetime: 100 });
    const token = claims({ auth_time: y2k, exp: y2k + 500, refresh_exp: y2k + 50 });
    capAtFamilyDeadline(token, settings);
    expect(token.payload).toMatchObject({ exp: y2k + 100, refresh_exp: y2k + 50 });
    const noAuthTime = claims({ exp: y2k + 500 });
    capAtFamilyDeadline(noAuthTime, settings);
    expect(noAuthTime.payload['exp']).toBe(y2k + 500);
  });

  it('assertWithinFamilyLifetime fails from the deadline on, with TOKEN_FAMILY_EXPIRED', () => {
    const settings = testSettings({ refreshTokenFamilyLifetime: 100 });
    const token = claims({ auth_time: y2k });
    expect(() => assertWithinFamilyLifetime(token, settings, new Date((y2k + 99) * 1000))).not.toThrow();
    let caught: unknown;
    try {
      assertWithinFamilyLifetime(token, settings, new Date((y2k + 100) * 1000));
    } catch (error) {
      caught = error;
    }
    expect((caught as { extensions: Record<string, unknown> }).extensions).toMatchObject({
      code: 'TOKEN_NOT_VALID',
      reason: 'TOKEN_FAMILY_EXPIRED',
    });
  });

  it('familyExpiryAfter covers the token, an access or sliding token made from it, and the throttle', () => {
    const settings = testSettings({ accessTokenLifetime: 300, slidingTokenLifetime: 600 });
    expect(familyExpiryAfter(claims({ exp: y2k, refresh_exp: y2k + 1000 }), settings)).toEqual(
      new Date((y2k + 1000 + 600 + 60) * 1000),
    );
  });

  it('assertFamilyLive: no family claim passes; a missing or revoked record fails closed', () => {
    expect(() => assertFamilyLive(null)).not.toThrow();
    expect(() => assertFamilyLive({ id: 'f', record: null })).toThrow('Token family has been revoked');
  });
});
