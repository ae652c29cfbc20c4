import { resolve } from 'node:path';
import type { BackendChoice } from '../index.js';
import type { ParsedArguments } from './arguments.js';
import type { GlobalOptions, OptionSpecs } from './command.js';

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
