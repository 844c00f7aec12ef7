import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import jsonwebtoken from 'jsonwebtoken';
import mongoose from 'mongoose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { freshDatabaseUri } from '../support/database.js';
import { installConsumerApp, type PackedTarball, packRepository } from './consumer-app.js';
import { commonJsConsumer, consumerTsconfig, readmeServerDriver } from './consumer-scripts.js';
import { codeBlocks, markdownSection, readmeCodeBlock } from './readme-code.js';
import { type CommandResult, runChecked, runCommand } from './run-command.js';

// The package as `npm publish` would ship it: packed once (a clean build first), installed in a new
// application beside its peers, then used the ways a user would.
const root = fileURLToPath(new URL('../../', import.meta.url));
const readme = join(root, 'README.md');
const usingItHeading = '## Using it in your server';
const manifest = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as {
  name: string;
  main: string;
  types: string;
  exports: Record<string, string | Record<string, string>>;
  bin: Record<string, string>;
};
const leftover = 'dist/leftover-from-an-earlier-build.js';
const databaseUri = freshDatabaseUri('packed');
const signingKey = randomBytes(48).toString('base64url');
// A hung child fails its test instead of stalling the run; far above what any of them needs.
const childTimeoutMs = 120_000;

let app = '';
let tarball: PackedTarball;
let installed = '';

/** The packages the README's install command names besides ours: the peers a user installs. */
function readmePeers(): string[] {
  const install = codeBlocks(markdownSection(readFileSync(readme, 'utf8'), usingItHeading), 'sh')
    .flatMap((block) => block.split('\n'))
    .find((line) => line.startsWith('npm install '));
  if (!install) throw new Error(`no npm install command under ${usingItHeading}`);
  const names = install.slice('npm install '.length).trim().split(/\s+/);
  expect(names).toContain(manifest.name);
  return names.filter((name) => name !== manifest.name);
}

/** The one JSON line a consumer script prints last, after checking it exited cleanly. */
function reportOf(result: CommandResult): Record<string, unknown> {
  expect(result.code, `${result.stdout}\n${result.stderr}`).toBe(0);
  const line = result.stdout.trim().split('\n').at(-1) ?? '';
  return JSON.parse(line) as Record<string, unknown>;
}

/** The README's server block as printed, followed by the code that drives it, as the app's `server.ts`. */
function writeReadmeServer(): void {
  writeFileSync(
    join(app, 'server.ts'),
    `${readmeCodeBlock(readme, usingItHeading, 'ts')}${readmeServerDriver}`,
  );
}

let commonJsRun: Promise<CommandResult> | undefined;
/** The CommonJS consumer's run, shared by the tests that read its report. */
function runCommonJsConsumer(): Promise<CommandResult> {
  commonJsRun ??= (async () => {
    writeFileSync(join(app, 'consumer.cjs'), commonJsConsumer);
    return runCommand(process.execPath, ['consumer.cjs'], {
      cwd: app,
      env: { MONGODB_URI: databaseUri, SIMPLE_JWT_SIGNING_KEY: signingKey },
      timeoutMs: childTimeoutMs,
    });
  })();
  return commonJsRun;
}

function filesUnder(directory: string): string[] {
  return readdirSync(directory, { recursive: true, encoding: 'utf8' }).filter((path) =>
    statSync(join(directory, path)).isFile(),
  );
}

beforeAll(async () => {
  app = await mkdtemp(join(tmpdir(), 'packed-package-'));
  // A checkout without a build, but for a leftover file: packing must build, and from a clean dist/.
  await rm(join(root, 'dist'), { recursive: true, force: true });
  mkdirSync(join(root, 'dist'));
  writeFileSync(join(root, leftover), '');
  tarball = await packRepository(root, app);
  await installConsumerApp({ root, directory: app, tarball, peers: [...readmePeers(), '@types/node'] });
  installed = join(app, 'node_modules', manifest.name);
}, 600_000);

afterAll(async () => {
  if (app) await rm(app, { recursive: true, force: true });
  const connection = await mongoose.createConnection(databaseUri).asPromise();
  await connection.dropDatabase().catch(() => undefined);
  await connection.close();
});

