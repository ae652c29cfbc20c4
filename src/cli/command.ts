import { resolve } from 'node:path';
import type { BackendChoice, Logger } from '../index.js';
import type { ParsedArguments } from './arguments.js';
import type { Output } from './output.js';

export interface OptionSpec {
  type: 'string' | 'boolean';
  /** The value's placeholder in the help, e.g. N or FILE. */
  value?: string;
  description: string;
  short?: string;
}

export interface PositionalSpec {
  name: string;
  required: boolean;
  description: string;
}

export type OptionSpecs = Readonly<Record<string, OptionSpec>>;

/** The options every command takes. */
export interface GlobalOptions {
  /** The store dir, absolute: --dir, else $MODEL_PERF_DIR, else .model-perf. */
  dir: string;
  /** True when the dir came from --dir rather than the environment or the default. */
  dirGiven: boolean;
  backend: BackendChoice | undefined;
  json: boolean;
  quiet: boolean;
  debug: boolean;
}

export interface CommandContext {
  args: ParsedArguments;
  global: GlobalOptions;
  out: Output;
  /** The store's logger: warnings on stderr (unless --quiet), info and debug only with --debug. */
  logger: Logger;
  env: NodeJS.ProcessEnv;
}

export interface Command {
  name: string;
  /** One line for the command list. */
  summary: string;
  positionals: readonly PositionalSpec[];
  options: OptionSpecs;
  /** Global options whose meaning differs for this command (demo's --dir default), as help descriptions. */
  globalDescriptions?: Readonly<Record<string, string>>;
  /** Extra help paragraphs: what is written where, what the defaults are. */
  details?: readonly string[];
  examples: readonly string[];
  run(context: CommandContext): Promise<void>;
}

const DEFAULT_STORE_DIR = '.model-perf';
const BACKENDS: readonly BackendChoice[] = ['auto', 'sqlite', 'json', 'postgres'];

export const GLOBAL_OPTIONS: OptionSpecs = {
  dir: {
    type: 'string',
    value: 'DIR',
    description: `the store dir (default $MODEL_PERF_DIR, else ${DEFAULT_STORE_DIR})`,
  },
  backend: {
    type: 'string',
    value: 'NAME',
    description: 'auto, sqlite, json or postgres (default $MODEL_PERF_BACKEND, else auto)',
  },
  json: { type: 'boolean', description: 'print the result as one line of JSON on stdout' },
  quiet: { type: 'boolean', short: 'q', description: 'no progress, notes or warnings on stderr (errors still print)' },
  debug: { type: 'boolean', description: "show the store's log and the stack trace of an error" },
  help: { type: 'boolean', short: 'h', description: 'show the help of the command' },
  version: { type: 'boolean', description: 'print the version of model-perf' },
};

export function readGlobalOptions(args: ParsedArguments, env: NodeJS.ProcessEnv): GlobalOptions {
  const given = args.string('dir');
  const fromEnv = env.MODEL_PERF_DIR;
  const dir = given ?? (fromEnv === undefined || fromEnv === '' ? DEFAULT_STORE_DIR : fromEnv);
  return {
    dir: resolve(dir),
    dirGiven: given !== undefined,
    backend: args.choice('backend', BACKENDS),
    json: args.flag('json'),
    quiet: args.flag('quiet'),
    debug: args.flag('debug'),
  };
}
