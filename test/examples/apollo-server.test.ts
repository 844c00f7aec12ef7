import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import mongoose from 'mongoose';
import { afterAll, expect, it } from 'vitest';
import { MeDocument, TokenObtainPairDocument } from '../../examples/generated/graphql.js';
import { freshDatabaseUri } from '../support/database.js';
import { expectUnreachableFromNetwork } from '../support/external-address.js';
import { graphqlClient } from '../support/graphql-client.js';
import { signalTsxScript } from '../support/tsx-script.js';

// examples/apollo/server.ts, run as a user runs it: without HOST (so on its default address) and on a
// port the kernel picks.
const root = fileURLToPath(new URL('../../', import.meta.url));
const tsx = fileURLToPath(new URL('../../node_modules/.bin/tsx', import.meta.url));
const databaseUri = freshDatabaseUri('apollo_server');
const { HOST: _inherited, ...inherited } = process.env;
const child = spawn(tsx, ['examples/apollo/server.ts'], {
  cwd: root,
  env: { ...inherited, PORT: '0', MONGODB_URI: databaseUri },
  stdio: ['ignore', 'pipe', 'pipe'],
});
let output = '';
child.stdout.on('data', (chunk: Buffer) => {
  output += chunk.toString();
});
child.stderr.on('data', (chunk: Buffer) => {
  output += chunk.toString();
});
const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));

afterAll(async () => {
  // Only after a failure is the server still running: SIGTERM first, which tsx relays to the server.
  if (child.exitCode === null && child.signalCode === null) {
    child.kill('SIGTERM');
    const timer = setTimeout(() => child.kill('SIGKILL'), 5_000);
    await exited;
    clearTimeout(timer);
  }
  const database = await mongoose.createConnection(databaseUri).asPromise();
  await database.dropDatabase().catch(() => undefined);
  await database.close();
});

async function readyUrl(): Promise<string> {
  const deadline = Date.now() + 45_000;
  for (;;) {
    const match = /Apollo Server ready at (http:\/\/\S+)/.exec(output);
    if (match?.[1]) return match[1];
    if (child.exitCode !== null || Date.now() > deadline)
      throw new Error(`the server is not ready:\n${output}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

it('starts on 127.0.0.1 only, creates the demo user, serves the token flow and stops on SIGTERM', {
  timeout: 60_000,
}, async () => {
  const url = await readyUrl();
  // Without HOST the server, which seeds a well-known password, is out of reach of the network.
  expect(new URL(url).hostname).toBe('127.0.0.1');
  await expectUnreachableFromNetwork(Number(new URL(url).port));
  const execute = graphqlClient(fetch, url);
  expect(output).toContain('Created the user demo / demo-password.');
  const pair = await execute(TokenObtainPairDocument, { username: 'demo', password: 'demo-password' });
  const me = await execute(MeDocument, {}, { token: pair.data?.tokenObtainPair?.access ?? '' });
  expect(me.data?.me?.username).toBe('demo');

  signalTsxScript(child.pid as number, 'SIGTERM');
  expect(await exited).toBe(0);
});
