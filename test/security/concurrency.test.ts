import { type ChildProcess, spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import mongoose from 'mongoose';
import {
  createScryptPasswordHasher,
  createUser,
  createUserModel,
  insecureTestScryptOptions,
} from 'pothos-plugin-simple-jwt';
import { afterAll, describe, expect, it } from 'vitest';
import { createExampleApp } from '../../examples/yoga/app.js';
import { freshDatabaseUri } from '../support/database.js';
import { segmentJson } from '../support/forge-jwt.js';
import {
  expectNoLeak,
  expectRefused,
  type HttpResult,
  listenOnLoopback,
  operations,
  password,
  postGraphql,
  signingKey,
} from './fixtures/hostile-app.js';
import { invalidToken } from './fixtures/token-battery.js';

// Exactly-once refresh-token rotation (how Auth0 and Ory Hydra test rotation): of N
// concurrent refreshes of one token exactly one succeeds, across two server processes sharing one
// database as within one process; concurrent logouts of one token leave one blacklist record.
const uri = freshDatabaseUri('sec_race');
const connection = await mongoose.createConnection(uri).asPromise();
const hasher = createScryptPasswordHasher(insecureTestScryptOptions);
const User = createUserModel(connection);
await User.init();
await createUser(User, { username: 'demo', password }, hasher);
const children: ChildProcess[] = [];
function stopChild(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  return new Promise((resolve) => {
    child.once('exit', () => resolve());
    child.kill('SIGTERM');
  });
}
afterAll(async () => {
  await Promise.all(children.map(stopChild));
  await connection.dropDatabase().catch(() => undefined);
  await connection.close();
});

const env = {
  ...process.env,
  MONGODB_URI: uri,
  SIMPLE_JWT_SIGNING_KEY: signingKey,
  SIMPLE_JWT_ROTATE_REFRESH_TOKENS: 'true',
  SIMPLE_JWT_BLACKLIST_AFTER_ROTATION: 'true',
  // Exactly-once rotation alone: with reuse detection the losers would revoke the winner's family
  // (tested in test/sessions/reuse-detection.test.ts).
  SIMPLE_JWT_REUSE_DETECTION: 'false',
};

/** Starts test/security/fixtures/example-server.ts as a child process and returns its GraphQL URL. */
function startReplica(): Promise<string> {
  const script = fileURLToPath(new URL('./fixtures/example-server.ts', import.meta.url));
  const child = spawn(process.execPath, ['--import', 'tsx', script], {
    cwd: fileURLToPath(new URL('../..', import.meta.url)),
    env,
    stdio: ['pipe', 'pipe', 'pipe'],
  });
  children.push(child);
  let output = '';
  return new Promise((resolve, reject) => {
    child.stderr?.on('data', (chunk: Buffer) => {
      output += chunk.toString();
    });
    child.stdout?.on('data', (chunk: Buffer) => {
      output += chunk.toString();
      const line = /\{"port":(\d+)\}/.exec(output);
      if (line) resolve(`http://127.0.0.1:${line[1]}/graphql`);
    });
    child.once('exit', (code) => reject(new Error(`replica exited (${code}): ${output}`)));
  });
}

const [replicaA, replicaB] = await Promise.all([startReplica(), startReplica()]);
// The same app in this process, on the same database, for the single-process runs.
const local = createExampleApp({
  connection,
  settings: { signingKey, rotateRefreshTokens: true, blacklistAfterRotation: true, reuseDetection: false },
  passwordHasher: hasher,
});
const localUrl = await listenOnLoopback(local.yoga);

async function login(url: string): Promise<string> {
  const result = await postGraphql(url, {
    query: operations.obtain,
    variables: { username: 'demo', password },
  });
  const refresh = (result.data?.['tokenObtainPair'] as { refresh?: string } | undefined)?.refresh;
  if (!refresh) throw new Error(`login failed: ${result.body}`);
  return refresh;
}

const count = (collection: string, filter: Record<string, unknown> = {}) =>
  connection.collection(collection).countDocuments(filter);

/** Fires all requests at once and returns the successes and the failures. */
async function race(requests: Promise<HttpResult>[], field: string) {
  const results = await Promise.all(requests);
  for (const result of results) expectNoLeak(result);
  const successes = results.filter((result) => result.data?.[field]);
  const failures = results.filter((result) => !result.data?.[field]);
  return { successes, failures };
}

const sizes = [2, 5, 10, 20, 50];
const deployments = [
  ['two server processes sharing one database', () => [replicaA, replicaB]],
  ['one process', () => [localUrl]],
] as const;

describe.each(deployments)('refresh-token rotation across %s', (_name, urls) => {
  it.each(sizes)('%i concurrent refreshes of one token: exactly one succeeds', async (size) => {
    const servers = urls();
    const refresh = await login(servers[0] as string);
    const jti = segmentJson(refresh, 1) as { jti: string };
    const outstandingBefore = await count('outstanding_tokens');
    const { successes, failures } = await race(
      Array.from({ length: size }, (_, index) =>
        postGraphql(servers[index % servers.length] as string, {
          query: operations.refresh,
          variables: { refresh },
        }),
      ),
      'tokenRefresh',
    );
    expect(successes).toHaveLength(1);
    expect(failures).toHaveLength(size - 1);
    for (const failure of failures) expectRefused(failure, invalidToken('Token is blacklisted'));
    // One blacklist record for the old token, one outstanding record for the one new refresh token.
    expect(await count('blacklisted_tokens', { _id: jti.jti })).toBe(1);
    expect(await count('outstanding_tokens')).toBe(outstandingBefore + 1);
    // The winner's new refresh token works, exactly once too.
    const rotated = (successes[0]?.data?.['tokenRefresh'] as { refresh: string } | undefined)?.refresh ?? '';
    const again = await race(
      [replicaA, replicaB, localUrl].map((url) =>
        postGraphql(url, { query: operations.refresh, variables: { refresh: rotated } }),
      ),
      'tokenRefresh',
    );
    expect([again.successes.length, again.failures.length]).toEqual([1, 2]);
  });
});

describe.each(deployments)('concurrent logout across %s', (_name, urls) => {
  it.each([5, 20])(
    '%i concurrent tokenBlacklist calls: one record, every answer success or blacklisted',
    async (size) => {
      const servers = urls();
      const refresh = await login(servers[0] as string);
      const jti = (segmentJson(refresh, 1) as { jti: string }).jti;
      const { successes, failures } = await race(
        Array.from({ length: size }, (_, index) =>
          postGraphql(servers[index % servers.length] as string, {
            query: operations.blacklist,
            variables: { refresh },
          }),
        ),
        'tokenBlacklist',
      );
      expect(successes.length).toBeGreaterThanOrEqual(1);
      for (const success of successes)
        expect(success.data).toEqual({ tokenBlacklist: { blacklisted: true } });
      for (const failure of failures) expectRefused(failure, invalidToken('Token is blacklisted'));
      expect(await count('blacklisted_tokens', { _id: jti })).toBe(1);
      expect(await count('outstanding_tokens', { _id: jti })).toBe(1);
      const after = await postGraphql(servers[0] as string, {
        query: operations.refresh,
        variables: { refresh },
      });
      expectRefused(after, invalidToken('Token is blacklisted'));
    },
  );
});
