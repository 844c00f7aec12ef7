import { parseArgs } from 'node:util';

/** Each command: whether it takes a username, and the flags it accepts besides --uri and --help. */
const commands = {
  create: { username: true, flags: ['staff', 'superuser', 'inactive'] },
  'set-password': { username: true, flags: [] },
  deactivate: { username: true, flags: [] },
  activate: { username: true, flags: [] },
  list: { username: false, flags: ['json'] },
} as const satisfies Record<string, { username: boolean; flags: readonly string[] }>;

export type CommandName = keyof typeof commands;

const options = {
  help: { type: 'boolean', short: 'h' },
  uri: { type: 'string' },
  staff: { type: 'boolean' },
  superuser: { type: 'boolean' },
  inactive: { type: 'boolean' },
  json: { type: 'boolean' },
} as const;

type Values = ReturnType<typeof parseArgs<{ options: typeof options; allowPositionals: true }>>['values'];

/** A well-formed command line: the command, its username (NFKC, or '' for list) and flags. */
export interface Invocation {
  command: CommandName;
  username: string;
  values: Values;
}

/** The command line read: `'help'`, an `Invocation`, or else the usage error to print. */
export function parseInvocation(argv: readonly string[]): Invocation | 'help' | { usageError: string } {
  let parsed: { values: Values; positionals: string[] };
  try {
    parsed = parseArgs({ args: [...argv], options, allowPositionals: true });
  } catch (error) {
    return { usageError: (error as Error).message };
  }
  const { values, positionals } = parsed;
  if (values.help) return 'help';
  const [command, username, ...extra] = positionals;
  if (command === undefined)
    return { usageError: `a command is required: ${Object.keys(commands).join(', ')}` };
  if (!Object.hasOwn(commands, command)) return { usageError: `unknown command '${command}'` };
  const spec = commands[command as CommandName];
  const flag = Object.keys(values).find(
    (name) => name !== 'uri' && !(spec.flags as readonly string[]).includes(name),
  );
  if (flag) return { usageError: `--${flag} does not apply to ${command}` };
  if (spec.username && username === undefined) return { usageError: `${command} needs a username` };
  const unexpected = spec.username ? extra[0] : username;
  if (unexpected !== undefined) return { usageError: `unexpected argument '${unexpected}'` };
  // Stored the way createUser stores it (NFKC), so every command finds what create wrote.
  return { command: command as CommandName, username: (username ?? '').normalize('NFKC'), values };
}
