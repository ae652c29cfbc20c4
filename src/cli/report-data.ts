import { type ABTestCandidates, isValidName, type ModelLearner, type RankedModel, type StoreInfo } from '../index.js';

export interface ModelVerdict extends RankedModel {
  /** Position in the learner's ranking; null when the model has too few samples to be ranked. */
  rank: number | null;
  demote: boolean;
  demotionReason: string;
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
  tasks: TaskReport[];
  /** Task types whose stored names would not pass as input (a store dir is untrusted): listed, not queried. */
  skippedTaskTypes: string[];
}

/** The verdict on a model whose stored name would not pass as input: it is shown, never queried. */
const UNJUDGED = { demote: false, reason: 'not judged: its stored name is not a valid model id' };

async function reportTask(learner: ModelLearner, taskType: string): Promise<TaskReport> {
  const [ranked, everyModel, abTest] = await Promise.all([
    learner.getRankedModels(taskType),
    // minSamples 1: the models below the ranking's gate still deserve a row, marked as such.
    learner.getRankedModels(taskType, { minSamples: 1 }),
    learner.getABTestCandidates(taskType),
  ]);
  const rankedIds = new Set(ranked.map((model) => model.modelId));
  const ordered = [...ranked, ...everyModel.filter((model) => !rankedIds.has(model.modelId))];
  const models = await Promise.all(
    ordered.map(async (model, index): Promise<ModelVerdict> => {
      const decision = isValidName(model.modelId) ? await learner.shouldDemote(taskType, model.modelId) : UNJUDGED;
      return {
        ...model,
        rank: rankedIds.has(model.modelId) ? index + 1 : null,
        demote: decision.demote,
        demotionReason: decision.reason,
      };
    }),
  );
  return { taskType, samples: models.reduce((sum, model) => sum + model.samples, 0), models, abTest };
}

/** Every task type of the store: its ranking, demotion verdicts and A/B pair, as a runtime would see them. */
export async function collectReport(learner: ModelLearner): Promise<StoreReport> {
  const taskTypes = [...new Set((await learner.store.listStats()).map((stats) => stats.taskType))];
  const tasks: TaskReport[] = [];
  for (const taskType of taskTypes.filter(isValidName)) tasks.push(await reportTask(learner, taskType));
  const skippedTaskTypes = taskTypes.filter((taskType) => !isValidName(taskType));
  return { dir: learner.store.info.dir, backend: learner.store.info.backend, tasks, skippedTaskTypes };
}
