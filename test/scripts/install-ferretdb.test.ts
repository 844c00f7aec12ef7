import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { chmod, mkdir, mkdtemp, readFile, rm, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { delimiter, join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { findExecutable, goBinDirectories } from '../../src/dev-database/find-executable.js';

const script = join(process.cwd(), 'scripts', 'install-ferretdb.sh');
const go = findExecutable('go', ['/usr/local/go/bin']);
const ferretdb = findExecutable('ferretdb', goBinDirectories());
// The "already installed" check used to fail about one run in five (SIGPIPE under pipefail), so
// 100 runs all passing by chance would be a 0.8^100 event.
const runs = 100;
const parallel = 4;

interface ScriptResult {
  code: number | null;
  stdout: string;
  stderr: string;
}

let scratch: string;
/** Real `go env`; any other go command (a build) is recorded here and refused. */
let buildLog: string;
let shimDirectory: string;

beforeAll(async () => {
  scratch = await mkdtemp(join(tmpdir(), 'install-ferretdb-'));
  shimDirectory = join(scratch, 'shim');
  buildLog = join(scratch, 'go-commands.log');
  await mkdir(shimDirectory);
  const shim = join(shimDirectory, 'go');
  await writeFile(
    shim,
    `#!/usr/bin/env bash\nif [ "$1" = env ]; then exec '${go}' "$@"; fi\necho "go $*" >> '${buildLog}'\nexit 3\n`,
  );
  await chmod(shim, 0o755);
});

afterAll(async () => {
  if (scratch) await rm(scratch, { recursive: true, force: true });
});

/** Runs the script with the go shim first on PATH and Go's user config ignored. */
function runScript(env: Record<string, string>): Promise<ScriptResult> {
  return new Promise((resolve) => {
    execFile(
      'bash',
      [script],
      {
        cwd: scratch,
        env: {
          PATH: `${shimDirectory}${delimiter}${process.env['PATH'] ?? ''}`,
          HOME: process.env['HOME'] ?? scratch,
          GOENV: 'off',
          ...env,
        },
      },
      (error, stdout, stderr) => resolve({ code: error ? (error.code as number | null) : 0, stdout, stderr }),
    );
  });
}

/** A bin directory holding the real FerretDB binary (a symlink), so a rebuild could not touch it. */
async function binDirectoryWith(target: string, name: string): Promise<string> {
  const directory = join(scratch, name);
  await mkdir(directory, { recursive: true });
  await symlink(target, join(directory, 'ferretdb'));
  return directory;
}

const goCommandsRun = async () => (existsSync(buildLog) ? await readFile(buildLog, 'utf8') : '');

describe.skipIf(!go || !ferretdb)('scripts/install-ferretdb.sh with FerretDB already installed', () => {
  it(`reports it and exits 0 without building, ${runs} runs out of ${runs}`, {
    timeout: 300_000,
  }, async () => {
    const bin = await binDirectoryWith(ferretdb!, 'gobin');
    const results: ScriptResult[] = [];
    for (let started = 0; started < runs; started += parallel) {
      const batch = Array.from({ length: Math.min(parallel, runs - started) }, () =>
        runScript({ GOBIN: bin }),
      );
      results.push(...(await Promise.all(batch)));
    }
    const failed = results.filter(
      (result) => result.code !== 0 || !result.stdout.includes('FerretDB v1.24.2 already at'),
    );
    expect(failed, JSON.stringify(failed[0])).toEqual([]);
    expect(await goCommandsRun()).toBe('');
  });

  it('looks in the first entry of a GOPATH that lists several directories', async () => {
    const first = join(scratch, 'gopath-first');
    await binDirectoryWith(ferretdb!, join('gopath-first', 'bin'));
    const result = await runScript({ GOPATH: `${first}${delimiter}${join(scratch, 'gopath-second')}` });
    expect(result.stderr).toBe('');
    expect(result.stdout).toBe(`db:install: FerretDB v1.24.2 already at ${join(first, 'bin', 'ferretdb')}\n`);
    expect(result.code).toBe(0);
  });

  it('starts a build when the binary there reports another version', async () => {
    const bin = join(scratch, 'old-version');
    await mkdir(bin);
    await writeFile(join(bin, 'ferretdb'), '#!/usr/bin/env bash\necho "version: v1.0.0"\necho "commit: x"\n');
    await chmod(join(bin, 'ferretdb'), 0o755);
    await rm(buildLog, { force: true });
    const result = await runScript({ GOBIN: bin });
    expect(result.stdout).toContain('building FerretDB v1.24.2');
    expect(result.code).not.toBe(0); // the shim refuses the build
    expect(await goCommandsRun()).toMatch(/^go mod download/);
  });
});
