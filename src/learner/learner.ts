import { describeError, isModelPerfError, ModelPerfError } from '../core/errors.js';
import type { OpenStoreOptions } from '../core/options.js';
import type { PerformanceStore } from '../core/store.js';
import type { ModelStats, OutcomeInput } from '../core/types.js';
import { checkName } from '../core/validation.js';
import { openStore } from '../open/open-store.js';
import { type ABTestCandidates, pickABTestCandidates } from './ab-test.js';
import {
  type Choice,
  type ChooseOptions,
  checkCandidates,
  decideChoice,
  firstCandidateChoice,
  readChooseOptions,
} from './choose-policy.js';
import { buildComparison, type CompareOptions, type Comparison, readCompareOptions } from './compare.js';
import { type DemotionDecision, type DemotionOptions, decideDemotion, readDemotionOptions } from './demotion.js';
import {
  buildStatsDocument,
  loadPriors,
  type Prior,
  parseStatsDocument,
  type StatsDocument,
  storeSourceId,
  withPriorOnlyModels,
} from './federated.js';
import { loadTaskStats, type TaskStats, windowStart } from './model-stats-source.js';
import { OptionReader } from './option-reader.js';
import { type LearnerPolicy, type ResolvedPolicy, resolvePolicy } from './policy.js';
import { type RankedModel, type RankingOptions, type RankingQuery, rankModels, readRankingOptions } from './ranking.js';
import { buildTrend, readTrendWindow, type TrendOptions, type TrendPoint } from './trend.js';

/** What the runtime knows about one dispatch besides its task type and model. */
export type OutcomeDetails = Omit<OutcomeInput, 'taskType' | 'modelId'>;

/** openStore's options, plus the policy of the learner over the store. */
export interface LearnerOpenOptions extends OpenStoreOptions {
  /** The learner's defaults; its logger defaults to the store's. */
  policy?: LearnerPolicy;
}

export interface ExportOptions {
  /** Pairs with fewer samples stay private: too few to teach anyone. Default 10. */
  minSamples?: number;
}

/** What importStats took in. */
export interface ImportedStats {
  sourceId: string;
  /** How many entries the source now has in this store (its earlier ones were replaced). */
  entries: number;
}

/** A ranking's input: the task's stats, and the federated priors to add when the query asks for them. */
interface RankingInput extends TaskStats {
  priors: ReadonlyMap<string, Prior>;
}

const STORE_METHODS = [
  'record',
  'recordMany',
  'getStats',
  'listStats',
  'outcomes',
  'summarize',
  'listFederated',
  'replaceFederated',
  'close',
] as const;

function isPerformanceStore(value: unknown): value is PerformanceStore {
  return (
    typeof value === 'object' &&
    value !== null &&
    STORE_METHODS.every((method) => typeof (value as Record<string, unknown>)[method] === 'function')
  );
}

/** A caller's value for a log line, whatever its type: bad input must not make the report itself fail. */
function label(value: unknown): string {
  if (typeof value !== 'string') return `(${value === null ? 'null' : typeof value})`;
  return JSON.stringify(value.length > 60 ? `${value.slice(0, 60)}…` : value);
}

/**
 * The questions an agent runtime asks before it dispatches a task, answered from a PerformanceStore:
 * which model is best, should one be demoted, which challenger deserves a trial, how did each do.
 * Queries validate their options and reject with ModelPerfError (MP_INVALID_QUERY, MP_CLOSED, ...);
 * recording never rejects.
 */
export class ModelLearner {
  readonly store: PerformanceStore;
  readonly #policy: ResolvedPolicy;

  constructor(store: PerformanceStore, policy?: LearnerPolicy) {
    if (!isPerformanceStore(store)) {
      throw new TypeError(
        'ModelLearner: expected a PerformanceStore (from openStore, openSqliteStore or openJsonStore)',
      );
    }
    this.store = store;
    this.#policy = resolvePolicy(policy);
  }

