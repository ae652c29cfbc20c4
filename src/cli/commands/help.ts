import type { Command } from '../command.js';
import { usageError } from '../errors.js';
import { commandHelp, generalHelp, packageVersion } from '../help.js';

/** `model-perf help [command]`; the command list comes in as a function, since it includes this command. */
export function createHelpCommand(commands: () => readonly Command[]): Command {
  return {
    name: 'help',
    summary: 'show the help of model-perf or of one command',
    positionals: [{ name: 'command', required: false, description: 'the command to explain' }],
    options: {},
    examples: ['model-perf help', 'model-perf help rank'],
    async run({ args, out }) {
      const name = args.positional('command');
      const command = name === undefined ? undefined : commands().find((candidate) => candidate.name === name);
      if (name !== undefined && command === undefined) throw usageError(`Unknown command ${JSON.stringify(name)}`);
      const text = command === undefined ? generalHelp(commands(), packageVersion()) : commandHelp(command);
      out.result({ command: command?.name ?? null, help: text.join('\n') }, () => text);
    },
  };
}
