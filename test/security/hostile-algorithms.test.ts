import { generateKeyPairSync } from 'node:crypto';
import { TokenBackendError } from 'pothos-plugin-simple-jwt';
import { describe, expect, it } from 'vitest';
import { b64url, eddsaSigner, forgeJwt, hmacSigner, rs256Signer, type Signer } from '../support/forge-jwt.js';
import { testKeys } from '../support/jwt-keys.js';
import {
  hostileApp,
  hostileDatabase,
  listenOnLoopback,
  operations,
  respelled,
  signingKey,
  signWithOurKey,
} from './fixtures/hostile-app.js';
import {
  expectTokenRefused,
  refusedEverywhere,
  type Target,
  validClaimsFor,
} from './fixtures/token-battery.js';

// Algorithm attacks (RFC 8725 §2.1, §3.1; OWASP JWT cheat sheet) against the example server over
// HTTP and in-process: every one is "Token is invalid" on every endpoint, with no database command.
const database = await hostileDatabase('sec_alg');
const app = await hostileApp(database);
const rsa = testKeys('rsa2048');
const rsaApp = await hostileApp(database, { algorithm: 'RS256', signingKey: rsa.privatePem });
const ed = testKeys('ed25519');
const edApp = await hostileApp(database, { algorithm: 'EdDSA', signingKey: ed.privatePem });
const attacker = generateKeyPairSync('rsa', { modulusLength: 2048 });
const now = database.clock.seconds();

// A server the token's headers point at: it must never be asked for anything.
let keyServerRequests = 0;
const keyServer = (
  await listenOnLoopback((_request, response) => {
    keyServerRequests++;
    response.setHeader('content-type', 'application/json');
    response.end(JSON.stringify({ keys: [attacker.publicKey.export({ format: 'jwk' })] }));
  }, '')
).replace(/\/$/, '');

function claimsFor(target: Target): Record<string, unknown> {
  return validClaimsFor(target, now, database.ids.demo);
}

const header = (alg: unknown, extra: object = {}) => ({ alg, typ: 'JWT', ...extra });
const ours = hmacSigner(signingKey);
const attackerRs256 = rs256Signer(attacker.privateKey);
const attackerJwk = attacker.publicKey.export({ format: 'jwk' });
const jku = () => `${keyServer}/jwks.json`;

/** A forged token: its header and how it is signed (a signer, or the literal signature segment). */
type Row = [name: string, header: () => object, signer: Signer | string];

const noneRows = ['none', 'None', 'NONE', 'nOnE'].flatMap((alg): Row[] => [
  [`alg "${alg}", empty signature`, () => header(alg), ''],
  [`alg "${alg}", a non-empty signature`, () => header(alg), 'c2lnbmF0dXJl'],
  [`alg "${alg}", signed with our own key`, () => header(alg), ours],
]);

const hs256Rows: Row[] = [
  ...noneRows,
  ['HS384 with our secret (downgrade within HMAC)', () => header('HS384'), hmacSigner(signingKey, 'sha384')],
  ['HS512 with our secret', () => header('HS512'), hmacSigner(signingKey, 'sha512')],
  ['alg "hs256" (case)', () => header('hs256'), ours],
  ['no alg at all', () => ({ typ: 'JWT' }), ours],
  ['alg a list', () => header(['HS256']), ours],
  ['RS256 by the attacker', () => header('RS256'), attackerRs256],
  [
    'kid "../../../../dev/null", MAC with the empty key',
    () => header('HS256', { kid: '../../../../dev/null' }),
    hmacSigner(''),
  ],
  ['kid "/etc/passwd"', () => header('HS256', { kid: '/etc/passwd' }), hmacSigner('root:x:0:0')],
  ['kid at the key server', () => header('HS256', { kid: `${keyServer}/kid` }), hmacSigner('')],
  ['kid an injection string', () => header('HS256', { kid: "x' || '1'=='1" }), hmacSigner('x')],
  ['kid an operator object', () => header('HS256', { kid: { $ne: null } }), ours],
  ['jku at the key server (HS256)', () => header('HS256', { jku: jku() }), hmacSigner('attacker')],
  ['jku at the key server (RS256)', () => header('RS256', { jku: jku() }), attackerRs256],
  ['x5u at the key server', () => header('RS256', { x5u: `${keyServer}/cert.pem` }), attackerRs256],
  ['an embedded RSA jwk', () => header('RS256', { jwk: attackerJwk }), attackerRs256],
  [
    'an embedded oct jwk',
    () => header('HS256', { jwk: { kty: 'oct', k: b64url('attacker') } }),
    hmacSigner('attacker'),
  ],
  ['crit naming an extension', () => header('HS256', { crit: ['b64'], b64: false }), ours],
];

