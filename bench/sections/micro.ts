import { createSecretKey, generateKeyPairSync, type KeyObject, randomBytes } from 'node:crypto';
import jwt from 'jsonwebtoken';
import { createTokenBackend } from '../../src/backend/create-token-backend.js';
import { resolveSettings } from '../../src/settings.js';
import type { BenchOptions } from '../lib/options.js';
import { fixed, integer, markdownTable, type SectionResult, type TargetCheck } from '../lib/report.js';
import { median, round } from '../lib/stats.js';
import { asyncOpsPerSecond, opsPerSecond } from '../lib/timing.js';
import { cryptoFloor, type MicroAlgorithm } from './micro-floor.js';
import { tokenPathsFor } from './micro-token-paths.js';

interface KeyPair {
  readonly signingKey: KeyObject;
  readonly verifyingKey: KeyObject;
}

function keysFor(algorithm: MicroAlgorithm): KeyPair {
  switch (algorithm) {
    case 'HS256': {
      const secret = createSecretKey(randomBytes(64));
      return { signingKey: secret, verifyingKey: secret };
    }
    case 'RS256': {
      const { privateKey, publicKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
      return { signingKey: privateKey, verifyingKey: publicKey };
    }
    case 'ES256': {
      const { privateKey, publicKey } = generateKeyPairSync('ec', { namedCurve: 'P-256' });
      return { signingKey: privateKey, verifyingKey: publicKey };
    }
    case 'EdDSA': {
      const { privateKey, publicKey } = generateKeyPairSync('ed25519');
      return { signingKey: privateKey, verifyingKey: publicKey };
    }
  }
}

/** One row: ours against the floor, measured paired and interleaved. */
export interface MicroRow {
  readonly algorithm: string;
  readonly operation: string;
  readonly oursOpsPerSecond: number;
  readonly floorOpsPerSecond: number;
  /** Median of the per-repetition ratios ours/floor. */
  readonly ratio: number;
  readonly ratios: readonly number[];
}

type Operation =
  | { readonly kind: 'sync'; run(): unknown }
  | { readonly kind: 'async'; run(): Promise<unknown> };

async function measure(operation: Operation, durationMs: number): Promise<number> {
  return operation.kind === 'sync'
    ? opsPerSecond(operation.run, durationMs)
    : asyncOpsPerSecond(operation.run, durationMs);
}

/** floor, ours, floor, ours, ...: a ratio per repetition, against the floor run right before it. */
async function paired(
  algorithm: string,
  operation: string,
  floor: Operation,
  ours: Operation,
  options: BenchOptions,
): Promise<MicroRow> {
  const durationMs = options.quick ? 60 : 250;
  // Warm-up: both paths optimised before the first measured round.
  await measure(floor, durationMs);
  await measure(ours, durationMs);
  const floors: number[] = [];
  const oursRuns: number[] = [];
  for (let repetition = 0; repetition < options.repetitions; repetition += 1) {
    floors.push(await measure(floor, durationMs));
    oursRuns.push(await measure(ours, durationMs));
  }
  const ratios = oursRuns.map((value, index) => value / floors[index]!);
  return {
    algorithm,
    operation,
    oursOpsPerSecond: round(median(oursRuns), 0),
    floorOpsPerSecond: round(median(floors), 0),
    ratio: round(median(ratios), 3),
    ratios: ratios.map((ratio) => round(ratio, 3)),
  };
}

const algorithms: readonly MicroAlgorithm[] = ['HS256', 'RS256', 'ES256', 'EdDSA'];

/** Token micro-benchmarks: sign and verify through our backend beside the raw node:crypto floor. */
export async function runMicro(options: BenchOptions): Promise<SectionResult> {
  const rows: MicroRow[] = [];
  const nowSeconds = () => Date.now() / 1000;
  for (const algorithm of algorithms) {
    const keys = keysFor(algorithm);
    const settings = resolveSettings({ algorithm, signingKey: keys.signingKey });
    const backend = createTokenBackend(settings, () => new Date());
    const floor = cryptoFloor(algorithm, keys.signingKey, keys.verifyingKey);
    const payload = accessPayload();
    const token = backend.encode(payload);
    rows.push(
      await paired(
        algorithm,
        'sign (backend.encode)',
        { kind: 'sync', run: () => floor.sign(payload) },
        { kind: 'sync', run: () => backend.encode(payload) },
        options,
      ),
    );
    const decodeSync = backend.decodeSync!;
    rows.push(
      await paired(
        algorithm,
        'verify (backend.decodeSync)',
        { kind: 'sync', run: () => floor.verify(token, nowSeconds()) },
        { kind: 'sync', run: () => decodeSync(token) },
        options,
      ),
    );
    if (algorithm === 'HS256') {
      // What the backend used before verifying HMAC with node:crypto: jsonwebtoken alone, no parse of ours.
      const verifyOptions: jwt.VerifyOptions = { algorithms: ['HS256'] };
      rows.push(
        await paired(
          algorithm,
          'verify, jsonwebtoken alone (jwt.verify, prepared KeyObject; not the package)',
          { kind: 'sync', run: () => floor.verify(token, nowSeconds()) },
          { kind: 'sync', run: () => jwt.verify(token, keys.verifyingKey, verifyOptions) },
          options,
        ),
      );
      for (const path of tokenPathsFor(settings.signingKey, token)) {
        rows.push(
          await paired(
            algorithm,
            path.name,
            { kind: 'sync', run: () => floor.verify(token, nowSeconds()) },
            path,
            options,
          ),
        );
      }
    }
  }
  const hsVerify = rows.find(
    (row) => row.algorithm === 'HS256' && row.operation === 'verify (backend.decodeSync)',
  )!;
  const targets: TargetCheck[] = [
    {
      name: 'HS256 verify through our backend vs node:crypto floor',
      target: '>= 0.75',
      measured: fixed(hsVerify.ratio),
      pass: hsVerify.ratio >= 0.75,
    },
  ];
  const markdown = markdownTable(
    ['algorithm', 'operation', 'ours ops/s', 'floor ops/s', 'ours / floor (median of paired)'],
    rows.map((row) => [
      row.algorithm,
      row.operation,
      integer(row.oursOpsPerSecond),
      integer(row.floorOpsPerSecond),
      fixed(row.ratio),
    ]),
  );
  return { id: 'micro', title: 'Token micro-benchmarks (in-process)', markdown, data: rows, targets };
}

/** The claims of a typical access token. */
function accessPayload(): Record<string, unknown> {
  const now = Math.floor(Date.now() / 1000);
  return {
    token_type: 'access',
    exp: now + 3600,
    iat: now,
    jti: randomBytes(16).toString('hex'),
    user_id: '65f0c0ffee0123456789abcd',
  };
}
