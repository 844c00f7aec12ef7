import { randomBytes } from 'node:crypto';
import { forgeJwt, hmacSigner } from './forge-jwt.js';
import { hmacSecret } from './jwt-keys.js';

export interface SimpleJwtTokenOptions {
  readonly tokenType: 'access' | 'refresh' | 'sliding';
  /**
   * The `user_id` claim as JSON text: `'1'` as Simple JWT up to 5.5.0 writes an integer primary key,
   * `'"1"'` as 5.5.1 writes every id, or anything a test needs (`'1e300'`, `'[]'`).
   */
  readonly userIdJson: string;
  /** `iat`, in epoch seconds. */
  readonly issuedAt: number;
  /** Seconds from `iat` to `exp`. */
  readonly lifetime: number;
  /** Sliding tokens: seconds from `iat` to `refresh_exp`. @default 86400 */
  readonly refreshLifetime?: number;
  /** The shared HS256 key. @default the test secret */
  readonly signingKey?: string | Buffer;
}

/**
 * A token as Simple JWT makes it with the same HS256 key, built with node:crypto only: PyJWT's
 * compact header, then the claims in Simple JWT's order (`token_type`, `exp`, `iat`, `jti`,
 * `refresh_exp` for sliding tokens, `user_id`) as compact JSON.
 */
export function simpleJwtToken(options: SimpleJwtTokenOptions): { token: string; jti: string } {
  const { tokenType, userIdJson, issuedAt, lifetime, refreshLifetime = 86_400 } = options;
  const jti = randomBytes(16).toString('hex');
  const refreshExp = tokenType === 'sliding' ? `"refresh_exp":${issuedAt + refreshLifetime},` : '';
  const payload = `{"token_type":"${tokenType}","exp":${issuedAt + lifetime},"iat":${issuedAt},"jti":"${jti}",${refreshExp}"user_id":${userIdJson}}`;
  const token = forgeJwt(
    '{"alg":"HS256","typ":"JWT"}',
    payload,
    hmacSigner(options.signingKey ?? hmacSecret),
  );
  return { token, jti };
}
