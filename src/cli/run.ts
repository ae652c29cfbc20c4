import { hasFlag, parseCommandLine, splitCommand } from './arguments.js';
import { type Command, GLOBAL_OPTIONS, readGlobalOptions } from './command.js';
import { COMMANDS } from './commands/index.js';
import { describeFailure, EXIT_OK, usageError } from './errors.js';
import { commandHelp, generalHelp, packageVersion } from './help.js';
import { cliLogger, Output, type OutputStream } from './output.js';

export interface CliIo {
  stdout: OutputStream;
  stderr: OutputStream;
  env: NodeJS.ProcessEnv;
}

function findCommand(name: string): Command {
  const command = COMMANDS.find((candidate) => candidate.name === name);
  if (command === undefined) {
    throw usageError(
      `Unknown command ${JSON.stringify(name)}; the commands are ${COMMANDS.map((c) => c.name).join(', ')}`,
    );
  }
  return command;
}

/** Runs one command line and returns the exit code: 0 success, 1 failure, 2 usage error. */
export async function runCli(argv: readonly string[], { stdout, stderr, env }: CliIo): Promise<number> {
  const debug = hasFlag(argv, '--debug');
  const out = new Output(stdout, stderr, {
    json: hasFlag(argv, '--json'),
    quiet: hasFlag(argv, '--quiet', '-q'),
    env,
  });
  try {
    const { name, rest } = splitCommand(argv, GLOBAL_OPTIONS);
    const command = name === undefined ? undefined : findCommand(name);
    if (hasFlag(rest, '--help', '-h')) {
      const text = command === undefined ? generalHelp(COMMANDS, packageVersion()) : commandHelp(command);
      out.result({ command: command?.name ?? null, help: text.join('\n') }, () => text);
      return EXIT_OK;
    }
    const args = parseCommandLine(command, rest, GLOBAL_OPTIONS);
    const global = readGlobalOptions(args, env);
    if (args.flag('version')) {
      const version = packageVersion();
      out.result({ version }, () => [version]);
      return EXIT_OK;
    }
    if (command === undefined) {
      if (!out.json) for (const line of generalHelp(COMMANDS, packageVersion())) stderr.write(`${line}\n`);
      throw usageError('Missing command');
    }
    await command.run({ args, global, out, logger: cliLogger(out, global.debug), env });
    return out.exitCode;
  } catch (error) {
    const report = describeFailure(error);
    out.error(report, debug && error instanceof Error ? error.stack : undefined);
    return report.exitCode;
  }
}

const STOP_SIGNALS = ['SIGINT', 'SIGTERM'] as const;

/** Resolves on the first SIGINT or SIGTERM, which no longer kill the process: the caller cleans up, then exits 0. */
export function untilStopSignal(): Promise<NodeJS.Signals> {
  return new Promise((resolve) => {
    const stop = (signal: NodeJS.Signals): void => {
      for (const name of STOP_SIGNALS) process.off(name, stop);
      resolve(signal);
    };
    for (const name of STOP_SIGNALS) process.on(name, stop);
  });
}
