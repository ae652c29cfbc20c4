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
