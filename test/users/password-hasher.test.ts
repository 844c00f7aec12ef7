import { pbkdf2, pbkdf2Sync, randomBytes, scrypt, scryptSync } from 'node:crypto';
import { describe, expect, it, vi } from 'vitest';
import { ImproperlyConfiguredError } from '../../src/errors.js';
import { createScryptPasswordHasher, insecureTestScryptOptions } from '../../src/users/password-hasher.js';

// The real KDFs, spied on: which work a hash asked for is checked by its arguments, not by timing it.
vi.mock('node:crypto', async (importOriginal) => {
  const crypto = await importOriginal<typeof import('node:crypto')>();
  return { ...crypto, pbkdf2: vi.fn(crypto.pbkdf2), scrypt: vi.fn(crypto.scrypt) };
});

const hasher = createScryptPasswordHasher(insecureTestScryptOptions);

/** Django's own test vectors (tests/auth_tests/test_hashers.py, Django 4.1) for the password "lètmein". */
const djangoVectors = [
  'pbkdf2_sha256$390000$seasalt$8xBlGd3jVgvJ+92hWPxi5ww0uuAuAnKgC45eudxro7c=',
  'pbkdf2_sha256$390000$seasalt2$geC/uZ92nRXDSjSxeoiBqYyRcrLzMm8xK3ro1QS1uo8=',
  'pbkdf2_sha1$390000$seasalt2$aDapRanzW8aHTz97v2TcfHzWD+I=',
  'scrypt$16384$seasalt$8$1$Qj3+9PPyRjSJIebHnG81TMjsqtaIGxNQG/aEB/NYafTJ7tibgfYz71m0ldQESkXFRkdVCBhhY8mx7rQwite/Pw==',
];

/** RFC 7914 §11 (scrypt) and §12 (PBKDF2-HMAC-SHA256, c = 1, first 32 bytes), in Django's layouts. */
const rfcScrypt = Buffer.from(
  'fdbabe1c9d3472007856e7190d01e9fe7c6ad7cbc8237830e77376634b3731622eaf30d92e22a3886ff109279d9830dac727afb94a83ee6d8360cbdfa2cc0640',
  'hex',
).toString('base64');
const rfcPbkdf2 = Buffer.from(
  '55ac046e56e3089fec1691c22544b605f94185216dde0465e68b9d57c20dacbc',
  'hex',
).toString('base64');

