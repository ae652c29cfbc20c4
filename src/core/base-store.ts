import type { BaselineEntry, BaselineRecord, ImportRecord, ImportSource } from './baselines.js';
import { ModelPerfError } from './errors.js';
import type { FederatedEntry, FederatedFilter, FederatedSource } from './federated.js';
import { normalizeBaselineEntries, normalizeFederatedSource, normalizeImportSource } from './import-validation.js';
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
  normalizeFederatedFilter,
  normalizeOutcome,
  normalizeOutcomeQuery,
  normalizeOutcomes,
  normalizeStatsFilter,
  normalizeSummaryQuery,
} from './validation.js';
import { type VerifyReport, verifyStore } from './verify.js';

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
  /**
   * One transaction: false when the source is recorded already; else records it, adds the entries to
   * the stats, keeps them as baselines, checks parity (checkImportParity) and returns true.
   */
  protected abstract writeBaselines(
    source: ImportSource,
    entries: readonly BaselineEntry[],
    now: Date,
  ): Promise<boolean>;
  /** Records the source unless it is recorded already; true when it was new. */
  protected abstract writeImportRecord(source: ImportSource, now: Date): Promise<boolean>;
  /** Sorted by importedAt, then id. */
  protected abstract readImports(): Promise<ImportRecord[]>;
  /** Sorted by taskType, modelId, sourceId. */
  protected abstract readBaselines(): Promise<BaselineRecord[]>;
  /** One transaction: the source's entries are these afterwards, whatever they were before. */
  protected abstract writeFederated(
    source: FederatedSource,
    entries: readonly BaselineEntry[],
    now: Date,
  ): Promise<void>;
  /** Sorted by taskType, modelId, sourceId. */
  protected abstract readFederated(filter: FederatedFilter): Promise<FederatedEntry[]>;
  /**
   * The backend's own check of its storage (for verify): one sentence per problem, none when sound. It
   * must change nothing, and report damage it finds rather than throw.
   */
  protected abstract checkIntegrity(): Promise<string[]>;
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

  importBaselines(source: ImportSource, entries: readonly BaselineEntry[]): Promise<boolean> {
    return this.#run(() =>
      this.writeBaselines(normalizeImportSource(source), normalizeBaselineEntries(entries), new Date()),
    );
  }

  recordImport(source: ImportSource): Promise<boolean> {
    return this.#run(() => this.writeImportRecord(normalizeImportSource(source), new Date()));
  }

  listImports(): Promise<ImportRecord[]> {
    return this.#run(() => this.readImports());
  }

  listBaselines(): Promise<BaselineRecord[]> {
    return this.#run(() => this.readBaselines());
  }

  replaceFederated(source: FederatedSource, entries: readonly BaselineEntry[]): Promise<void> {
    return this.#run(() =>
      this.writeFederated(normalizeFederatedSource(source), normalizeBaselineEntries(entries), new Date()),
    );
  }

  listFederated(filter?: FederatedFilter): Promise<FederatedEntry[]> {
    return this.#run(() => this.readFederated(normalizeFederatedFilter(filter)));
  }

  verify(): Promise<VerifyReport> {
    return this.#run(() =>
      verifyStore({
        backend: this.info.backend,
        checkIntegrity: () => this.checkIntegrity(),
        readStats: () => this.readStatsList(normalizeStatsFilter(undefined)),
        readOutcomes: () => this.readOutcomes(normalizeOutcomeQuery(undefined)),
        readBaselines: () => this.readBaselines(),
      }),
    );
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
