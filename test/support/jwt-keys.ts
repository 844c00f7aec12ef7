import { generateKeyPairSync, type KeyObject } from 'node:crypto';

/** A generated key pair with its PEM forms. */
export interface TestKeyPair {
  readonly privateKey: KeyObject;
  readonly publicKey: KeyObject;
  readonly privatePem: string;
  readonly publicPem: string;
}

export type TestKeyKind =
  | 'rsa2048'
  | 'rsa2048b'
  | 'rsa1024'
  | 'rsaPss256'
  | 'p256'
  | 'p256b'
  | 'p384'
  | 'p521'
  | 'secp256k1'
  | 'ed25519'
  | 'ed25519b'
  | 'ed448';

function generate(kind: TestKeyKind): { privateKey: KeyObject; publicKey: KeyObject } {
  switch (kind) {
    case 'rsa2048':
    case 'rsa2048b':
      return generateKeyPairSync('rsa', { modulusLength: 2048 });
    case 'rsa1024':
      return generateKeyPairSync('rsa', { modulusLength: 1024 });
    case 'rsaPss256':
      return generateKeyPairSync('rsa-pss', {
        modulusLength: 2048,
        hashAlgorithm: 'sha256',
        mgf1HashAlgorithm: 'sha256',
      });
    case 'p256':
    case 'p256b':
      return generateKeyPairSync('ec', { namedCurve: 'P-256' });
    case 'p384':
      return generateKeyPairSync('ec', { namedCurve: 'P-384' });
    case 'p521':
      return generateKeyPairSync('ec', { namedCurve: 'P-521' });
    case 'secp256k1':
      return generateKeyPairSync('ec', { namedCurve: 'secp256k1' });
    case 'ed25519':
    case 'ed25519b':
      return generateKeyPairSync('ed25519');
    case 'ed448':
      return generateKeyPairSync('ed448');
  }
}

// Generation is slow (RSA especially): each test file (its own module instance) generates a kind once.
const cache = new Map<TestKeyKind, TestKeyPair>();

/** A key pair of `kind`, generated on first use and cached for the test file. */
export function testKeys(kind: TestKeyKind): TestKeyPair {
  let pair = cache.get(kind);
  if (!pair) {
    const { privateKey, publicKey } = generate(kind);
    pair = {
      privateKey,
      publicKey,
      privatePem: privateKey.export({ format: 'pem', type: 'pkcs8' }).toString(),
      publicPem: publicKey.export({ format: 'pem', type: 'spki' }).toString(),
    };
    cache.set(kind, pair);
  }
  return pair;
}

/** A 44-byte HMAC secret (enough for HS256) and a 65-byte one (enough for any HS*). */
export const hmacSecret = 'not very secret in tests, but 32+ bytes long';
export const longHmacSecret = 'a 64-byte secret for HS384 and HS512 tests.....................!!';