describe('the packed package', { timeout: 300_000 }, () => {
  it('ships the compiled entry points, their declarations, LICENSE and README, and nothing of the repository', () => {
    const paths = tarball.files.map((file) => file.path);
    const entryPoints = [
      manifest.main,
      manifest.types,
      ...Object.values(manifest.exports).flatMap((target) =>
        typeof target === 'string' ? [target] : Object.values(target),
      ),
      ...Object.values(manifest.bin),
    ].map((path) => path.replace(/^\.\//, ''));
    expect(entryPoints).toContain('dist/index.js');
    expect(entryPoints).toContain('dist/dev-database/index.d.ts');
    expect(paths).toEqual(expect.arrayContaining(['LICENSE', 'README.md', 'package.json', ...entryPoints]));
    expect(paths).not.toContain(leftover);
    expect(paths.filter((path) => /^(src|test|bench|examples|scripts|\.ci)\//.test(path))).toEqual([]);
    expect(paths.filter((path) => path.endsWith('.ts') && !path.endsWith('.d.ts'))).toEqual([]);
    // What was installed is what was packed.
    expect(filesUnder(installed).sort()).toEqual([...paths].sort());

    expect(readFileSync(join(installed, 'LICENSE'), 'utf8')).toMatch(
      /^MIT License\n\nCopyright \(c\) \d{4} pothos-plugin-simple-jwt contributors\n/,
    );
  });

  it('has no source map pointing at a file that is not shipped', () => {
    for (const path of filesUnder(installed).filter((file) => /\.(js|d\.ts)$/.test(file))) {
      const mapUrl = /\/\/# sourceMappingURL=(\S+)\s*$/.exec(
        readFileSync(join(installed, path), 'utf8'),
      )?.[1];
      if (mapUrl === undefined) continue;
      const mapPath = resolve(installed, dirname(path), mapUrl);
      expect(existsSync(mapPath), `${path} -> ${mapUrl}`).toBe(true);
      const map = JSON.parse(readFileSync(mapPath, 'utf8')) as { sources: string[]; sourceRoot?: string };
      for (const source of map.sources) {
        const sourcePath = resolve(dirname(mapPath), map.sourceRoot ?? '', source);
        expect(existsSync(sourcePath), `${mapUrl} -> ${source}`).toBe(true);
      }
    }
  });

  it("runs the README's server as printed: a user logs in and reads `me` with the token", async () => {
    writeReadmeServer();
    const result = await runCommand(join(root, 'node_modules/.bin/tsx'), ['server.ts'], {
      cwd: app,
      env: { MONGODB_URI: databaseUri, SIMPLE_JWT_SIGNING_KEY: signingKey, PORT: '0' },
      timeoutMs: childTimeoutMs,
    });
    const { login, me, anonymous, refreshed } = reportOf(result) as Record<
      string,
      {
        status: number;
        body: { data?: Record<string, unknown>; errors?: { extensions?: { code?: string } }[] };
      }
    >;
    const pair = login?.body.data?.['tokenObtainPair'] as { access: string; refresh: string };
    // Signed with SIMPLE_JWT_SIGNING_KEY, which the README reads through settingsFromEnv.
    expect(jsonwebtoken.verify(pair.access, signingKey, { algorithms: ['HS256'] })).toMatchObject({
      token_type: 'access',
    });
    expect(me?.body).toEqual({ data: { me: 'reader' } });
    expect(anonymous?.body.errors?.[0]?.extensions?.code).toBe('UNAUTHENTICATED');
    // The README turns rotation on: a refresh returns a new refresh token.
    const rotated = refreshed?.body.data?.['tokenRefresh'] as { access: string; refresh: string | null };
    expect(rotated.refresh).toEqual(expect.any(String));
    expect(rotated.refresh).not.toBe(pair.refresh);
  });

  it("type-checks the README's server against the shipped declarations", async () => {
    writeReadmeServer();
    writeFileSync(join(app, 'tsconfig.json'), JSON.stringify(consumerTsconfig, null, 2));
    await runChecked(
      process.execPath,
      [join(root, 'node_modules/typescript/bin/tsc'), '-p', 'tsconfig.json'],
      {
        cwd: app,
      },
    );
  });

  it('works from CommonJS: require() of both entry points, tokens issued and verified', async () => {
    const report = reportOf(await runCommonJsConsumer());
    expect(report).toMatchObject({
      pluginName: 'simpleJwt',
      verified: { valid: true },
      userId: 'user-1',
      tokenType: 'access',
      databaseKind: 'MONGODB_URI',
    });
    expect(
      jsonwebtoken.verify(report['access'] as string, signingKey, { algorithms: ['HS256'] }),
    ).toMatchObject({
      user_id: 'user-1',
    });
  });

  it('names the missing optional peer jwks-rsa, and how to install it, when jwkUrl is set', async () => {
    expect(existsSync(join(app, 'node_modules/jwks-rsa'))).toBe(false);
    const report = reportOf(await runCommonJsConsumer());
    expect(report['jwkUrlError']).toMatchObject({
      name: 'ImproperlyConfiguredError',
      setting: 'jwkUrl',
      message: expect.stringContaining('npm install jwks-rsa'),
    });
  });

  it('installs the flush-expired-tokens command, which runs against MONGODB_URI', async () => {
    const result = await runCommand(join(app, 'node_modules/.bin/flush-expired-tokens'), [], {
      cwd: app,
      env: { MONGODB_URI: databaseUri },
      timeoutMs: childTimeoutMs,
    });
    expect(result.code, result.stderr).toBe(0);
    expect(result.stdout).toMatch(/^Flushed \d+ outstanding and \d+ blacklisted expired tokens\.\n$/);
  });

  it('installs the simple-jwt-users command, which lists the users of MONGODB_URI', async () => {
    const result = await runCommand(join(app, 'node_modules/.bin/simple-jwt-users'), ['list', '--json'], {
      cwd: app,
      env: { MONGODB_URI: databaseUri },
      timeoutMs: childTimeoutMs,
    });
    expect(result.code, result.stderr).toBe(0);
    expect(Array.isArray(JSON.parse(result.stdout))).toBe(true);
  });

  it('installs the simple-jwt-keys command, which prints a new private key and its kid', async () => {
    const result = await runCommand(
      join(app, 'node_modules/.bin/simple-jwt-keys'),
      ['generate', '--alg', 'ES256'],
      {
        cwd: app,
        env: {},
        timeoutMs: childTimeoutMs,
      },
    );
    expect(result.code, result.stderr).toBe(0);
    expect(result.stdout).toMatch(/^-----BEGIN PRIVATE KEY-----\n[\s\S]+-----END PRIVATE KEY-----\n$/);
    expect(result.stderr).toMatch(/^kid: [A-Za-z0-9_-]{43}\n$/);
  });
});
