import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { ModelPerfError, type OpenStoreOptions } from '../../index.js';
import { BACKUPS_DIR, exportLegacy, type LegacyPlan, planMigration, pushToStore } from '../../migrate/index.js';
import type { Command, CommandContext } from '../command.js';
import { CliError, usageError } from '../errors.js';
import { listDir } from '../files.js';
import { formatCount, plural } from '../format.js';
import { captureLogger } from '../output.js';
import { CONFIG_FILE, requireStoreDir, withStore } from '../store-access.js';

/** Plan, open (and absorb), compare: the steps of the progress report. */
const MIGRATE_STEPS = 3;

function planText(legacy: LegacyPlan): string {
  switch (legacy.status) {
    case 'none':
      return 'No legacy stats file (model-performance.json) in the store dir: nothing to migrate.';
    case 'invalid':
      return `${legacy.file} cannot be imported: ${legacy.reason}`;
    case 'valid':
      return `${legacy.file}: ${plural(legacy.pairs, 'task/model pair')} over ${plural(legacy.taskTypes, 'task type')}, ${formatCount(legacy.successes)} successes and ${formatCount(legacy.failures)} failures.`;
  }
}

async function dryRun(context: CommandContext): Promise<void> {
  const plan = await planMigration({ dir: context.global.dir });
  context.out.result({ dryRun: true, ...plan }, () => [
    planText(plan.legacy),
    ...(plan.legacy.status === 'valid' ? ['Dry run: nothing was written. Run `model-perf migrate` to import it.'] : []),
  ]);
}

/** Opening a SQLite store absorbs the legacy file; this reports what that open did. */
async function migrate(context: CommandContext): Promise<void> {
  const { dir } = context.global;
  // Without a dir there is nothing to migrate, and opening a store would create one in a mistyped path.
  requireStoreDir(context);
  // Without a legacy file there is nothing to report progress on: the open alone is quick.
  const nothingToImport = (await planMigration({ dir })).legacy.status === 'none';
  const { plan, after, info, archived, entries } = await context.out.track('migrate', (progress) =>
    openAndCompare(context, (done) => {
      if (!nothingToImport) progress.update(done, MIGRATE_STEPS);
    }),
  );
  const warnings = entries
    .filter((entry) => entry.level === 'warn' || entry.level === 'error')
    .map((entry) => entry.message);
  if (plan.legacy.status === 'valid' && info.backend === 'sqlite' && after.legacy.status !== 'none') {
    throw new CliError(
      'MP_MIGRATION_INCOMPLETE',
      `${plan.legacy.file} was not imported: ${warnings.join(' ') || 'it is still in place.'}`,
      'the file stays where it is, unchanged; fix the cause above and run `model-perf migrate` again.',
    );
  }
  const absorbed = plan.legacy.status === 'valid' && after.legacy.status === 'none';
  const messages = entries.filter((entry) => entry.level === 'info').map((entry) => entry.message);
  const result = {
    dryRun: false,
    dir,
    backend: info.backend,
    degraded: info.degraded,
    legacy: plan.legacy,
    absorbed,
    archived,
    messages,
    warnings,
  };
  context.out.result(result, () => {
    if (absorbed) {
      return [
        `Imported ${planText(plan.legacy)}`,
        `The original is kept in ${archived.join(', ')} for 7 days.`,
        ...messages,
      ];
    }
    if (plan.legacy.status === 'valid') {
      return [
        `The store runs on ${info.backend} here (${info.reason}): ${plan.legacy.file} stays in place and is imported when the store opens on SQLite.`,
      ];
    }
    return [planText(plan.legacy), ...messages];
  });
  for (const warning of warnings) context.out.warn(warning);
}

/** Plans, opens the store (which absorbs the legacy file on SQLite), and looks at what changed. */
async function openAndCompare(context: CommandContext, step: (done: number) => void) {
  const { dir } = context.global;
  step(0);
  const plan = await planMigration({ dir });
  if (plan.legacy.status === 'invalid') {
    throw new ModelPerfError('MP_INVALID_IMPORT', planText(plan.legacy), { file: plan.legacy.file });
  }
  step(1);
  const backups = join(dir, BACKUPS_DIR);
  const backupsBefore = new Set((await listDir(backups)).map((file) => file.path));
  const { logger, entries } = captureLogger();
  const info = await withStore(context, async (store) => store.info, { logger });
  step(2);
  const after = await planMigration({ dir });
  const archived = (await listDir(backups)).filter((file) => !backupsBefore.has(file.path)).map((file) => file.path);
  step(3);
  return { plan, after, info, archived, entries };
}

/** Rollback: the store's stats in the legacy nested format, for an older runtime to take over. */
async function rollback(context: CommandContext, file: string): Promise<void> {
  requireStoreDir(context);
  const stats = await context.out.track('export', (progress) =>
    withStore(context, async (store) => {
      const rows = await store.listStats();
      progress.update(0, rows.length);
      await exportLegacy({ store, file });
      progress.update(rows.length, rows.length);
      return rows;
    }),
  );
  const taskTypes = new Set(stats.map((entry) => entry.taskType)).size;
  context.out.result({ to: 'json', file, pairs: stats.length, taskTypes }, () => [
    `Wrote ${plural(stats.length, 'task/model pair')} over ${plural(taskTypes, 'task type')} to ${file} (legacy format).`,
  ]);
}

