/** One `packages` entry of a package-lock.json (lockfileVersion 3). */
export interface LockEntry {
  readonly version?: string;
  readonly dependencies?: Readonly<Record<string, string>>;
  readonly optionalDependencies?: Readonly<Record<string, string>>;
  readonly peerDependencies?: Readonly<Record<string, string>>;
  readonly peerDependenciesMeta?: Readonly<Record<string, { optional?: boolean }>>;
  readonly [field: string]: unknown;
}

export type LockPackages = Readonly<Record<string, LockEntry>>;

/** The directory a lock path's package sits in, for lookups: `node_modules/a/node_modules/b` -> `node_modules/a`. */
function parentOf(location: string): string {
  const index = location.lastIndexOf('/node_modules/');
  return index === -1 ? '' : location.slice(0, index);
}

/** Where Node finds `name` from the package at `from`: its own node_modules, then each ancestor's. */
function locate(packages: LockPackages, from: string, name: string): string | undefined {
  for (let base = from; ; base = parentOf(base)) {
    const candidate = base === '' ? `node_modules/${name}` : `${base}/node_modules/${name}`;
    if (packages[candidate]) return candidate;
    if (base === '') return undefined;
  }
}

interface Need {
  readonly name: string;
  /** Installed only when the repository has it (optional dependencies, e.g. per-platform binaries). */
  readonly ifPresent: boolean;
  /** Left out unless something else needs it: npm does not install optional peers. */
  readonly optionalPeer: boolean;
}

/** What a package needs installed beside it: dependencies, optional dependencies and peers. */
function needs(entry: LockEntry): Need[] {
  const isOptionalPeer = (name: string) => entry.peerDependenciesMeta?.[name]?.optional === true;
  return [
    ...Object.keys(entry.dependencies ?? {}).map((name) => ({ name, ifPresent: false, optionalPeer: false })),
    ...Object.keys(entry.optionalDependencies ?? {}).map((name) => ({
      name,
      ifPresent: true,
      optionalPeer: false,
    })),
    ...Object.keys(entry.peerDependencies ?? {}).map((name) => ({
      name,
      ifPresent: isOptionalPeer(name),
      optionalPeer: isOptionalPeer(name),
    })),
  ];
}

export interface ConsumerLockfileInput {
  /** The `packages` of the repository's lock file: every version the test app gets comes from it. */
  readonly repositoryPackages: LockPackages;
  /** The application's name and its root dependencies (registry packages at exact versions, plus the tarball). */
  readonly appName: string;
  readonly appDependencies: Readonly<Record<string, string>>;
  /** Our packed package: its lock entry (`resolved` to the tarball) and manifest fields. */
  readonly packedName: string;
  readonly packedEntry: LockEntry;
}

/**
 * A lock file for a test application, cut from the repository's: the same versions, the same layout
 * and integrity hashes, so `npm ci` installs it from the npm cache the repository's `npm ci` filled,
 * with no registry metadata (which that cache lacks: `npm install` of a name would need the network). Optional peers that nothing requires, such as jwks-rsa,
 * stay out, as they would for a user.
 */
export function consumerLockfile(input: ConsumerLockfileInput): object {
  const { repositoryPackages, packedName, packedEntry } = input;
  const packedLocation = `node_modules/${packedName}`;
  const packages: Record<string, LockEntry> = {
    '': { name: input.appName, dependencies: input.appDependencies },
    [packedLocation]: packedEntry,
  };
  const pending: string[] = [packedLocation];
  for (const name of Object.keys(input.appDependencies)) {
    if (name === packedName) continue;
    const location = `node_modules/${name}`;
    if (!repositoryPackages[location]) throw new Error(`${name} is not in the repository's lock file`);
    pending.push(location);
  }
  for (let location = pending.pop(); location !== undefined; location = pending.pop()) {
    const entry = location === packedLocation ? packedEntry : repositoryPackages[location];
    if (!entry) throw new Error(`no lock entry ${location}`);
    if (location !== packedLocation) {
      // Flags describe the repository (dev tools); in the app these are production packages.
      const { dev: _dev, devOptional: _devOptional, ...rest } = entry;
      packages[location] = rest;
    }
    // Our package resolves from the app's root, where it is installed.
    const from = location === packedLocation ? '' : location;
    for (const need of needs(entry)) {
      if (need.optionalPeer) continue;
      const found = locate(repositoryPackages, from, need.name);
      if (found === undefined) {
        if (need.ifPresent) continue;
        throw new Error(`${need.name}, needed by ${location}, is not in the repository's lock file`);
      }
      if (!(found in packages) && !pending.includes(found)) pending.push(found);
    }
  }
  return { name: input.appName, lockfileVersion: 3, requires: true, packages };
}
