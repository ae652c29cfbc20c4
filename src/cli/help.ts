import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { type Command, GLOBAL_OPTIONS, type OptionSpecs } from './command.js';
import { usageError } from './errors.js';

function optionLines(specs: OptionSpecs): string[] {
  const entries = Object.entries(specs).map(([name, spec]) => {
    const short = spec.short === undefined ? '    ' : `-${spec.short}, `;
    const value = spec.value === undefined ? '' : ` ${spec.value}`;
    return [`${short}--${name}${value}`, spec.description] as const;
  });
  const width = Math.max(...entries.map(([flag]) => flag.length));
  return entries.map(([flag, description]) => `  ${flag.padEnd(width)}  ${description}`);
}

function commandSynopsis(command: Command): string {
  const positionals = command.positionals.map((spec) => (spec.required ? `<${spec.name}>` : `[${spec.name}]`));
  const options = Object.keys(command.options).length > 0 ? ['[options]'] : [];
  return ['model-perf', command.name, ...positionals, ...options].join(' ');
}

export function commandHelp(command: Command): string[] {
  const lines = [`Usage: ${commandSynopsis(command)}`, '', command.summary];
  if (command.details !== undefined) lines.push('', ...command.details);
  if (command.positionals.length > 0) {
    const width = Math.max(...command.positionals.map((spec) => spec.name.length));
    lines.push(
      '',
      'Arguments:',
      ...command.positionals.map((spec) => `  ${spec.name.padEnd(width)}  ${spec.description}`),
    );
  }
  if (Object.keys(command.options).length > 0) lines.push('', 'Options:', ...optionLines(command.options));
  const globals = Object.fromEntries(
    Object.entries(GLOBAL_OPTIONS).map(([name, spec]) => {
      const description = command.globalDescriptions?.[name];
      return [name, description === undefined ? spec : { ...spec, description }];
    }),
  );
  lines.push('', 'Global options:', ...optionLines(globals));
  if (command.examples.length > 0) lines.push('', 'Examples:', ...command.examples.map((example) => `  ${example}`));
  return lines;
}

export function generalHelp(commands: readonly Command[], version: string): string[] {
  const width = Math.max(...commands.map((command) => command.name.length));
  return [
    `model-perf ${version}: the memory of how each LLM model performs on each type of task`,
    '',
    'Usage: model-perf <command> [options]',
    '',
    'Commands:',
    ...commands.map((command) => `  ${command.name.padEnd(width)}  ${command.summary}`),
    '',
    'Global options:',
    ...optionLines(GLOBAL_OPTIONS),
    '',
    'Run `model-perf <command> --help` (or `model-perf help <command>`) for the options of a command.',
    'Exit codes: 0 success, 1 failure, 2 usage error.',
  ];
}

const PACKAGE_NAME = 'model-perf';

/**
 * The version in model-perf's package.json, found by walking up from this module: the bundled
 * dist/cli.js sits one level below it, a source file two, and an installed package is found the same way.
 */
export function packageVersion(): string {
  let dir = dirname(fileURLToPath(import.meta.url));
  for (;;) {
    try {
      const manifest: unknown = JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8'));
      if (typeof manifest === 'object' && manifest !== null) {
        const { name, version } = manifest as { name?: unknown; version?: unknown };
        if (name === PACKAGE_NAME && typeof version === 'string') return version;
      }
    } catch {
      // No readable package.json here: keep walking up.
    }
    const parent = dirname(dir);
    if (parent === dir) return 'unknown';
    dir = parent;
  }
}

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
