import { describe, expect, it } from 'vitest';
import { openHiddenPrompt, PromptCancelledError } from '../../src/bin/hidden-prompt.js';
import { PasswordInputError, promptNewPassword } from '../../src/bin/read-password.js';
import { FakeTerminal } from './fake-terminal.js';

const secret = 'Typed-Secret-42';

function prompt(terminal: FakeTerminal) {
  return promptNewPassword({ input: terminal.keyboard, output: terminal.screen });
}

describe('promptNewPassword on a terminal', () => {
  it('asks twice with echo off and gives the terminal back', async () => {
    const terminal = new FakeTerminal().answer('Password: ', secret).answer('Password (again): ', secret);
    expect(await prompt(terminal)).toBe(secret);
    expect(terminal.screen.text).toBe('Password: \nPassword (again): \n');
    expect(terminal.rawModes).toEqual([true, false]);
  });

  it('reports a mismatch or a blank password and asks again', async () => {
    const terminal = new FakeTerminal()
      .answer('Password: ', secret)
      .answer('Password (again): ', `${secret}x`)
      .answer('Password: ', '')
      .answer('Password: ', secret)
      .answer('Password (again): ', secret);
    expect(await prompt(terminal)).toBe(secret);
    expect(terminal.screen.text).toBe(
      [
        'Password: ',
        'Password (again): ',
        "Error: Your passwords didn't match.",
        'Password: ',
        "Error: Blank passwords aren't allowed.",
        'Password: ',
        'Password (again): ',
        '',
      ].join('\n'),
    );
    expect(terminal.screen.text).not.toContain(secret);
  });

  it('gives up after three failed attempts', async () => {
    const terminal = new FakeTerminal();
    for (let attempt = 0; attempt < 3; attempt++) {
      terminal.answer('Password: ', `a${attempt}`).answer('Password (again): ', `b${attempt}`);
    }
    await expect(prompt(terminal)).rejects.toThrow(new PasswordInputError('No password after 3 attempts.'));
    expect(terminal.rawModes).toEqual([true, false]);
  });

  it('keeps both lines when they are pasted at once', async () => {
    const terminal = new FakeTerminal().press(`${secret}\r${secret}\r`);
    expect(await prompt(terminal)).toBe(secret);
  });

  it.each([
    ['Ctrl-C', '\u0003'],
    ['Ctrl-D', '\u0004'],
  ])('is cancelled by %s and leaves raw mode', async (_key, keys) => {
    const terminal = new FakeTerminal();
    const answer = prompt(terminal);
    terminal.press(keys);
    await expect(answer).rejects.toBeInstanceOf(PromptCancelledError);
    expect(terminal.rawModes).toEqual([true, false]);
  });
});

describe('openHiddenPrompt', () => {
  it('edits the line like a terminal (backspace) without echoing it', async () => {
    const terminal = new FakeTerminal().press('abX\u007fc\r');
    const hidden = openHiddenPrompt({ input: terminal.keyboard, output: terminal.screen });
    expect(await hidden.ask('Word: ')).toBe('abc');
    hidden.close();
    expect(terminal.screen.text).toBe('Word: \n');
  });
});
