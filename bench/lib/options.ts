/** Command-line options of `npm run bench`. */

export const sectionIds = [
  'micro',
  'requests',
  'request-cpu',
  'login',
  'profile',
  'floor',
  'scaling',
] as const;
export type SectionId = (typeof sectionIds)[number];

export interface BenchOptions {
  /** `--quick`: shorter runs and scaling to 10^4 only; finishes in under two minutes. */
  readonly quick: boolean;
  /** `--only=micro,requests`: the sections to run. @default every section */
  readonly sections: readonly SectionId[];
  /** Repetitions of every paired measurement (at least 5). */
  readonly repetitions: number;
  /** `--no-write`: print only, write no files. */
  readonly write: boolean;
  /** `--scenarios=me-anonymous,whoami-id-stateless`: the request scenarios to run. @default all */
  readonly scenarios: readonly string[] | undefined;
}

const usage = `Usage: npm run bench -- [--quick] [--only=${sectionIds.join(',')}] [--repetitions=N] [--scenarios=id,...] [--no-write]`;

export function parseOptions(argv: readonly string[]): BenchOptions {
  let quick = false;
  let write = true;
  let sections: SectionId[] = [...sectionIds];
  let repetitions: number | undefined;
  let scenarios: string[] | undefined;
  for (const argument of argv) {
    if (argument === '--quick') quick = true;
    else if (argument === '--no-write') write = false;
    else if (argument.startsWith('--scenarios='))
      scenarios = argument.slice('--scenarios='.length).split(',');
    else if (argument.startsWith('--only=')) {
      const wanted = argument.slice('--only='.length).split(',');
      const unknown = wanted.filter((id) => !(sectionIds as readonly string[]).includes(id));
      if (unknown.length > 0) throw new Error(`Unknown section(s) ${unknown.join(', ')}. ${usage}`);
      sections = sectionIds.filter((id) => wanted.includes(id));
    } else if (argument.startsWith('--repetitions=')) {
      repetitions = Number(argument.slice('--repetitions='.length));
      if (!Number.isInteger(repetitions) || repetitions < 5)
        throw new Error('--repetitions must be an integer >= 5');
    } else if (argument === '--help' || argument === '-h') {
      console.log(usage);
      process.exit(0);
    } else throw new Error(`Unknown argument ${argument}. ${usage}`);
  }
  return { quick, sections, repetitions: repetitions ?? (quick ? 5 : 7), write, scenarios };
}