/** The PostgreSQL store to push into: never the offline fallback, since a push must reach the server or fail. */
function postgresTarget(context: CommandContext): OpenStoreOptions {
  const url = context.args.string('url');
  const schema = context.args.string('schema');
  return {
    backend: 'postgres',
    fallback: false,
    ...(url === undefined ? {} : { url }),
    ...(schema === undefined ? {} : { postgresSchema: schema }),
  };
}

/** Copies the local store (outcomes, imports with baselines, federated priors) into PostgreSQL, idempotently. */
async function pushToPostgres(context: CommandContext): Promise<void> {
  const { global, args, env } = context;
  requireStoreDir(context);
  const configured = existsSync(join(global.dir, CONFIG_FILE));
  if (args.string('url') === undefined && (env.MODEL_PERF_PG_URL ?? '') === '' && !configured) {
    throw usageError(
      '--to postgres needs the server: set MODEL_PERF_PG_URL=postgres://user@host:5432/db (or pass --url URL)',
      'migrate',
    );
  }
  if (global.backend === 'postgres') {
    throw usageError(
      '--to postgres reads the local store: --backend names its backend (auto, sqlite or json)',
      'migrate',
    );
  }
  // 'auto' as an option outranks a config file that points this dir's runtime at PostgreSQL.
  const local: OpenStoreOptions = { backend: global.backend ?? 'auto' };
  const { report, from, to } = await context.out.track('push', (progress) =>
    withStore(
      context,
      (source) =>
        withStore(
          context,
          async (server) => ({
            report: await pushToStore({
              from: source,
              to: server,
              onProgress: ({ phase, done, total }) => {
                if (phase === 'outcomes') progress.update(done, total);
              },
            }),
            from: source.info,
            to: server.info,
          }),
          postgresTarget(context),
        ),
      local,
    ),
  );
  const result = {
    to: 'postgres',
    location: to.location ?? null,
    from: { backend: from.backend, dir: global.dir },
    ...report,
  };
  context.out.result(result, () => [
    `Pushed ${plural(report.outcomes, 'outcome')}, ${plural(report.imports, 'new import')} and ` +
      `${plural(report.federatedSources, 'federated source')} from the ${from.backend} store in ${global.dir} ` +
      `to ${to.location ?? 'PostgreSQL'}.`,
    'Outcomes PostgreSQL had already count once; the local store is unchanged. Running it again adds nothing twice.',
  ]);
}

export const migrateCommand: Command = {
  name: 'migrate',
  summary:
    'import a legacy model-performance.json into SQLite, roll back to it (--to json), or push to PostgreSQL (--to postgres)',
  positionals: [{ name: 'file', required: false, description: 'with --to json: the file to write' }],
  options: {
    'dry-run': { type: 'boolean', description: 'say what would be imported; write nothing' },
    to: {
      type: 'string',
      value: 'json|postgres',
      description: 'json: write the stats in the legacy JSON format to FILE; postgres: push the store into PostgreSQL',
    },
    url: {
      type: 'string',
      value: 'URL',
      description: 'with --to postgres: the server (default $MODEL_PERF_PG_URL, the better place for a password)',
    },
    schema: {
      type: 'string',
      value: 'NAME',
      description: 'with --to postgres: the schema (default postgresSchema of the config file, else model_perf)',
    },
  },
  details: [
    'The legacy file is archived in backups/ (kept 7 days) once imported; a second run imports nothing twice.',
    '--to postgres copies outcomes (by id), imports with their baselines and federated priors; run it again at any time.',
  ],
  examples: [
    'model-perf migrate --dry-run',
    'model-perf migrate',
    'model-perf migrate --to json model-performance.json',
    'MODEL_PERF_PG_URL=postgres://runtime@db:5432/fleet model-perf migrate --to postgres',
  ],
  async run(context) {
    const { args } = context;
    const target = args.choice('to', ['json', 'postgres'] as const);
    const file = args.positional('file');
    if (target !== 'postgres') {
      for (const option of ['url', 'schema']) {
        if (args.string(option) !== undefined) throw usageError(`--${option} goes with --to postgres`, 'migrate');
      }
    }
    if (target === 'postgres') {
      args.exclusive('to', 'dry-run');
      if (file !== undefined)
        throw usageError(`Unexpected argument ${JSON.stringify(file)}: --to postgres takes no FILE`, 'migrate');
      return pushToPostgres(context);
    }
    if (target === undefined) {
      if (file !== undefined) {
        throw usageError(`Unexpected argument ${JSON.stringify(file)}: a FILE goes with --to json`, 'migrate');
      }
      return args.flag('dry-run') ? dryRun(context) : migrate(context);
    }
    args.exclusive('to', 'dry-run');
    if (file === undefined) throw usageError('Missing FILE: migrate --to json FILE', 'migrate');
    return rollback(context, file);
  },
};