  /** Opens a store with openStore, and a learner over it that owns the store (close() closes it). */
  static async open(options: LearnerOpenOptions = {}): Promise<ModelLearner> {
    const { policy, ...storeOptions } = options;
    // Checked before the store opens, so that a bad policy does not leave a store open behind it.
    resolvePolicy(policy);
    const store = await openStore(storeOptions);
    return new ModelLearner(store, { ...(options.logger === undefined ? {} : { logger: options.logger }), ...policy });
  }

  /**
   * Records one outcome; resolves true when it is stored, false when it is not (bad input, closed store,
   * storage failure), which goes to the policy's logger. It never throws or rejects, whatever it is
   * given: a learning bug must not crash the task it learns from. An arrow property, so that a
   * detached call (`const record = learner.recordOutcome`) keeps its learner.
   */
  readonly recordOutcome = async (taskType: string, modelId: string, details: OutcomeDetails): Promise<boolean> => {
    try {
      const outcome: OutcomeInput = { ...details, taskType, modelId };
      outcome.timestamp ??= this.#policy.now();
      await this.store.record(outcome);
      return true;
    } catch (error) {
      this.#reportUnrecorded(taskType, modelId, error);
      return false;
    }
  };

  /**
   * The decision before a dispatch: which of `candidates` (the models the runtime can dispatch now) to
   * use for one task of `taskType`. Thompson sampling on each candidate's success rate, on its recent
   * outcomes when they drift from its long-run record (see choose-policy.ts), so that concurrent callers
   * spread over the models that could be best and a never-seen candidate gets trials. Bad arguments
   * reject with MP_INVALID_QUERY; a store that cannot be read never blocks the dispatch: the failure is
   * logged and the first candidate (the runtime's own preference) is chosen, as `reason` says.
   */
  async choose(taskType: string, candidates: readonly string[], options?: ChooseOptions): Promise<Choice> {
    const task = checkName(taskType, 'taskType', 'MP_INVALID_QUERY');
    const names = checkCandidates(candidates);
    const query = readChooseOptions(options);
    let models: Map<string, ModelStats>;
    let priors: ReadonlyMap<string, Prior> | undefined;
    try {
      models = new Map((await this.store.listStats({ taskType: task })).map((stats) => [stats.modelId, stats]));
      priors = query.includeFederated ? await loadPriors(this.store, task) : undefined;
    } catch (error) {
      const problem = describeError(error);
      this.#log(
        'error',
        `choose() could not read the stats of ${label(task)}; it chose the first candidate: ${problem}`,
      );
      return firstCandidateChoice(names, `the store could not be read (${problem})`);
    }
    return decideChoice({
      taskType: task,
      candidates: names,
      models,
      ...(priors === undefined ? {} : { priors }),
      options: query,
    });
  }

  /** Models with at least minSamples samples, best first (see RankingOptions). */
  async getRankedModels(taskType: string, options?: RankingOptions): Promise<RankedModel[]> {
    const task = checkName(taskType, 'taskType', 'MP_INVALID_QUERY');
    const query = readRankingOptions(options, this.#policy);
    const { stats, priors, stale } = await this.#rankingInput(task, query);
    return rankModels(stats, query, priors, stale);
  }

  async shouldDemote(taskType: string, modelId: string, options?: DemotionOptions): Promise<DemotionDecision> {
    const task = checkName(taskType, 'taskType', 'MP_INVALID_QUERY');
    const model = checkName(modelId, 'modelId', 'MP_INVALID_QUERY');
    const query = readDemotionOptions(options, this.#policy);
    return decideDemotion(task, model, await loadTaskStats(this.store, task, this.#since(query.windowDays)), query);
  }

  /** The incumbent and the challenger most worth a trial; null with fewer than two models. */
  async getABTestCandidates(taskType: string, options?: RankingOptions): Promise<ABTestCandidates | null> {
    const task = checkName(taskType, 'taskType', 'MP_INVALID_QUERY');
    const query = readRankingOptions(options, this.#policy);
    const { stats, priors, stale } = await this.#rankingInput(task, query);
    // The incumbent is judged as shouldDemote would at the policy's defaults, over the ranking's window.
    const demotion = readDemotionOptions(
      { confidence: query.confidence, ...(query.windowDays === undefined ? {} : { windowDays: query.windowDays }) },
      this.#policy,
    );
    return pickABTestCandidates(task, { stats, stale }, query, demotion, priors);
  }

  /** Per-model results over a period (an A/B trial), with the significance of the lead. */
  async compare(taskType: string, options: CompareOptions): Promise<Comparison> {
    const task = checkName(taskType, 'taskType', 'MP_INVALID_QUERY');
    const query = readCompareOptions(options);
    const rows = await this.store.summarize({
      groupBy: 'model',
      taskType: task,
      since: query.since,
      ...(query.until === undefined ? {} : { until: query.until }),
      ...(query.models === undefined ? {} : { models: query.models }),
    });
    return buildComparison(rows, query);
  }

  /** Daily attempts, wins and success rate per model over the last `days` UTC days, today included. */
  async trend(taskType: string, options?: TrendOptions): Promise<TrendPoint[]> {
    const task = checkName(taskType, 'taskType', 'MP_INVALID_QUERY');
    const window = readTrendWindow(options, this.#policy);
    const rows = await this.store.summarize({
      groupBy: 'day+model',
      taskType: task,
      since: window.since,
      until: window.until,
    });
    return buildTrend(rows, window);
  }

  /**
   * This store's aggregates for other installations: pairs with at least minSamples samples, no raw
   * outcomes, under this store's stable id. Federated priors it imported are never re-exported.
   */
  async exportStats(options?: ExportOptions): Promise<StatsDocument> {
    const minSamples = new OptionReader(options, ['minSamples'], 'MP_INVALID_QUERY').integer('minSamples', 10);
    const stats = await this.store.listStats({ minSamples });
    return buildStatsDocument(await storeSourceId(this.store), this.#policy.now(), stats);
  }

  /**
   * Takes in another installation's export as federated priors, replacing what that source sent
   * before. They never change this store's stats; getRankedModels adds them only when asked
   * (includeFederated). Rejects with MP_INVALID_IMPORT, naming what is wrong, a document that is not a
   * valid export (see federated-document.ts) or that is this store's own.
   */
  async importStats(document: unknown): Promise<ImportedStats> {
    const { sourceId, exportedAt, entries } = parseStatsDocument(document);
    if (sourceId === (await storeSourceId(this.store))) {
      throw new ModelPerfError(
        'MP_INVALID_IMPORT',
        `The stats document comes from this store itself (source ${sourceId}): importing it would count its own data twice.`,
        { field: 'sourceId' },
      );
    }
    await this.store.replaceFederated({ id: sourceId, exportedAt }, entries);
    return { sourceId, entries: entries.length };
  }

  /** Closes the store: a learner from ModelLearner.open owns the store it opened. */
  close(): Promise<void> {
    return this.store.close();
  }

  async #rankingInput(taskType: string, query: RankingQuery): Promise<RankingInput> {
    const { stats, stale } = await loadTaskStats(this.store, taskType, this.#since(query.windowDays));
    if (!query.includeFederated) return { stats, stale, priors: new Map() };
    const priors = await loadPriors(this.store, taskType);
    return { stats: withPriorOnlyModels(taskType, stats, priors), stale, priors };
  }

  #since(windowDays: number | undefined): string | undefined {
    return windowDays === undefined ? undefined : windowStart(this.#policy.now(), windowDays);
  }

  #reportUnrecorded(taskType: unknown, modelId: unknown, error: unknown): void {
    const message = `The outcome of ${label(modelId)} on ${label(taskType)} was not recorded: ${describeError(error)}`;
    // Bad input and a closed store are the caller's to fix; anything else is a storage failure.
    const callersFault = isModelPerfError(error, 'MP_INVALID_OUTCOME') || isModelPerfError(error, 'MP_CLOSED');
    this.#log(callersFault ? 'warn' : 'error', message);
  }

  #log(level: 'warn' | 'error', message: string): void {
    try {
      this.#policy.logger[level](message);
    } catch {
      // A logger that throws must not turn a lost outcome or a dispatch decision into a crashed task.
    }
  }
}
