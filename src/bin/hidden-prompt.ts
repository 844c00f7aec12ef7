import { createInterface } from 'node:readline';
import { Writable } from 'node:stream';

/** A terminal to ask on: its input (a TTY, put in raw mode while asking) and where questions go. */
export interface PromptTerminal {
  input: NodeJS.ReadableStream;
  output: NodeJS.WritableStream;
}

/** The user ended the prompt (Ctrl-C, or Ctrl-D on an empty line) instead of answering. */
export class PromptCancelledError extends Error {
  constructor() {
    super('Operation cancelled.');
    this.name = 'PromptCancelledError';
  }
}

/** Asks questions whose answers are not echoed, like a password prompt. */
export interface HiddenPrompt {
  /** Writes `question`, then resolves to the next line typed. @throws PromptCancelledError */
  ask(question: string): Promise<string>;
  /** Gives the terminal back (leaves raw mode). */
  close(): void;
}

/**
 * Opens a prompt that never echoes what is typed: readline handles the line editing in raw mode and
 * writes its echo to an output that discards everything. One interface serves every question, so
 * lines pasted at once are queued rather than lost between questions. In raw mode Ctrl-C is a key,
 * not a signal: readline closes on it, as on Ctrl-D, which cancels the question.
 */
export function openHiddenPrompt(terminal: PromptTerminal): HiddenPrompt {
  const discard = new Writable({ write: (_chunk, _encoding, done) => done() });
  const reader = createInterface({ input: terminal.input, output: discard, terminal: true, historySize: 0 });
  const typed: string[] = [];
  let waiting: { resolve(line: string): void; reject(error: Error): void } | undefined;
  let closed = false;

  reader.on('line', (line) => {
    if (waiting) waiting.resolve(line);
    else typed.push(line);
    waiting = undefined;
  });
  reader.on('close', () => {
    closed = true;
    waiting?.reject(new PromptCancelledError());
    waiting = undefined;
  });

  return {
    async ask(question) {
      terminal.output.write(question);
      try {
        const line = typed.shift();
        if (line !== undefined) return line;
        if (closed) throw new PromptCancelledError();
        return await new Promise<string>((resolve, reject) => {
          waiting = { resolve, reject };
        });
      } finally {
        // The Enter key's echo was discarded too.
        terminal.output.write('\n');
      }
    },
    close() {
      reader.close();
    },
  };
}
