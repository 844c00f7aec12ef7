import { PassThrough, Writable } from 'node:stream';

/** What a program writes to the terminal, kept as text. */
export class FakeScreen extends Writable {
  text = '';
  readonly #onText: (() => void)[] = [];

  override _write(chunk: Buffer | string, _encoding: BufferEncoding, done: () => void): void {
    this.text += chunk.toString();
    for (const listener of this.#onText) listener();
    done();
  }

  onText(listener: () => void): void {
    this.#onText.push(listener);
  }
}

/**
 * A terminal without a pty: the keyboard is a TTY-like input stream that records raw-mode switches and
 * types scripted answers each time the screen ends with the expected prompt, as a person would.
 */
export class FakeTerminal {
  readonly screen = new FakeScreen();
  readonly keyboard = Object.assign(new PassThrough(), {
    isTTY: true,
    isRaw: false,
    setRawMode: (mode: boolean) => {
      this.keyboard.isRaw = mode;
      this.rawModes.push(mode);
      return this.keyboard;
    },
  });
  readonly rawModes: boolean[] = [];
  readonly #script: { prompt: string; keys: string }[] = [];

  constructor() {
    this.screen.onText(() => {
      const next = this.#script[0];
      if (!next || !this.screen.text.endsWith(next.prompt)) return;
      this.#script.shift();
      setImmediate(() => this.keyboard.write(next.keys));
    });
  }

  /** Types `line` and Enter once the screen next shows `prompt`. */
  answer(prompt: string, line: string): this {
    this.#script.push({ prompt, keys: `${line}\r` });
    return this;
  }

  /** Presses keys now, e.g. several lines pasted at once or Ctrl-C (`\u0003`). */
  press(keys: string): this {
    this.keyboard.write(keys);
    return this;
  }
}
