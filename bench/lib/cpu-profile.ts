/** Reads a V8 `.cpuprofile` (node --cpu-prof) into self time per function and per package. */

interface ProfileNode {
  readonly id: number;
  readonly callFrame: {
    readonly functionName: string;
    readonly url: string;
    readonly lineNumber: number;
  };
  readonly children?: readonly number[];
}

export interface CpuProfile {
  /** Monotonic microseconds (the clock of process.hrtime) of the first sample. */
  readonly startTime: number;
  readonly nodes: readonly ProfileNode[];
  readonly samples: readonly number[];
  readonly timeDeltas: readonly number[];
}

export interface SelfTime {
  /** `name (where:line)`. */
  readonly function: string;
  /** Package, `node:` internals, `src` (this package), or a V8 pseudo-frame such as `(garbage collector)`. */
  readonly owner: string;
  readonly selfMs: number;
  /** Share of the profile's busy time (idle excluded). */
  readonly percent: number;
}

export interface ProfileSummary {
  readonly busyMs: number;
  readonly topFunctions: readonly SelfTime[];
  readonly byOwner: readonly { readonly owner: string; readonly selfMs: number; readonly percent: number }[];
  /** Every function of this package's `src/` with its self time, to show what runs per request. */
  readonly ownFunctions: readonly SelfTime[];
}

const projectRoot = new URL('../../', import.meta.url).href;

function ownerOf(url: string, functionName: string): string {
  if (url === '') return functionName.startsWith('(') ? functionName : '(native)';
  if (url.startsWith('node:')) return 'node: internals';
  const modules = url.lastIndexOf('/node_modules/');
  if (modules >= 0) {
    const rest = url.slice(modules + '/node_modules/'.length).split('/');
    return rest[0]!.startsWith('@') ? `${rest[0]}/${rest[1]}` : rest[0]!;
  }
  if (url.startsWith(projectRoot)) return url.slice(projectRoot.length).split('/')[0]!;
  return url;
}

function label(node: ProfileNode): string {
  const { functionName, url, lineNumber } = node.callFrame;
  const where = url.startsWith(projectRoot)
    ? url.slice(projectRoot.length)
    : url.includes('/node_modules/')
      ? url.slice(url.lastIndexOf('/node_modules/') + '/node_modules/'.length)
      : url;
  const name = functionName || '(anonymous)';
  if (where === '') return name;
  // tsx compiles our TypeScript, so line numbers of project files point into its output: leave them out.
  return url.startsWith(projectRoot) ? `${name} (${where})` : `${name} (${where}:${lineNumber + 1})`;
}

const round = (value: number) => Math.round(value * 10) / 10;

/**
 * Self time per function, counting only samples inside `window` (monotonic µs, e.g. the load run),
 * so that start-up (module loading, schema building) stays out.
 */
export function summariseProfile(
  profile: CpuProfile,
  window: { readonly fromMicros: number; readonly toMicros: number } | undefined,
  top = 15,
): ProfileSummary {
  const byId = new Map(profile.nodes.map((node) => [node.id, node]));
  const selfMicros = new Map<number, number>();
  let time = profile.startTime;
  profile.samples.forEach((id, index) => {
    const delta = profile.timeDeltas[index] ?? 0;
    time += delta;
    if (window && (time < window.fromMicros || time > window.toMicros)) return;
    selfMicros.set(id, (selfMicros.get(id) ?? 0) + delta);
  });
  const functions = new Map<string, { owner: string; micros: number }>();
  let busyMicros = 0;
  for (const [id, micros] of selfMicros) {
    const node = byId.get(id)!;
    if (node.callFrame.functionName === '(idle)') continue;
    busyMicros += micros;
    const key = label(node);
    const entry = functions.get(key) ?? {
      owner: ownerOf(node.callFrame.url, node.callFrame.functionName),
      micros: 0,
    };
    entry.micros += micros;
    functions.set(key, entry);
  }
  const all = [...functions.entries()]
    .map(([name, { owner, micros }]) => ({
      function: name,
      owner,
      selfMs: round(micros / 1000),
      percent: round((micros / busyMicros) * 100),
    }))
    .sort((a, b) => b.selfMs - a.selfMs);
  const owners = new Map<string, number>();
  for (const entry of all) owners.set(entry.owner, (owners.get(entry.owner) ?? 0) + entry.selfMs);
  return {
    busyMs: round(busyMicros / 1000),
    topFunctions: all.slice(0, top),
    byOwner: [...owners.entries()]
      .map(([owner, selfMs]) => ({
        owner,
        selfMs: round(selfMs),
        percent: round((selfMs / (busyMicros / 1000)) * 100),
      }))
      .sort((a, b) => b.selfMs - a.selfMs),
    ownFunctions: all.filter((entry) => entry.owner === 'src'),
  };
}
