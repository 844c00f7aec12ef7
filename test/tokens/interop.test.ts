import { describe, expect, it } from 'vitest';
import { forgeJwt, hmacSignature, hmacSigner, segmentJson } from '../support/forge-jwt.js';
import { hmacSecret } from '../support/jwt-keys.js';
import { tokenFixture, y2k } from '../support/token-fixture.js';

/** An access token signed by Python's stdlib exactly as PyJWT/Simple JWT sign one (HS256, same secret). */
const pythonAccessToken =
  'eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9.eyJ0b2tlbl90eXBlIjoiYWNjZXNzIiwiZXhwIjo5NDY2ODUxMDAsImlhdCI6OTQ2Njg0ODAwLCJqdGkiOiJlNGYxYzFiNGQ3YTU0ZjFmOWYwZTJjM2I0YTVkNmU3ZiIsInVzZXJfaWQiOiI0MiJ9.Hg8_atK0uXQMnM_W3ARoz-h-awr6eNgcUh0jBwbTNBQ';

const user = { id: '42', username: 'deep-thought' };

describe('HS256 interoperability with Simple JWT', () => {
  it('issues what Simple JWT issues: header, claims, their types and order, HMAC-SHA256 signature', async () => {
    // Token families off: the claims are exactly Simple JWT's (with families, `fam` and `auth_time` follow).
    const { tokens } = tokenFixture({ settings: { familyClaim: null, authTimeClaim: null } });
    const refresh = await tokens.RefreshToken.forUser(user);
    for (const token of [refresh.toString(), refresh.accessToken.toString()]) {
      const [header, payload, signature] = token.split('.') as [string, string, string];
      expect(Buffer.from(header, 'base64url').toString()).toBe('{"alg":"HS256","typ":"JWT"}');
      const claims = segmentJson(token, 1) as Record<string, unknown>;
      expect(Object.keys(claims)).toEqual(['token_type', 'exp', 'iat', 'jti', 'user_id']);
      expect(claims['jti']).toMatch(/^[0-9a-f]{32}$/);
      expect(claims['user_id']).toBe('42');
      expect(claims['iat']).toBe(y2k);
      expect(signature).toBe(hmacSignature(hmacSecret, `${header}.${payload}`));
    }
    expect(segmentJson(refresh.toString(), 1)).toMatchObject({ token_type: 'refresh', exp: y2k + 86_400 });
    expect(segmentJson(refresh.accessToken.toString(), 1)).toMatchObject({
      token_type: 'access',
      exp: y2k + 300,
    });
  });

  it('accepts an access token Simple JWT issued', async () => {
    const { tokens, clock } = tokenFixture();
    clock.advance(10);
    const access = await tokens.AccessToken.fromString(pythonAccessToken);
    expect(access.payload).toEqual({
      token_type: 'access',
      exp: y2k + 300,
      iat: y2k,
      jti: 'e4f1c1b4d7a54f1f9f0e2c3b4a5d6e7f',
      user_id: '42',
    });
  });

  it('accepts a refresh token built independently and derives an access token from it', async () => {
    const { tokens } = tokenFixture();
    const claims = { token_type: 'refresh', exp: y2k + 86_400, iat: y2k, jti: 'a'.repeat(32), user_id: '7' };
    const refresh = await tokens.RefreshToken.fromString(
      forgeJwt({ alg: 'HS256', typ: 'JWT' }, claims, hmacSigner(hmacSecret)),
    );
    const access = await tokens.AccessToken.fromString(refresh.accessToken.toString());
    expect(access.get('user_id')).toBe('7');
  });
});
