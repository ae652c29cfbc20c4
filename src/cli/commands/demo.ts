import { mkdir, rm, writeFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { performance } from 'node:perf_hooks';
import { listDirIfExists } from '../../core/durable-files.js';
import { collectDashboardData, renderDashboard } from '../../dashboard/index.js';
import { ModelLearner } from '../../index.js';
import type { Command, CommandContext } from '../command.js';
import {
  type DegradationStory,
  degradationStory,
  SIMULATED_DAYS,
  type SimulationClock,
  simulate,
} from '../demo/simulate.js';
import { MODELS, TASKS } from '../demo/world.js';
import { CliError } from '../errors.js';
import { writeTextFile } from '../files.js';
import { formatCount, formatPercent } from '../format.js';
import { storeOptions } from '../store-access.js';
import { collectReport, formatReport } from '../store-report.js';
import { DASHBOARD_FILE } from './dashboard.js';

/** Its own dir, not $MODEL_PERF_DIR: a demo must never mix simulated outcomes into a real store. */
const DEMO_DIR = '.model-perf-demo';
const DEFAULT_SEED = 42;

function storyLine(story: DegradationStory): string {
  return `${story.modelId} degraded on day ${story.fromDay}: the runtime gave it ${formatPercent(story.shareBefore)} of the ${story.taskType} calls in the week before, ${formatPercent(story.shareAfter)} in the last week.`;
}

function seconds(ms: number): string {
  return `${(ms / 1000).toFixed(1)} s`;
}

async function runDemo(context: CommandContext, dir: string, seed: number) {
  const started = performance.now();
  const clock: SimulationClock = { now: new Date() };
  const learner = await ModelLearner.open({ ...storeOptions(context), dir, policy: { now: () => clock.now } });
  try {
    // Ends at the current hour, so that the 30 simulated days are the last 30 days of every chart.
    const end = new Date(Math.floor(Date.now() / 3_600_000) * 3_600_000);
    const dispatches = await context.out.track('simulate', (progress) =>
      simulate({ learner, clock, seed, end, onHour: (hour, hours) => progress.update(hour, hours) }),
    );
    const simulatedMs = performance.now() - started;
    const report = await collectReport(learner);
    const dashboard = await writeTextFile(
      join(dir, DASHBOARD_FILE),
      renderDashboard(await collectDashboardData(learner), { title: 'model-perf demo' }),
    );
    return {
      dir,
      backend: learner.store.info.backend,
      seed,
      days: SIMULATED_DAYS,
      taskTypes: TASKS.length,
      models: MODELS.length,
      outcomes: dispatches.length,
      degradation: degradationStory(dispatches, SIMULATED_DAYS),
      simulatedMs: Math.round(simulatedMs),
      elapsedMs: Math.round(performance.now() - started),
      report,
      dashboard,
    };
  } finally {
    await learner.close();
  }
}

export const demoCommand: Command = {
  name: 'demo',
  summary: 'simulate an agent runtime for 30 days into a fresh store, then show the report and dashboard',
  positionals: [],
  options: {
    seed: {
      type: 'string',
      value: 'N',
      description: `the simulation's seed: the same seed, the same outcomes (default ${DEFAULT_SEED})`,
    },
    force: { type: 'boolean', description: "add the demo's outcomes to a --dir that already holds a store" },
  },
  globalDescriptions: { dir: `where the demo store goes (default ${DEMO_DIR}; never $MODEL_PERF_DIR)` },
  details: [
    `8 models with different true success rates, costs and latencies answer 4 task types; one degrades on day 15.`,
    'Every few simulated hours the runtime asks the learner for its ranking and A/B challenger, as a real one would.',
    `The store goes to --dir, default ${DEMO_DIR} (not $MODEL_PERF_DIR). A store made by an earlier demo is`,
    'replaced; any other is refused unless --force, which adds the outcomes and deletes nothing.',
  ],
  examples: ['model-perf demo', 'model-perf demo --dir /tmp/demo --seed 7 --json'],
  async run(context) {
    const { args, global, out } = context;
    const seed = args.number('seed', { integer: true }) ?? DEFAULT_SEED;
    const dir = global.dirGiven ? global.dir : resolve(DEMO_DIR);
    const state = await prepareDemoDir(dir, args.flag('force'), seed);
    if (state === 'replaced') out.note(`Replacing the previous demo store in ${dir}.`);
    const result = await runDemo(context, dir, seed);
    out.result({ ...result, dirState: state }, () => [
      `Simulated ${formatCount(result.outcomes)} dispatches over ${result.days} days (${result.taskTypes} task types, ${result.models} models, seed ${seed}) on ${result.backend} in ${seconds(result.simulatedMs)}.`,
      storyLine(result.degradation),
      '',
      ...formatReport(result.report, out.paint),
      '',
      `Dashboard: ${result.dashboard}`,
      `Store:     ${dir}  (try \`model-perf report --dir ${dir}\`)`,
      `Finished in ${seconds(result.elapsedMs)}.`,
    ]);
  },
};

/** Marks a store the demo made, and so may replace on its next run; no other store is ever deleted. */
const MARKER = 'model-perf-demo.json';

export type DemoDirState = 'new' | 'replaced' | 'shared';

/**
 * Makes the demo's store dir fresh: a missing or empty dir is used, a previous demo's store is
 * replaced, and any other store is refused unless `force`, which adds the demo's outcomes to it
 * (deleting nothing, and leaving no marker that would let a later demo delete it).
 */
export async function prepareDemoDir(dir: string, force: boolean, seed: number): Promise<DemoDirState> {
  const entries = await listDirIfExists(dir);
  if (entries.length > 0 && !entries.includes(MARKER)) {
    if (force) return 'shared';
    throw new CliError(
      'MP_DIR_IN_USE',
      `${dir} already holds files that the demo did not make`,
      'pass a new or empty --dir, or --force to add the demo outcomes to this store (nothing is deleted).',
    );
  }
  const replaced = entries.length > 0;
  if (replaced) await rm(dir, { recursive: true, force: true });
  await mkdir(dir, { recursive: true });
  await writeFile(join(dir, MARKER), `${JSON.stringify({ createdBy: 'model-perf demo', seed }, null, 2)}\n`);
  return replaced ? 'replaced' : 'new';
}
