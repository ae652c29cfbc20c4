import { mkdirSync } from 'node:fs';
import { BaseStore } from '../../core/base-store.js';
import type { BaselineEntry, BaselineRecord, ImportRecord, ImportSource } from '../../core/baselines.js';
import { describeError, isModelPerfError } from '../../core/errors.js';
import type { FederatedEntry, FederatedFilter, FederatedSource } from '../../core/federated.js';
import { checkStoreLayoutSync } from '../../core/store-files.js';
import { SummaryAccumulator } from '../../core/summary.js';
import type { ModelStats, Outcome, StoreInfo, SummaryRow } from '../../core/types.js';
import type { NormalizedOutcomeQuery, NormalizedStatsFilter, NormalizedSummaryQuery } from '../../core/validation.js';
import { BaselineLayer, readSnapshotLayer } from './baseline-layer.js';
import { CHECKPOINT_VERSION } from './checkpoint.js';
import { compact, compactionDue } from './compaction.js';
import { copyImport, hasImport, ImportsFile, withFederated, withImport } from './imports-file.js';
import { integrityProblems } from './integrity.js';
import { withIo } from './io.js';
import { JournalWriter, recoverAbandonedJournals } from './journal.js';
import {
  DEFAULT_TUNING,
  type JsonSettings,
  type JsonStoreOptions,
  type JsonTuning,
  jsonStoreFiles,
  resolveSettings,
  type StoreLayout,
  storeLayout,
} from './layout.js';
import { StoreLock } from './lock.js';
import { encodeOutcomes } from './outcome-lines.js';
import { closeSources, findOutcome, forEachOutcome, type OpenSource, openSources, selectOutcomes } from './reads.js';
import { corruptDataError, DamagedFileError, type RepairContext, repairDamage } from './repair.js';
import { layeredList, layeredStats, type StatsTable } from './stats-table.js';
import { StoreView } from './store-view.js';

/** Each repair removes a damaged file or rebuilds the checkpoint; more in a row means the dir is being wrecked. */
const MAX_REPAIRS = 16;
/** Opening a read's files can race a compaction that removes them; it then retries on the new checkpoint. */
const MAX_SNAPSHOT_ATTEMPTS = 5;
/** Journals sealed since the last compaction before a write waits for one (see writeOutcomes). */
const MAX_DEFERRED_SEALS = 4;
/**
 * Writes of fresh ids skip the catch-up on other writers' journals; one is scheduled after them when the
 * view is older than this, so that a read after a long run of writes has less to fold. Not more often:
 * each catch-up folds everything other processes appended, while a lazier view skips whatever a
 * compaction merged meanwhile (it takes the checkpoint instead), and with several processes recording
 * flat out, folding each other's lines would take most of each one's CPU.
 */
const CATCH_UP_EVERY_MS = 1000;

/**
 * A store in JSON-lines files under `dir` (see layout.ts). Every instance appends to a journal of its
 * own, so writers in any number of processes never share a file and need no lock; each catches its
 * view up on the other journals before every read (and every write of given ids), reading only what was
 * appended since, in slices that let the event loop run. A compaction
 * merges finished journals into segments and a checkpoint of the aggregates, so that opening reads the
 * checkpoint and the recent journals instead of the whole history.
 */
export class JsonStore extends BaseStore {
  readonly info: StoreInfo;
  readonly #settings: JsonSettings;
  readonly #layout: StoreLayout;
  readonly #tuning: JsonTuning;
  readonly #view: StoreView;
  readonly #writer: JournalWriter;
  readonly #imports: ImportsFile;
  readonly #baselines: BaselineLayer;
  readonly #repairContext: RepairContext;
  #background: Promise<void> | undefined;
  /** The compaction this instance runs, if any: one at a time, in steps that let other calls run. */
  #compaction: Promise<void> | undefined;
  #sealsSinceCompaction = 0;
  #catchUpScheduled = false;