describe('scrypt password hasher', () => {
  it('round-trips, refuses a wrong password, and salts every hash differently', async () => {
    const first = await hasher.hash('lètmein');
    const second = await hasher.hash('lètmein');
    expect(first).not.toBe(second);
    expect(await hasher.verify('lètmein', first)).toBe(true);
    expect(await hasher.verify('lètmein', second)).toBe(true);
    expect(await hasher.verify('lètmeinz', first)).toBe(false);
    expect(await hasher.verify('', first)).toBe(false);
    const blank = await hasher.hash('');
    expect(await hasher.verify('', blank)).toBe(true);
    expect(await hasher.verify(' ', blank)).toBe(false);
  });

  it("writes Django's scrypt layout with a 22-character salt, recomputable by plain scrypt", async () => {
    const encoded = await hasher.hash('pässword');
    const [algorithm, cost, salt, blockSize, parallelization, hash] = encoded.split('$');
    expect([algorithm, cost, blockSize, parallelization]).toEqual(['scrypt', '16', '1', '1']);
    expect(salt).toMatch(/^[A-Za-z0-9_-]{22}$/);
    const expected = scryptSync('pässword', salt ?? '', 64, { N: 16, r: 1, p: 1 }).toString('base64');
    expect(hash).toBe(expected);
  });

  it('uses production parameters by default (N = 2^15, r = 8, p = 1, 64-byte key)', async () => {
    const encoded = await createScryptPasswordHasher().hash('pw');
    expect(encoded).toMatch(/^scrypt\$32768\$[A-Za-z0-9_-]{22}\$8\$1\$[A-Za-z0-9+/]{86}==$/);
  });

  it("verifies Django's published test vectors and rejects a near miss", async () => {
    for (const encoded of djangoVectors) {
      expect(await hasher.verify('lètmein', encoded), encoded).toBe(true);
      expect(await hasher.verify('lètmeinz', encoded), encoded).toBe(false);
    }
  });

  it('verifies the RFC 7914 scrypt and PBKDF2-SHA256 vectors written in Django layouts', async () => {
    expect(await hasher.verify('password', `scrypt$1024$NaCl$8$16$${rfcScrypt}`)).toBe(true);
    expect(await hasher.verify('passwd', `pbkdf2_sha256$1$salt$${rfcPbkdf2}`)).toBe(true);
    expect(await hasher.verify('passwd', `pbkdf2_sha256$2$salt$${rfcPbkdf2}`)).toBe(false);
  });

  it('verifies a Django PBKDF2 hash computed independently here with node:crypto', async () => {
    const salt = randomBytes(12).toString('base64url');
    const sha256 = pbkdf2Sync('correct horse', salt, 1200, 32, 'sha256').toString('base64');
    const sha1 = pbkdf2Sync('correct horse', salt, 1200, 20, 'sha1').toString('base64');
    expect(await hasher.verify('correct horse', `pbkdf2_sha256$1200$${salt}$${sha256}`)).toBe(true);
    expect(await hasher.verify('correct horse', `pbkdf2_sha1$1200$${salt}$${sha1}`)).toBe(true);
    expect(await hasher.verify('correct horsf', `pbkdf2_sha256$1200$${salt}$${sha256}`)).toBe(false);
    // The digest is part of the algorithm name: a SHA-1 hash under the SHA-256 name never matches.
    expect(await hasher.verify('correct horse', `pbkdf2_sha256$1200$${salt}$${sha1}`)).toBe(false);
  });

  it('answers false, never throws, for unusable, unknown and malformed stored hashes', async () => {
    const valid = await hasher.hash('pw');
    const [, , salt = '', , , hash = ''] = valid.split('$');
    expect(await hasher.verify('pw', valid)).toBe(true);
    const malformed = [
      '',
      '!unusable-password-marker',
      'pw',
      `md5$seasalt$3f86d0d3d465b7b458c231bf3555c0e3`,
      `bcrypt$$2b$12$${hash}`,
      `scrypt$16$${salt}$1$1`,
      `scrypt$16$${salt}$1$1$${hash}$extra`,
      `Scrypt$16$${salt}$1$1$${hash}`,
      `scrypt$15$${salt}$1$1$${hash}`,
      `scrypt$016$${salt}$1$1$${hash}`,
      `scrypt$-16$${salt}$1$1$${hash}`,
      `scrypt$1e2$${salt}$1$1$${hash}`,
      `scrypt$16$$1$1$${hash}`,
      `scrypt$16$${salt}$0$1$${hash}`,
      `scrypt$16$${salt}$1$0$${hash}`,
      `scrypt$16$${salt}$1$1$${hash.slice(0, -2)}`,
      `scrypt$16$${salt}$1$1$${hash.replace(/[+/]/g, '*')}*`,
      `scrypt$16$${salt}$1$1$AAAA`,
      `pbkdf2_sha256$abc$${salt}$${rfcPbkdf2}`,
      `pbkdf2_sha256$0$salt$${rfcPbkdf2}`,
      `pbkdf2_sha256$1$$${rfcPbkdf2}`,
      `pbkdf2_sha256$1$salt$${rfcPbkdf2.slice(0, -4)}`,
      `pbkdf2_sha512$1$salt$${rfcPbkdf2}`,
    ];
    for (const encoded of malformed) {
      await expect(hasher.verify('pw', encoded), encoded).resolves.toBe(false);
    }
    await expect(hasher.verify('pw', null as unknown as string)).resolves.toBe(false);
    await expect(hasher.verify('pw', { $ne: '' } as unknown as string)).resolves.toBe(false);
  });

  it('caps the work a stored hash can ask for, and the caps are configurable', async () => {
    const salt = 'c2FsdA';
    const key = Buffer.alloc(64, 1).toString('base64');
    const hostile = [
      `scrypt$${2 ** 30}$${salt}$8$1$${key}`, // 128 GiB
      `scrypt$${2 ** 21}$${salt}$8$1$${key}`, // 2 GiB, over the 256 MiB default
      `scrypt$1024$${salt}$8$1000$${key}`,
      `scrypt$1024$${salt}$1000$1$${key}`,
      `pbkdf2_sha256$1000000000$${salt}$${rfcPbkdf2}`,
      `pbkdf2_sha256$99999999999999999999$${salt}$${rfcPbkdf2}`,
    ];
    vi.mocked(pbkdf2).mockClear();
    vi.mocked(scrypt).mockClear();
    for (const encoded of hostile) await expect(hasher.verify('pw', encoded), encoded).resolves.toBe(false);
    // Refused without running a KDF at the stored cost: only the hasher's own dummy hash ran.
    expect(vi.mocked(pbkdf2)).not.toHaveBeenCalled();
    const scryptCosts = vi.mocked(scrypt).mock.calls.map((call) => (call[3] as { N: number }).N);
    expect(scryptCosts).toEqual(hostile.map(() => insecureTestScryptOptions.cost));

    const strict = createScryptPasswordHasher({ ...insecureTestScryptOptions, maxPbkdf2Iterations: 1 });
    expect(await strict.verify('passwd', `pbkdf2_sha256$1$salt$${rfcPbkdf2}`)).toBe(true);
    const independent = pbkdf2Sync('passwd', 'salt', 2, 32, 'sha256').toString('base64');
    expect(await hasher.verify('passwd', `pbkdf2_sha256$2$salt$${independent}`)).toBe(true);
    expect(await strict.verify('passwd', `pbkdf2_sha256$2$salt$${independent}`)).toBe(false);
    // 128·8·(1024 + 16 + 2) bytes is just over 1 MiB.
    const small = createScryptPasswordHasher({ ...insecureTestScryptOptions, maxMemory: 2 ** 20 });
    expect(await small.verify('password', `scrypt$1024$NaCl$8$16$${rfcScrypt}`)).toBe(false);
    const lowParallelism = createScryptPasswordHasher({
      ...insecureTestScryptOptions,
      maxParallelization: 8,
    });
    expect(await lowParallelism.verify('password', `scrypt$1024$NaCl$8$16$${rfcScrypt}`)).toBe(false);
  });

  it('runs every computation off the event loop (timers keep firing while it hashes)', async () => {
    const slow = createScryptPasswordHasher({ cost: 2 ** 14 });
    const encoded = await slow.hash('pw');
    const operations = [
      () => slow.hash('pw'),
      () => slow.verify('pw', encoded),
      () => slow.verifyDummy('pw'),
    ];
    for (const operation of operations) {
      let ticks = 0;
      const timer = setInterval(() => ticks++, 0);
      await operation();
      clearInterval(timer);
      expect(ticks).toBeGreaterThan(0);
    }
  });

  it('tells which stored hashes should be replaced after a successful login', async () => {
    expect(hasher.needsRehash(await hasher.hash('pw'))).toBe(false);
    expect(hasher.needsRehash(djangoVectors[0] ?? '')).toBe(true);
    const stronger = createScryptPasswordHasher({ ...insecureTestScryptOptions, cost: 32 });
    expect(stronger.needsRehash(await hasher.hash('pw'))).toBe(true);
    const longerKey = createScryptPasswordHasher({ ...insecureTestScryptOptions, keyLength: 32 });
    expect(longerKey.needsRehash(await hasher.hash('pw'))).toBe(true);
    expect(hasher.needsRehash('!unusable')).toBe(true);
  });

  it('refuses parameters scrypt cannot use, naming the option', () => {
    const cases = [
      [{ cost: 1000 }, 'passwordHasher.cost'],
      [{ cost: 1 }, 'passwordHasher.cost'],
      [{ cost: 2 ** 21 }, 'passwordHasher.cost'], // 2 GiB: over maxMemory
      [{ blockSize: 0 }, 'passwordHasher.blockSize'],
      [{ parallelization: 1.5 }, 'passwordHasher.parallelization'],
      [{ keyLength: 8 }, 'passwordHasher.keyLength'],
      [{ maxPbkdf2Iterations: -1 }, 'passwordHasher.maxPbkdf2Iterations'],
    ] as const;
    for (const [options, setting] of cases) {
      expect(() => createScryptPasswordHasher(options)).toThrow(ImproperlyConfiguredError);
      expect(() => createScryptPasswordHasher(options)).toThrow(expect.objectContaining({ setting }));
    }
    expect(() => createScryptPasswordHasher({ cost: undefined })).not.toThrow();
  });

  it('refuses a password that is not a string instead of hashing its string form', async () => {
    await expect(hasher.hash(42 as unknown as string)).rejects.toThrow(TypeError);
    await expect(hasher.verify({} as unknown as string, await hasher.hash('pw'))).rejects.toThrow(TypeError);
  });
});
