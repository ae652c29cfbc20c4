import { join } from 'node:path';
import { BACKUPS_DIR, pruneBackups } from '../../migrate/index.js';
import { NON_NEGATIVE } from '../arguments.js';
import type { Command, CommandContext } from '../command.js';
import { usageError } from '../errors.js';
import { type FileEntry, listDir } from '../files.js';
import { formatBytes, formatTimestamp, plural } from '../format.js';
import { formatTable } from '../table.js';

const ACTIONS = ['list', 'prune'] as const;

function formatBackups(dir: string, backups: readonly FileEntry[], context: CommandContext): string[] {
  if (backups.length === 0) return [`No backups in ${dir}.`];
  const rows = backups.map((file) => [file.name, formatBytes(file.bytes), formatTimestamp(file.modified)]);
  return formatTable(
    [{ header: 'file', maxWidth: 80 }, { header: 'size', align: 'right' }, { header: 'modified (UTC)' }],
    rows,
    context.out.paint,
  );
}

async function list(context: CommandContext): Promise<void> {
  const dir = join(context.global.dir, BACKUPS_DIR);
  const backups = await listDir(dir);
  context.out.result({ dir, backups }, () => formatBackups(dir, backups, context));
}

async function prune(context: CommandContext, retentionDays: number | undefined): Promise<void> {
  const removed = await pruneBackups({
    dir: context.global.dir,
    ...(retentionDays === undefined ? {} : { retentionDays }),
  });
  context.out.result({ removed }, () =>
    removed.length === 0
      ? ['Nothing to prune: no archive is older than the retention.']
      : [`Removed ${plural(removed.length, 'archive')}:`, ...removed.map((path) => `  ${path}`)],
  );
}

export const backupsCommand: Command = {
  name: 'backups',
  summary: 'list the backups of the store, or prune the archives older than the retention',
  positionals: [{ name: 'action', required: false, description: 'list (default) or prune' }],
  options: {
    'retention-days': {
      type: 'string',
      value: 'N',
      description: 'prune: keep archives younger than N days (default 7)',
    },
  },
  details: [
    'backups/ holds archived legacy files and quarantined corrupt files. Prune removes only archives of',
    'imports that were recorded; quarantined files stay until you remove them yourself.',
  ],
  examples: ['model-perf backups', 'model-perf backups prune --retention-days 14'],
  async run(context) {
    const { args } = context;
    const action = args.positional('action') ?? 'list';
    if (!(ACTIONS as readonly string[]).includes(action)) {
      throw usageError(`Unknown action ${JSON.stringify(action)}: expected ${ACTIONS.join(' or ')}`, 'backups');
    }
    const retentionDays = args.number('retention-days', NON_NEGATIVE);
    if (action === 'list') {
      if (retentionDays !== undefined) throw usageError('--retention-days goes with `backups prune`', 'backups');
      return list(context);
    }
    return prune(context, retentionDays);
  },
};
