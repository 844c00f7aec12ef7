import {
  createHmac,
  sign as cryptoSign,
  verify as cryptoVerify,
  type KeyObject,
  timingSafeEqual,
} from 'node:crypto';

/** The algorithms the micro-benchmarks cover. */
export type MicroAlgorithm = 'HS256' | 'RS256' | 'ES256' | 'EdDSA';

/**
 * The raw node:crypto floor of one algorithm: the least work any JWT library must do. Signing:
 * JSON.stringify, base64url, one signature. Verifying: split, base64url decode of the signature,
 * one HMAC (+ timingSafeEqual) or signature check, base64url decode and JSON.parse of header and
 * payload, the `alg` and `exp` checks. No claim-format, type or id checks: a floor, not a verifier.
 */
export interface CryptoFloor {
  sign(payload: Record<string, unknown>): string;
  verify(token: string, nowSeconds: number): Record<string, unknown>;
}

function signatureOf(algorithm: MicroAlgorithm, input: Buffer, key: KeyObject): Buffer {
  switch (algorithm) {
    case 'HS256':
      return createHmac('sha256', key).update(input).digest();
    case 'RS256':
      return cryptoSign('sha256', input, key);
    case 'ES256':
      return cryptoSign('sha256', input, { key, dsaEncoding: 'ieee-p1363' });
    case 'EdDSA':
      return cryptoSign(null, input, key);
  }
}

function signatureMatches(
  algorithm: MicroAlgorithm,
  input: Buffer,
  key: KeyObject,
  signature: Buffer,
): boolean {
  switch (algorithm) {
    case 'HS256': {
      const expected = createHmac('sha256', key).update(input).digest();
      return expected.length === signature.length && timingSafeEqual(expected, signature);
    }
    case 'RS256':
      return cryptoVerify('sha256', input, key, signature);
    case 'ES256':
      return cryptoVerify('sha256', input, { key, dsaEncoding: 'ieee-p1363' }, signature);
    case 'EdDSA':
      return cryptoVerify(null, input, key, signature);
  }
}

export function cryptoFloor(
  algorithm: MicroAlgorithm,
  signingKey: KeyObject,
  verifyingKey: KeyObject,
): CryptoFloor {
  const encodedHeader = Buffer.from(JSON.stringify({ alg: algorithm, typ: 'JWT' })).toString('base64url');
  return {
    sign(payload) {
      const input = `${encodedHeader}.${Buffer.from(JSON.stringify(payload)).toString('base64url')}`;
      return `${input}.${signatureOf(algorithm, Buffer.from(input), signingKey).toString('base64url')}`;
    },
    verify(token, nowSeconds) {
      const firstDot = token.indexOf('.');
      const secondDot = token.lastIndexOf('.');
      const signature = Buffer.from(token.slice(secondDot + 1), 'base64url');
      if (!signatureMatches(algorithm, Buffer.from(token.slice(0, secondDot)), verifyingKey, signature)) {
        throw new Error('invalid signature');
      }
      const header = JSON.parse(Buffer.from(token.slice(0, firstDot), 'base64url').toString('utf8'));
      const payload = JSON.parse(
        Buffer.from(token.slice(firstDot + 1, secondDot), 'base64url').toString('utf8'),
      );
      if (header.alg !== algorithm) throw new Error('wrong algorithm');
      if (!(typeof payload.exp === 'number' && payload.exp > nowSeconds)) throw new Error('expired');
      return payload;
    },
  };
}
