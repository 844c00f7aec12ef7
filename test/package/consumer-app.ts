import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { consumerLockfile, type LockEntry, type LockPackages } from './consumer-lockfile.js';
import { runChecked } from './run-command.js';

/** What `npm pack --json` reports about one tarball. */
export interface PackedTarball {
  readonly name: string;
  readonly version: string;
  readonly filename: string;
  readonly integrity: string;
  readonly size: number;
  readonly entryCount: number;
  readonly files: readonly { readonly path: string; readonly size: number }[];
}

/** `npm pack` of the repository into `destination`: runs `prepack` (a clean build) as publishing does. */
export async function packRepository(root: string, destination: string): Promise<PackedTarball> {
  // --json writes the report to stdout and the build's output to stderr.
  const { stdout } = await runChecked('npm', ['pack', '--json', '--pack-destination', destination], {
    cwd: root,
  });
  const [tarball] = JSON.parse(stdout) as PackedTarball[];
  if (!tarball) throw new Error(`npm pack reported no tarball:\n${stdout}`);
  return tarball;
}

interface Manifest {
  readonly name: string;
  readonly version: string;
  readonly [field: string]: unknown;
}

function readJson<T>(path: string): T {
  return JSON.parse(readFileSync(path, 'utf8')) as T;
}

/**
 * Creates an ESM application in `directory` (which holds the tarball) depending on the tarball and on
 * `peers` at the versions the repository is tested with, and installs it with `npm ci --prefer-offline`:
 * from the npm cache the repository's own install filled, so no network is needed (install scripts
 * skipped: none of these packages needs one).
 */
export async function installConsumerApp(options: {
  readonly root: string;
  readonly directory: string;
  readonly tarball: PackedTarball;
  readonly peers: readonly string[];
}): Promise<void> {
  const { root, directory, tarball } = options;
  const repositoryPackages = readJson<{ packages: LockPackages }>(join(root, 'package-lock.json')).packages;
  const manifest = readJson<Manifest>(join(root, 'package.json'));
  const versionOf = (name: string) => {
    const version = repositoryPackages[`node_modules/${name}`]?.version;
    if (!version) throw new Error(`${name} is not installed in the repository`);
    return version;
  };
  const resolved = `file:${tarball.filename}`;
  const appDependencies = Object.fromEntries([
    [tarball.name, resolved],
    ...options.peers.map((name) => [name, versionOf(name)]),
  ]);
  const pick = (...fields: string[]) =>
    Object.fromEntries(fields.filter((field) => field in manifest).map((field) => [field, manifest[field]]));
  const packedEntry: LockEntry = {
    version: tarball.version,
    resolved,
    integrity: tarball.integrity,
    ...pick('license', 'dependencies', 'bin', 'engines', 'peerDependencies', 'peerDependenciesMeta'),
  };
  const appName = 'consumer-app';
  writeFileSync(
    join(directory, 'package.json'),
    `${JSON.stringify({ name: appName, private: true, type: 'module', dependencies: appDependencies }, null, 2)}\n`,
  );
  const lockfile = consumerLockfile({
    repositoryPackages,
    appName,
    appDependencies,
    packedName: tarball.name,
    packedEntry,
  });
  writeFileSync(join(directory, 'package-lock.json'), `${JSON.stringify(lockfile, null, 2)}\n`);
  await runChecked('npm', ['ci', '--prefer-offline', '--ignore-scripts', '--no-audit', '--no-fund'], {
    cwd: directory,
  });
}
