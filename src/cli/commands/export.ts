import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { exportLegacy } from '../../migrate/index.js';
import { definedOnly, WHOLE_NUMBER } from '../arguments.js';
import type { Command, CommandContext } from '../command.js';
import { usageError } from '../errors.js';
import { readTextFile, writeTextFile } from '../files.js';
import { plural } from '../format.js';
import { requireStoreDir, withLearner, withStore } from '../store-access.js';
import { statsToCsv } from '../table.js';

const FORMATS = ['stats', 'legacy-json', 'csv'] as const;
type ExportFormat = (typeof FORMATS)[number];

interface Exported {
  text: string;
  /** The JSON formats' document as a value, so that --json can print it on one line. */
  document: unknown;
  rows: number;
}

function pretty(document: unknown): string {
  return `${JSON.stringify(document, null, 2)}\n`;
}

/** The federated export: aggregates only, for another installation's `model-perf import`. */
function exportStats(context: CommandContext, minSamples: number | undefined): Promise<Exported> {
  return context.out.track('export', (progress) =>
    withLearner(context, async (learner) => {
      const document = await learner.exportStats(definedOnly({ minSamples }));
      progress.update(document.entries.length, document.entries.length);
      return { text: pretty(document), document, rows: document.entries.length };
    }),
  );
}

function exportCsv(context: CommandContext, minSamples: number | undefined): Promise<Exported> {
  return context.out.track('export', (progress) =>
    withStore(context, async (store) => {
      const rows = await store.listStats(definedOnly({ minSamples }));
      progress.update(rows.length, rows.length);
      return { text: statsToCsv(rows), document: undefined, rows: rows.length };
    }),
  );
}

/** exportLegacy writes a file (atomically); for stdout it writes one in a temporary dir. */
async function exportLegacyJson(context: CommandContext): Promise<Exported> {
  const scratch = await mkdtemp(join(tmpdir(), 'model-perf-export-'));
  try {
    return await context.out.track('export', (progress) =>
      withStore(context, async (store) => {
        const rows = (await store.listStats()).length;
        progress.update(0, rows);
        const file = join(scratch, 'model-performance.json');
        await exportLegacy({ store, file });
        progress.update(rows, rows);
        const text = await readTextFile(file);
        return { text, document: JSON.parse(text) as unknown, rows };
      }),
    );
  } finally {
    await rm(scratch, { recursive: true, force: true });
  }
}

function checkCombination(context: CommandContext, format: ExportFormat, minSamples: number | undefined): void {
  if (format === 'legacy-json' && minSamples !== undefined) {
    throw usageError('--min-samples does not apply to --format legacy-json: a rollback exports every pair', 'export');
  }
  if (format === 'csv' && context.global.json && context.args.string('out') === undefined) {
    throw usageError('--json with --format csv needs --out FILE: stdout cannot carry both', 'export');
  }
}

function runExport(context: CommandContext, format: ExportFormat, minSamples: number | undefined): Promise<Exported> {
  switch (format) {
    case 'stats':
      return exportStats(context, minSamples);
    case 'csv':
      return exportCsv(context, minSamples);
    case 'legacy-json':
      return exportLegacyJson(context);
  }
}

export const exportCommand: Command = {
  name: 'export',
  summary: 'export the stats: for another installation (stats), a spreadsheet (csv), or a rollback (legacy-json)',
  positionals: [],
  options: {
    format: { type: 'string', value: 'NAME', description: `${FORMATS.join(', ')} (default stats)` },
    'min-samples': {
      type: 'string',
      value: 'N',
      description: 'only pairs with at least N samples (default: stats 10, csv 0)',
    },
    out: { type: 'string', value: 'FILE', description: 'write to FILE (default: stdout)' },
  },
  details: [
    "stats: the aggregates of every task type and model with enough samples, under this store's id and without",
    'raw outcomes; `model-perf import FILE` on another installation takes them in as federated priors.',
  ],
  examples: [
    'model-perf export --out team-a.stats.json',
    'model-perf export --format csv --min-samples 5 --out stats.csv',
    'model-perf export --format legacy-json --out model-performance.json',
  ],
  async run(context) {
    const { args, out } = context;
    const format = args.choice('format', FORMATS) ?? 'stats';
    const minSamples = args.number('min-samples', WHOLE_NUMBER);
    const file = args.string('out');
    checkCombination(context, format, minSamples);
    requireStoreDir(context);
    const exported = await runExport(context, format, minSamples);
    if (file === undefined) {
      if (exported.document === undefined) out.raw(exported.text);
      else out.result(exported.document, () => [exported.text.trimEnd()]);
      return;
    }
    const path = await writeTextFile(file, exported.text);
    out.result({ format, file: path, rows: exported.rows }, () => [
      `Wrote ${plural(exported.rows, 'row')} (${format}) to ${path}.`,
    ]);
  },
};
