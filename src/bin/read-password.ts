import { stripLikePython } from '../users/credential-field.js';
import { openHiddenPrompt, type PromptTerminal } from './hidden-prompt.js';

/** Where a new password comes from: the command's stdin, and where prompts go. */
export interface PasswordSource {
  /** A terminal is prompted with echo off; anything else (a pipe, a file) is read to its end. */
  stdin: NodeJS.ReadableStream & { isTTY?: boolean };
  /** Where prompts and their error lines go: stderr, so stdout carries only results. */
  prompts: NodeJS.WritableStream;
}

/** No usable password was given; the message says why. */
export class PasswordInputError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'PasswordInputError';
  }
}

// Login refuses longer passwords (the authenticator's default maxPasswordLength).
const maxPasswordLength = 4096;
// Django's changepassword gives up after three attempts.
const maxAttempts = 3;

/**
 * Why `password` could never be used to log in, or `undefined` when it can: login strips surrounding
 * whitespace (as Simple JWT does) and refuses blank and over-long passwords. No strength rules:
 * Simple JWT has none either.
 */
export function passwordProblem(password: string): string | undefined {
  const stripped = stripLikePython(password);
  if (stripped === '') return "Blank passwords aren't allowed.";
  if (stripped !== password) {
    return 'The password starts or ends with whitespace, which login strips: it could never log in.';
  }
  if ([...password].length > maxPasswordLength) {
    return `The password is longer than ${maxPasswordLength} characters, the most login accepts.`;
  }
  return undefined;
}

/** The password piped in: one line, its line ending removed. */
async function readPipedPassword(stdin: NodeJS.ReadableStream): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of stdin) chunks.push(typeof chunk === 'string' ? Buffer.from(chunk) : chunk);
  const password = Buffer.concat(chunks)
    .toString('utf8')
    .replace(/\r?\n$/, '');
  if (/[\r\n]/.test(password)) throw new PasswordInputError('stdin must hold the password on one line.');
  const problem = passwordProblem(password);
  if (problem) throw new PasswordInputError(problem);
  return password;
}

/** Django's prompt: the password twice, echo off, errors shown and asked again, three attempts. */
export async function promptNewPassword(terminal: PromptTerminal): Promise<string> {
  const prompt = openHiddenPrompt(terminal);
  try {
    for (let attempt = 0; attempt < maxAttempts; attempt++) {
      const password = await prompt.ask('Password: ');
      const problem = passwordProblem(password);
      if (problem) {
        terminal.output.write(`Error: ${problem}\n`);
      } else if ((await prompt.ask('Password (again): ')) !== password) {
        terminal.output.write("Error: Your passwords didn't match.\n");
      } else {
        return password;
      }
    }
    throw new PasswordInputError(`No password after ${maxAttempts} attempts.`);
  } finally {
    prompt.close();
  }
}

/**
 * A new password from the terminal (prompted twice, never echoed) or from piped stdin; never from
 * arguments, which show in `ps` and shell history.
 * @throws PasswordInputError for a password login could never accept, or no agreeing pair in three attempts.
 * @throws PromptCancelledError when the user cancels the prompt.
 */
export function readNewPassword(source: PasswordSource): Promise<string> {
  return source.stdin.isTTY
    ? promptNewPassword({ input: source.stdin, output: source.prompts })
    : readPipedPassword(source.stdin);
}