const rsaPublicDer = rsa.publicKey.export({ type: 'spki', format: 'der' });
const rs256Rows: Row[] = [
  ['HS256 MACed with the RS256 public key PEM', () => header('HS256'), hmacSigner(rsa.publicPem)],
  ['RS256 header, MACed with the public key PEM', () => header('RS256'), hmacSigner(rsa.publicPem)],
  ['HS256 MACed with the DER public key', () => header('HS256'), hmacSigner(rsaPublicDer)],
  ['alg "none"', () => header('none'), ''],
  ['RS256 by the attacker, with its jwk', () => header('RS256', { jwk: attackerJwk }), attackerRs256],
  ['RS256 by the attacker, jku at the key server', () => header('RS256', { jku: jku() }), attackerRs256],
  ['PS256 by the attacker', () => header('PS256'), attackerRs256],
];

describe('algorithm attacks on an HS256 server', () => {
  it.each(hs256Rows)('%s: refused everywhere, nothing read or written', async (_name, forged, signer) => {
    const forge = (target: Target) => forgeJwt(forged(), claimsFor(target), signer);
    await expectTokenRefused(database, app, forge, refusedEverywhere);
    // The backend refuses with its own error type, never a library's.
    const token = forge('header');
    await expect(app.jwt.backend.decode(token)).rejects.toBeInstanceOf(TokenBackendError);
    expect(() => app.jwt.backend.decodeSync?.(token)).toThrow(TokenBackendError);
  });

  it('takes the key from settings, never from kid: our key with any kid is accepted', async () => {
    const forged = signWithOurKey(claimsFor('header'), header('HS256', { kid: '../../../../dev/null' }));
    const me = await app.post({ query: operations.me }, `Bearer ${forged}`);
    expect(me.status).toBe(200);
    expect(me.data).toEqual({ me: { id: database.ids.demo, username: 'demo' } });
  });
});

describe('algorithm confusion on an RS256 server', () => {
  it('accepts its own RS256 tokens (control)', async () => {
    const token = forgeJwt(header('RS256'), claimsFor('header'), rs256Signer(rsa.privateKey));
    const me = await rsaApp.post({ query: operations.me }, `Bearer ${token}`);
    expect(me.data).toEqual({ me: { id: database.ids.demo, username: 'demo' } });
  });

  it('refuses its own token with the signature spelled differently (same bytes)', async () => {
    const forge = (target: Target) =>
      respelled(forgeJwt(header('RS256'), claimsFor(target), rs256Signer(rsa.privateKey)));
    await expectTokenRefused(database, rsaApp, forge, refusedEverywhere);
  });

  it.each(rs256Rows)('%s: refused everywhere, nothing read or written', async (_name, forged, signer) => {
    const forge = (target: Target) => forgeJwt(forged(), claimsFor(target), signer);
    await expectTokenRefused(database, rsaApp, forge, refusedEverywhere);
    await expect(rsaApp.jwt.backend.decode(forge('header'))).rejects.toBeInstanceOf(TokenBackendError);
  });
});

// EdDSA is verified by node:crypto, not jsonwebtoken: only our header check stands behind the `alg`.
describe('an EdDSA server (verified by node:crypto, not jsonwebtoken)', () => {
  const ourEdDSA = eddsaSigner(ed.privateKey);
  it('accepts its own EdDSA tokens (control)', async () => {
    const me = await edApp.post(
      { query: operations.me },
      `Bearer ${forgeJwt(header('EdDSA'), claimsFor('header'), ourEdDSA)}`,
    );
    expect(me.data).toEqual({ me: { id: database.ids.demo, username: 'demo' } });
  });

  it('refuses its own token with the signature spelled differently (same bytes)', async () => {
    const forge = (target: Target) => respelled(forgeJwt(header('EdDSA'), claimsFor(target), ourEdDSA));
    await expectTokenRefused(database, edApp, forge, refusedEverywhere);
  });

  it.each(['none', 'HS256', 'eddsa', 'Ed25519', 'ES256'])('alg "%s": refused everywhere', async (alg) => {
    const forge = (target: Target) => forgeJwt(header(alg), claimsFor(target), ourEdDSA);
    await expectTokenRefused(database, edApp, forge, refusedEverywhere);
  });
});

it('never fetched anything from the key server the headers pointed at', () => {
  expect(keyServerRequests).toBe(0);
});
