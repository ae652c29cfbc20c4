import { ModelPerfError } from './errors.js';
import type { PerformanceStore } from './store.js';
import type {
  ModelStats,
  Outcome,
  OutcomeInput,
  OutcomeQuery,
  StatsFilter,
  StoreInfo,
  SummaryQuery,
  SummaryRow,
} from './types.js';
import {
  checkName,
  type NormalizedOutcomeQuery,
  type NormalizedStatsFilter,
  type NormalizedSummaryQuery,
  normalizeOutcome,
  normalizeOutcomeQuery,
  normalizeOutcomes,
  normalizeStatsFilter,
  normalizeSummaryQuery,
} from './validation.js';

/**
 * Validation and the open/closed guard, written once for every backend (the abstract-level pattern):
 * public methods check their input and state, then call a small storage method that may assume both.
 */
export abstract class BaseStore implements PerformanceStore {
  abstract readonly info: StoreInfo;
  #closed = false;
  #closing: Promise<void> | undefined;
  readonly #inFlight = new Set<Promise<unknown>>();

  /** Writes validated outcomes in one transaction; returns, per input, the outcome now stored under its id. */
  protected abstract writeOutcomes(outcomes: readonly Outcome[]): Promise<Outcome[]>;
  protected abstract readStats(taskType: string, modelId: string): Promise<ModelStats | undefined>;
  protected abstract readStatsList(filter: NormalizedStatsFilter): Promise<ModelStats[]>;
  protected abstract readOutcomes(query: NormalizedOutcomeQuery): AsyncIterable<Outcome>;
  protected abstract readSummary(query: NormalizedSummaryQuery): Promise<SummaryRow[]>;
  /** Called once, after every operation in flight has settled. */
  protected abstract closeStorage(): Promise<void>;

  get closed(): boolean {
    return this.#closed;
  }

  record(outcome: OutcomeInput): Promise<Outcome> {
    return this.#run(async () => {
      const [stored] = await this.writeOutcomes([normalizeOutcome(outcome)]);
      if (stored === undefined) throw new Error('backend returned no outcome for a single record');
      return stored;
    });
  }

  recordMany(outcomes: readonly OutcomeInput[]): Promise<Outcome[]> {
    return this.#run(async () => {
      const normalized = normalizeOutcomes(outcomes);
      return normalized.length === 0 ? [] : this.writeOutcomes(normalized);
    });
  }

  getStats(taskType: string, modelId: string): Promise<ModelStats | undefined> {
    return this.#run(() =>
      this.readStats(
        checkName(taskType, 'taskType', 'MP_INVALID_QUERY'),
        checkName(modelId, 'modelId', 'MP_INVALID_QUERY'),
      ),
    );
  }

  listStats(filter?: StatsFilter): Promise<ModelStats[]> {
    return this.#run(() => this.readStatsList(normalizeStatsFilter(filter)));
  }

  outcomes(query?: OutcomeQuery): AsyncIterable<Outcome> {
    // An async iterable can only report errors from next(): the guard and validation run there,
    // before any storage is touched.
    const store = this;
    return {
      [Symbol.asyncIterator]: async function* () {
        store.#assertOpen();
        const normalized = normalizeOutcomeQuery(query);
        yield* store.readOutcomes(normalized);
      },
    };
  }

  summarize(query: SummaryQuery): Promise<SummaryRow[]> {
    return this.#run(() => this.readSummary(normalizeSummaryQuery(query)));
  }

  close(): Promise<void> {
    this.#closed = true;
    this.#closing ??= (async () => {
      await Promise.allSettled([...this.#inFlight]);
      await this.closeStorage();
    })();
    return this.#closing;
  }

  #assertOpen(): void {
    if (this.#closed) {
      throw new ModelPerfError(
        'MP_CLOSED',
        `The ${this.info.backend} store in ${this.info.dir} is closed; open a new one.`,
      );
    }
  }

  /** Runs an operation while tracking it, so that close() waits for it instead of cutting it off. */
  #run<T>(operation: () => Promise<T>): Promise<T> {
    try {
      this.#assertOpen();
    } catch (error) {
      return Promise.reject(error);
    }
    const pending = Promise.resolve().then(operation);
    this.#inFlight.add(pending);
    const forget = (): void => {
      this.#inFlight.delete(pending);
    };
    pending.then(forget, forget);
    return pending;
  }
}
