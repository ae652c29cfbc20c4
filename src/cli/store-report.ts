// The report of a whole store: what it holds per task type and model, and its text for the terminal.

import {
  type ABTestCandidates,
  DEFAULT_RECENT_DAYS,
  isValidName,
  type ModelLearner,
  type RankedModel,
  type RecentRate,
  recentRates,
  type StoreInfo,
} from '../index.js';
import { formatPercent, plural } from './format.js';
import type { Painter } from './output.js';
import { formatRanking, type RecentView, rankingFootnote } from './ranking-table.js';
import type { Cell } from './table.js';

export interface ModelVerdict extends RankedModel {
  /** Position in the learner's ranking; null when the model has too few samples to be ranked. */
  rank: number | null;
  demote: boolean;
  demotionReason: string;
  /** The rate over the recent window next to all time, and its drift flag. */
  recent: RecentRate | null;
}

export interface TaskReport {
  taskType: string;
  samples: number;
  /** Ranked models first, best first; then the models with too few samples. */
  models: ModelVerdict[];
  abTest: ABTestCandidates | null;
}

export interface StoreReport {
  dir: string;
  backend: StoreInfo['backend'];
  /** The recent window, in days: --window-days, else DEFAULT_RECENT_DAYS. */
  windowDays: number;
  /** True when ranking, demotion and A/B pair count only the window (--window-days was given). */
  ranksOnWindow: boolean;
  tasks: TaskReport[];
  /** Task types whose stored names would not pass as input (a store dir is untrusted): listed, not queried. */
  skippedTaskTypes: string[];
}

/** The verdict on a model whose stored name would not pass as input: it is shown, never queried. */
const UNJUDGED = { demote: false, reason: 'not judged: its stored name is not a valid model id' };

export interface ReportOptions {
  /** Rank, demote and pick the A/B pair on the last N days only; default all time. */
  windowDays?: number;
}

async function reportTask(learner: ModelLearner, taskType: string, options: ReportOptions): Promise<TaskReport> {
  const window = options.windowDays === undefined ? {} : { windowDays: options.windowDays };
  const [ranked, everyModel, abTest, rates] = await Promise.all([
    learner.getRankedModels(taskType, window),
    // minSamples 1: the models below the ranking's gate still deserve a row, marked as such.
    learner.getRankedModels(taskType, { minSamples: 1, ...window }),
    learner.getABTestCandidates(taskType, window),
    recentRates(learner, taskType, options.windowDays ?? DEFAULT_RECENT_DAYS),
  ]);
  const rankedIds = new Set(ranked.map((model) => model.modelId));
  const ordered = [...ranked, ...everyModel.filter((model) => !rankedIds.has(model.modelId))];
  const models = await Promise.all(
    ordered.map(async (model, index): Promise<ModelVerdict> => {
      const decision = isValidName(model.modelId)
        ? await learner.shouldDemote(taskType, model.modelId, window)
        : UNJUDGED;
      return {
        ...model,
        rank: rankedIds.has(model.modelId) ? index + 1 : null,
        demote: decision.demote,
        demotionReason: decision.reason,
        recent: rates.get(model.modelId) ?? null,
      };
    }),
  );
  return { taskType, samples: models.reduce((sum, model) => sum + model.samples, 0), models, abTest };
}

/** Every task type of the store: its ranking, demotion verdicts and A/B pair, as a runtime would see them. */
export async function collectReport(learner: ModelLearner, options: ReportOptions = {}): Promise<StoreReport> {
  const taskTypes = [...new Set((await learner.store.listStats()).map((stats) => stats.taskType))];
  const tasks: TaskReport[] = [];
  for (const taskType of taskTypes.filter(isValidName)) tasks.push(await reportTask(learner, taskType, options));
  return {
    dir: learner.store.info.dir,
    backend: learner.store.info.backend,
    windowDays: options.windowDays ?? DEFAULT_RECENT_DAYS,
    ranksOnWindow: options.windowDays !== undefined,
    tasks,
    skippedTaskTypes: taskTypes.filter((taskType) => !isValidName(taskType)),
  };
}

function statusCell(task: TaskReport, model: ModelVerdict): Cell {
  if (model.demote) return { text: 'demote', style: 'red' };
  if (task.abTest?.challenger.modelId === model.modelId) return { text: 'A/B challenger', style: 'cyan' };
  if (model.rank === null) return { text: 'too few samples', style: 'dim' };
  return model.rank === 1 ? { text: 'incumbent', style: 'green' } : '';
}

/** Why a model is flagged for drift, in numbers: the recent rate against the one before the window. */
function driftNote(model: ModelVerdict): string | undefined {
  const recent = model.recent;
  if (recent === null || recent.drift === null || recent.successRate === null || recent.olderSuccessRate === null) {
    return undefined;
  }
  const direction = recent.drift === 'down' ? 'fell' : 'rose';
  return `${model.modelId} ${direction} to ${formatPercent(recent.successRate)} in the last ${plural(recent.windowDays, 'day')} (${plural(recent.samples, 'sample')}), from ${formatPercent(recent.olderSuccessRate)} before (p = ${recent.pValue?.toPrecision(2)}).`;
}

function taskLines(task: TaskReport, view: RecentView, paint: Painter): string[] {
  const heading = `${paint(['bold', 'underline'], task.taskType)}  ${paint('dim', `${plural(task.samples, 'outcome')}, ${plural(task.models.length, 'model')}`)}`;
  const table = formatRanking(task.models, paint, {
    rank: (model) => (model.rank === null ? '–' : String(model.rank)),
    status: { header: 'status', cell: (model) => statusCell(task, model) },
    recent: view,
  });
  const drifts = task.models.flatMap((model) => {
    const note = driftNote(model);
    return note === undefined ? [] : [`${paint(model.recent?.drift === 'down' ? 'red' : 'green', 'drift')}   ${note}`];
  });
  const notes = [
    ...(task.abTest === null ? [] : [`${paint('cyan', 'A/B')}     ${task.abTest.reason}`]),
    ...task.models.filter((model) => model.demote).map((model) => `${paint('red', 'demote')}  ${model.demotionReason}`),
    ...drifts,
  ];
  return [heading, ...table, ...(notes.length > 0 ? ['', ...notes] : [])];
}

export function formatReport(report: StoreReport, paint: Painter): string[] {
  const skipped = report.skippedTaskTypes.map(
    (taskType) =>
      `${paint('yellow', 'skipped')} task type ${JSON.stringify(taskType)}: its stored name is not a valid task type`,
  );
  return [...taskReports(report, paint), ...(skipped.length > 0 ? ['', ...skipped] : [])];
}

function taskReports(report: StoreReport, paint: Painter): string[] {
  if (report.tasks.length === 0) {
    return [
      `The store in ${report.dir} has no outcomes yet: record some with \`model-perf record\`, or try \`model-perf demo\`.`,
    ];
  }
  const view = (task: TaskReport): RecentView => ({
    rates: new Map(task.models.flatMap((model) => (model.recent === null ? [] : [[model.modelId, model.recent]]))),
    windowDays: report.windowDays,
    ranksOnWindow: report.ranksOnWindow,
  });
  return [
    ...report.tasks.flatMap((task, index) => [...(index === 0 ? [] : ['']), ...taskLines(task, view(task), paint)]),
    '',
    paint('dim', rankingFootnote(report)),
  ];
}
