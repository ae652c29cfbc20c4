import { join } from 'node:path';
import { collectDashboardData, renderDashboard, serveDashboard } from '../../dashboard/index.js';
import { ModelLearner } from '../../index.js';
import { definedOnly, PORT, TREND_DAYS } from '../arguments.js';
import type { Command, CommandContext } from '../command.js';
import { usageError } from '../errors.js';
import { writeTextFile } from '../files.js';
import { untilStopSignal } from '../run.js';
import { requireStoreDir, storeOptions, withLearner } from '../store-access.js';

export const DASHBOARD_FILE = 'dashboard.html';

async function writeDashboard(context: CommandContext, file: string, days: number | undefined): Promise<void> {
  const html = await withLearner(context, async (learner) =>
    renderDashboard(await collectDashboardData(learner, definedOnly({ days }))),
  );
  const path = await writeTextFile(file, html);
  context.out.result({ file: path }, () => [path]);
}

/** Serves until SIGINT or SIGTERM, then closes the server and the store and exits 0. */
async function serve(context: CommandContext, port: number | undefined, days: number | undefined): Promise<void> {
  const learner = await ModelLearner.open(storeOptions(context));
  try {
    const server = await serveDashboard({ learner, ...definedOnly({ port, days }) });
    context.out.result({ url: server.url }, () => [server.url]);
    context.out.note('Serving the dashboard; it reloads when the store changes. Ctrl-C stops it.');
    const signal = await untilStopSignal();
    await server.close();
    context.out.note(`Stopped (${signal}).`);
  } finally {
    await learner.close();
  }
}

export const dashboardCommand: Command = {
  name: 'dashboard',
  summary: 'write the HTML dashboard to a file, or serve it on 127.0.0.1',
  positionals: [],
  options: {
    out: { type: 'string', value: 'FILE', description: `where to write it (default <dir>/${DASHBOARD_FILE})` },
    serve: { type: 'boolean', description: 'serve it on 127.0.0.1 until Ctrl-C, refreshing as the store changes' },
    port: { type: 'string', value: 'N', description: 'with --serve: the port (default 0: any free port)' },
    days: { type: 'string', value: 'N', description: 'days of the trend charts (default 30)' },
  },
  details: ['The page is self-contained: inline SVG charts, no script unless served, nothing fetched from elsewhere.'],
  examples: [
    'model-perf dashboard',
    'model-perf dashboard --out report.html',
    'model-perf dashboard --serve --port 8123',
  ],
  async run(context) {
    const { args } = context;
    args.exclusive('out', 'serve');
    const port = args.number('port', PORT);
    const days = args.number('days', TREND_DAYS);
    const serving = args.flag('serve');
    if (!serving && port !== undefined) throw usageError('--port goes with --serve', 'dashboard');
    requireStoreDir(context);
    if (serving) return serve(context, port, days);
    return writeDashboard(context, args.string('out') ?? join(context.global.dir, DASHBOARD_FILE), days);
  },
};
