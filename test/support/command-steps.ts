import type { Connection } from 'mongoose';

/**
 * One round-trip step: commands that were all sent before any of them was answered, so they
 * travel together and cost one round trip. A command sent after an answer to the step in progress
 * (it could have waited for that answer) starts the next step.
 */
export type CommandStep = readonly string[];

interface StartedEvent {
  requestId: number;
  commandName: string;
  command: Record<string, unknown>;
}

interface AnsweredEvent {
  requestId: number;
}

// Driver housekeeping, not an operation's work (none of these are sent while an operation runs on
// an established connection, but a reconnect or session cleanup must not count against it).
const housekeeping = new Set([
  'hello',
  'isMaster',
  'ismaster',
  'ping',
  'endSessions',
  'saslStart',
  'saslContinue',
]);

/**
 * Records the commands a connection sends during an action, through the driver's command
 * monitoring (the connection must be opened with `monitorCommands: true`). Each command is named
 * `<command> <collection>`, e.g. `insert blacklisted_tokens`.
 */
export function commandRecorder(connection: Connection) {
  const client = connection.getClient();
  return async function stepsDuring(action: () => Promise<unknown>): Promise<CommandStep[]> {
    const steps: string[][] = [];
    let current: { names: string[]; ids: Set<number>; answered: boolean } | undefined;
    const started = (event: StartedEvent) => {
      if (housekeeping.has(event.commandName)) return;
      const name = `${event.commandName} ${String(event.command[event.commandName])}`;
      if (current === undefined || current.answered) {
        current = { names: [], ids: new Set(), answered: false };
        steps.push(current.names);
      }
      current.names.push(name);
      current.ids.add(event.requestId);
    };
    const answered = (event: AnsweredEvent) => {
      if (current?.ids.has(event.requestId)) current.answered = true;
    };
    client.on('commandStarted', started);
    client.on('commandSucceeded', answered);
    client.on('commandFailed', answered);
    try {
      await action();
    } finally {
      client.off('commandStarted', started);
      client.off('commandSucceeded', answered);
      client.off('commandFailed', answered);
    }
    return steps.map((step) => [...step].sort());
  };
}
