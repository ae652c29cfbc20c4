import type { LegacyPlan } from '../../migrate/index.js';
import type { Command } from '../command.js';
import { type Checkup, runCheckup } from '../doctor-checkup.js';
import type { FileEntry } from '../files.js';
import { formatBytes, formatCount, formatTimestamp, plural } from '../format.js';
import type { Painter } from '../output.js';
import { formatPairs } from '../table.js';

type Pair = readonly [string, string];

function legacyText(legacy: LegacyPlan): string {
  switch (legacy.status) {
    case 'none':
      return 'none';
    case 'invalid':
      return `${legacy.file}: cannot be imported (see warnings)`;
    case 'valid':
      return `${legacy.file}: ${plural(legacy.pairs, 'task/model pair')} over ${plural(legacy.taskTypes, 'task type')} (${formatCount(legacy.successes)} successes, ${formatCount(legacy.failures)} failures); \`model-perf migrate\` imports it`;
  }
}

/** A key with several values: the key on the first line only. */
function listPairs(key: string, items: readonly string[]): Pair[] {
  if (items.length === 0) return [[key, 'none']];
  return items.map((item, index) => [index === 0 ? key : '', item] as const);
}

function fileLine(file: FileEntry): string {
  return `${file.name}  ${formatBytes(file.bytes)}  ${formatTimestamp(file.modified)}`;
}

function backendPairs(checkup: Checkup, paint: Painter): Pair[] {
  const { store } = checkup;
  if ('error' in store) return [['backend', paint('red', `cannot open: ${store.error.code}: ${store.error.message}`)]];
  const why = checkup.dirExists ? 'this one holds no store yet' : 'this one does not exist yet';
  const probeNote = checkup.probed ? paint('dim', ` (tried in a temporary dir: ${why})`) : '';
  return [
    ['backend', `${paint('bold', store.backend)}${store.degraded ? paint('yellow', ' (degraded)') : ''}${probeNote}`],
    ['why', store.reason],
    ['sqlite', store.sqliteVersion ?? 'not loaded'],
    ['schema', `v${store.schemaVersion}`],
    ...(store.location === null ? [] : [['location', store.location] as const]),
    ...listPairs('files', store.files.map(fileLine)),
  ];
}

function storeDirNote(checkup: Checkup, paint: Painter): string {
  if (!checkup.dirExists) return paint('yellow', ' (does not exist yet)');
  return checkup.probed ? paint('yellow', ' (no store here yet)') : '';
}

function formatCheckup(checkup: Checkup, paint: Painter): string[] {
  const pairs: Pair[] = [
    ['store dir', `${checkup.dir}${storeDirNote(checkup, paint)}`],
    ['node', checkup.nodeVersion],
    ...backendPairs(checkup, paint),
    ['config file', checkup.configFile ?? 'none'],
    ['MODEL_PERF_DIR', checkup.environment.MODEL_PERF_DIR ?? 'unset'],
    ['MODEL_PERF_BACKEND', checkup.environment.MODEL_PERF_BACKEND ?? 'unset'],
    ['legacy data', legacyText(checkup.legacy)],
    ...listPairs('backups', checkup.backups.map(fileLine)),
    ...listPairs(
      'warnings',
      checkup.warnings.map((warning) => paint('yellow', warning)),
    ),
  ];
  return formatPairs(pairs, paint);
}

export const doctorCommand: Command = {
  name: 'doctor',
  summary: 'which backend runs here and why; versions, files, legacy data, backups, warnings',
  positionals: [],
  options: {},
  details: [
    'Imports nothing and creates no store: a dir that does not exist or holds no store is tried in a temporary dir.',
    'Exits 0 even when it finds problems: it reports them (a store that cannot open, under "backend").',
  ],
  examples: ['model-perf doctor', 'model-perf doctor --dir /var/lib/agent/.model-perf --json'],
  async run(context) {
    const checkup = await runCheckup(context);
    context.out.result(checkup, () => formatCheckup(checkup, context.out.paint));
  },
};