  private constructor(settings: JsonSettings, tuning: JsonTuning, baselines: BaselineLayer) {
    super();
    this.#settings = settings;
    this.#layout = storeLayout(settings.dir);
    this.#tuning = tuning;
    this.#view = new StoreView(this.#layout);
    this.#imports = new ImportsFile(this.#layout, tuning.lockStaleMs, settings.busyTimeoutMs);
    this.#baselines = baselines;
    this.#writer = new JournalWriter(this.#layout.journals, settings.durability, tuning.rotateBytes, () => {
      this.#sealsSinceCompaction += 1;
      this.#scheduleCompaction();
    });
    const { selection } = settings;
    this.info = {
      backend: 'json',
      degraded: selection.degraded,
      reason: selection.reason,
      dir: this.#layout.dir,
      files: jsonStoreFiles(this.#layout.dir),
      schemaVersion: CHECKPOINT_VERSION,
      nodeVersion: process.versions.node,
      sqliteVersion: null,
      warnings: [...selection.warnings],
    };
    this.#repairContext = {
      layout: this.#layout,
      view: this.#view,
      tuning,
      busyTimeoutMs: settings.busyTimeoutMs,
      logger: settings.logger,
      warn: (message) => this.info.warnings.push(message),
    };
  }

  /**
   * Opens (creating when missing) the store in options.dir. Same as openJsonStore. `tuning` changes
   * file sizes and thresholds, for tests and benchmarks; the defaults suit production.
   */
  static async open(options: JsonStoreOptions, tuning: Partial<JsonTuning> = {}): Promise<JsonStore> {
    const settings = resolveSettings(options);
    const snapshot = await readSnapshotLayer(settings.dir, settings.logger);
    const store = new JsonStore(
      settings,
      { ...DEFAULT_TUNING, ...tuning },
      new BaselineLayer(snapshot.records, snapshot.recency),
    );
    if (snapshot.warning !== undefined) store.info.warnings.push(snapshot.warning);
    await store.#start();
    return store;
  }

  protected async writeOutcomes(outcomes: readonly Outcome[], freshIds: boolean): Promise<Outcome[]> {
    // A caller that awaits record() in a tight loop never lets a deferred compaction run (promises
    // settle before timers): once this many journals were sealed meanwhile, the write waits for one.
    if (this.#sealsSinceCompaction >= MAX_DEFERRED_SEALS) await this.#compactQuietly();
    return this.#withRepair(() => (freshIds ? this.#writeFresh(outcomes) : this.#write(outcomes)), true);
  }

  protected async readStats(taskType: string, modelId: string): Promise<ModelStats | undefined> {
    return this.#withRepair(async () => layeredStats(await this.#statsLayers(), taskType, modelId));
  }

  protected async readStatsList(filter: NormalizedStatsFilter): Promise<ModelStats[]> {
    return this.#withRepair(async () => layeredList(await this.#statsLayers(), filter));
  }

  protected async *readOutcomes(query: NormalizedOutcomeQuery): AsyncGenerator<Outcome> {
    yield* await this.#readFiles((sources) => selectOutcomes(sources, query));
  }

  protected async readSummary(query: NormalizedSummaryQuery): Promise<SummaryRow[]> {
    return this.#readFiles(async (sources) => {
      const summary = new SummaryAccumulator(query);
      await forEachOutcome(sources, (outcome) => summary.add(outcome), query);
      return summary.rows();
    });
  }

  protected async writeBaselines(source: ImportSource, entries: readonly BaselineEntry[], now: Date): Promise<boolean> {
    return this.#imports.update((document) => {
      if (hasImport(document, source.id)) return { result: false };
      return { result: true, next: withImport(document, source, entries, now) };
    });
  }

  protected async readImports(): Promise<ImportRecord[]> {
    return (await this.#imports.current()).imports.map(copyImport);
  }

  protected async readBaselines(): Promise<BaselineRecord[]> {
    return this.#baselines.records(await this.#imports.current());
  }

  protected async writeFederated(source: FederatedSource, entries: readonly BaselineEntry[], now: Date): Promise<void> {
    await this.#imports.update((document) => ({
      result: undefined,
      next: withFederated(document, source, entries, now),
    }));
  }

  protected async readFederated(filter: FederatedFilter): Promise<FederatedEntry[]> {
    return (await this.#imports.current()).federated
      .filter((entry) => filter.taskType === undefined || entry.taskType === filter.taskType)
      .map((entry) => ({ ...entry }));
  }

  protected async checkIntegrity(): Promise<string[]> {
    return integrityProblems(this.#layout);
  }

  protected async closeStorage(): Promise<void> {
    await this.#background;
    try {
      this.#writer.seal();
    } catch (error) {
      this.#settings.logger.warn(
        `Could not seal this store's journal in ${this.#layout.journals}: ${describeError(error)}. ` +
          'It is merged like any abandoned journal once this process exits.',
      );
    }
    await this.#compactQuietly();
  }

  async #start(): Promise<void> {
    const layout = this.#layout;
    // Only the dir itself: journal/ and segments/ come with the first write, so that a store dir this
    // process may only read still opens (writes then fail with MP_IO).
    withIo('create', layout.dir, () => mkdirSync(layout.dir, { recursive: true }));
    checkStoreLayoutSync(layout.dir);
    try {
      for (const message of recoverAbandonedJournals(layout.journals)) this.#settings.logger.info(message);
    } catch (error) {
      // Readers ignore torn tails anyway; a read-only store dir still serves reads.
      this.#settings.logger.warn(`Could not repair abandoned journals in ${layout.journals}: ${describeError(error)}`);
    }
    await this.#withRepair(() => this.#view.catchUp());
    // A damaged or newer imports file is reported at open, as a damaged checkpoint is.
    await this.#imports.current();
    this.#scheduleCompaction();
  }

  /** The baselines (with the snapshot this session started from), then the fold of the outcomes since. */
  async #statsLayers(): Promise<StatsTable[]> {
    const imports = await this.#imports.current();
    await this.#view.catchUp();
    return [this.#baselines.table(imports), this.#view.stats];
  }

  /**
   * Writes outcomes whose ids were all generated for them: random UUIDs, stored nowhere yet. Without a
   * catch-up: it only brings in other writers' ids for the duplicate check, and reads catch up anyway.
   * Folding the line into a view that is behind is safe: foldOwnWrite checks that the journal is
   * where the view left it, and the next catch-up folds the other journals around it as usual.
   */
  #writeFresh(outcomes: readonly Outcome[]): Outcome[] {
    this.#view.foldOwnWrite(this.#writer.append(encodeOutcomes(outcomes)), outcomes);
    this.#scheduleCatchUp();
    return [...outcomes];
  }

  #scheduleCatchUp(): void {
    if (this.#catchUpScheduled || performance.now() - this.#view.caughtUpAt < CATCH_UP_EVERY_MS) return;
    this.#catchUpScheduled = true;
    setImmediate(() => {
      this.#catchUpScheduled = false;
      if (this.closed) return;
      // Best effort: the next read catches up anyway, and reports what went wrong.
      this.#withRepair(() => this.#view.catchUp(), true).catch((error: unknown) =>
        this.#settings.logger.debug(`A background catch-up of ${this.#layout.dir} failed: ${describeError(error)}`),
      );
    });
  }

  /** Writes the outcomes whose id is new, as one line; returns, per input, the outcome stored under its id. */
  async #write(outcomes: readonly Outcome[]): Promise<Outcome[]> {
    await this.#view.catchUp();
    // From the check to the append in one synchronous piece: no other call of this instance between.
    const fresh = new Map<string, Outcome>();
    const known = new Set<string>();
    for (const outcome of outcomes) {
      if (fresh.has(outcome.id) || known.has(outcome.id)) continue;
      if (this.#view.hasId(outcome.id)) known.add(outcome.id);
      else fresh.set(outcome.id, outcome);
    }
    if (fresh.size > 0) {
      const written = [...fresh.values()];
      this.#view.foldOwnWrite(this.#writer.append(encodeOutcomes(written)), written);
    }
    const stored = new Map(fresh);
    for (const id of known) {
      const outcome = await this.#storedOutcome(id);
      if (outcome !== undefined) stored.set(id, outcome);
    }
    return outcomes.map((outcome) => stored.get(outcome.id) ?? outcome);
  }

  /** Segments come first in fold order, and their index finds the line; only journals are searched. */
  async #storedOutcome(id: string): Promise<Outcome | undefined> {
    const inSegment = this.#view.segmentOutcome(id);
    if (inSegment !== undefined) return inSegment;
    const sources = await this.#openSnapshot();
    try {
      return findOutcome(
        sources.filter((source) => source.kind === 'journal'),
        id,
      );
    } finally {
      closeSources(sources);
    }
  }

  /** Opens every file of the current view, so that a read sees one consistent state. */
  async #openSnapshot(): Promise<OpenSource[]> {
    for (let attempt = 1; ; attempt += 1) {
      await this.#view.catchUp();
      const opened = openSources(this.#view.readSources());
      if (Array.isArray(opened)) return opened;
      if (attempt === MAX_SNAPSHOT_ATTEMPTS) {
        throw new DamagedFileError(opened.missing.kind, opened.missing.path, 'it is listed but missing', false);
      }
      this.#view.markStale();
    }
  }

  async #readFiles<T>(read: (sources: readonly OpenSource[]) => Promise<T>): Promise<T> {
    for (let round = 1; ; round += 1) {
      const sources = await this.#withRepair(() => this.#openSnapshot());
      try {
        return await read(sources);
      } catch (error) {
        if (!(error instanceof DamagedFileError)) throw error;
        if (round === MAX_REPAIRS) throw corruptDataError(error, undefined, undefined);
        await this.#repair(error);
      } finally {
        closeSources(sources);
      }
    }
  }

  /**
   * Runs a step; a damaged file found on the way is repaired, then the step runs again.
   * When outcomes were lost with the file, the step fails with MP_CORRUPT_DATA (the store is repaired
   * by then, so the next call works) unless `lossIsReported`: then the loss is logged and kept in
   * info.warnings, and the step goes on. Writes go on: failing them would lose one more outcome.
   */
  async #withRepair<T>(step: () => T | Promise<T>, lossIsReported = false): Promise<T> {
    for (let round = 1; ; round += 1) {
      try {
        return await step();
      } catch (error) {
        if (!(error instanceof DamagedFileError)) throw error;
        if (round === MAX_REPAIRS) throw corruptDataError(error, undefined, undefined);
        try {
          await this.#repair(error);
        } catch (report) {
          if (!(lossIsReported && isModelPerfError(report, 'MP_CORRUPT_DATA'))) throw report;
          this.#settings.logger.error(report.message);
          this.info.warnings.push(report.message);
        }
      }
    }
  }

  /** Throws MP_CORRUPT_DATA when outcomes were lost; returns when nothing was. */
  async #repair(damage: DamagedFileError): Promise<void> {
    let current = damage;
    for (let round = 1; ; round += 1) {
      try {
        const report = await repairDamage(this.#repairContext, current);
        if (report !== undefined) throw report;
        return;
      } catch (error) {
        if (!(error instanceof DamagedFileError)) throw error;
        if (round === MAX_REPAIRS) throw corruptDataError(error, undefined, undefined);
        current = error;
      }
    }
  }

  #scheduleCompaction(): void {
    if (this.#background !== undefined || this.closed) return;
    // Later, so that the write that sealed a journal does not wait for the merge.
    this.#background = new Promise<void>((resolve) => setImmediate(resolve)).then(async () => {
      this.#background = undefined;
      if (!this.closed) await this.#compactQuietly();
    });
  }

  /** Compacts when it is due and no other process is compacting; a failure only postpones it. */
  #compactQuietly(): Promise<void> {
    this.#compaction ??= this.#compactOnce().finally(() => {
      this.#compaction = undefined;
    });
    return this.#compaction;
  }

  async #compactOnce(): Promise<void> {
    this.#sealsSinceCompaction = 0;
    const layout = this.#layout;
    const view = this.#view;
    const tuning = this.#tuning;
    try {
      await this.#withRepair(async () => {
        if (!compactionDue(layout, tuning)) return;
        const lock = StoreLock.tryAcquire(layout.lock, tuning.lockStaleMs);
        if (lock === undefined) return;
        try {
          await compact({ layout, view, lock, tuning });
        } finally {
          lock.release();
        }
      }, true);
    } catch (error) {
      this.#settings.logger.warn(`Compaction of the JSON store in ${layout.dir} did not run: ${describeError(error)}`);
    }
  }
}
