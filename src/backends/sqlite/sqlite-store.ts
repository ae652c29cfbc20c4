import { mkdir } from 'node:fs/promises';
import type { DatabaseSync, SQLInputValue } from 'node:sqlite';
import { BaseStore } from '../../core/base-store.js';
import type { BaselineEntry, BaselineRecord, ImportRecord, ImportSource } from '../../core/baselines.js';
import { describeError, isModelPerfError, ModelPerfError } from '../../core/errors.js';
import type { FederatedEntry, FederatedFilter, FederatedSource } from '../../core/federated.js';
import { SnapshotWriter } from '../../core/snapshot.js';
import { outcomePageQuery, type SqlQuery, statsListQuery, statsQuery, summaryQuery } from '../../core/sql-query.js';
import { checkStoreEntry, checkStoreLayout } from '../../core/store-files.js';
import type { ModelStats, Outcome, StoreInfo, SummaryRow } from '../../core/types.js';
import type { NormalizedOutcomeQuery, NormalizedStatsFilter, NormalizedSummaryQuery } from '../../core/validation.js';
import {
  type Connection,
  describeStore,
  loadSqlite,
  openConnection,
  StatementCache,
  WriteQueue,
  waitWhileBusy,
} from './connection.js';
import { checkBeforeOpen, integrityProblems, noteClosed, noteOpened } from './damage.js';
import { importBaselines, listBaselines, listFederated, listImports, replaceFederated } from './imports.js';
import { resolveSettings, type SqliteSettings, type SqliteStoreOptions } from './options.js';
import { SQLITE } from './queries.js';
import { type Row, toOutcome, toStats, toSummaryRow } from './rows.js';
import { toStoreError } from './sqlite-errors.js';
import { writeOutcomes } from './write-outcomes.js';

/**
 * A store in `<dir>/model-performance.db`, on Node's built-in node:sqlite. Every database step runs
 * synchronously on one connection, so steps of this process never interleave; other processes are
 * serialised by SQLite's locks (WAL: readers never wait, writers take turns). A step that finds the lock
 * held elsewhere waits on a timer (waitWhileBusy), never inside SQLite, so the event loop keeps running;
 * writes of this process wait in call order.
 */
export class SqliteStore extends BaseStore {
  readonly info: StoreInfo;
  readonly #settings: SqliteSettings;
  readonly #db: DatabaseSync;
  readonly #statements: StatementCache;
  readonly #snapshots: SnapshotWriter;
  readonly #writes = new WriteQueue();

  private constructor(settings: SqliteSettings, info: StoreInfo, db: DatabaseSync) {
    super();
    this.info = info;
    this.#settings = settings;
    this.#db = db;
    this.#statements = new StatementCache(db);
    this.#snapshots = new SnapshotWriter(
      settings.dir,
      settings.logger,
      () => this.#step(() => this.#statsRows(statsListQuery(SQLITE, { minSamples: 0 }))),
      'a JSON session that takes over from SQLite',
    );
  }

  /** Opens (creating when missing) the store in options.dir. Same as openSqliteStore. */
  static async open(options: SqliteStoreOptions): Promise<SqliteStore> {
    const settings = resolveSettings(options);
    const sqlite = loadSqlite();
    try {
      await mkdir(settings.dir, { recursive: true });
    } catch (error) {
      throw new ModelPerfError(
        'MP_IO',
        `Cannot create the store directory ${settings.dir}: ${describeError(error)}. ` +
          'Check the path and its permissions.',
        { cause: error, file: settings.dir },
      );
    }
    await checkStoreLayout(settings.dir);
    // SQLite follows a symlinked database (and creates a dangling link's target): a store dir's database
    // and its side files must be regular files in the dir itself.
    for (const suffix of ['', '-wal', '-shm', '-journal']) await checkStoreEntry(`${settings.file}${suffix}`, 'file');
    const damage = await checkBeforeOpen(sqlite, settings);
    let connection: Connection;
    try {
      connection = await waitWhileBusy(() => openConnection(sqlite, settings), settings);
    } catch (error) {
      throw toStoreError(error, settings);
    }
    if (damage !== undefined) {
      // The damage was set aside and this connection made SQLite start over on what is left; reported once.
      connection.db.close();
      throw damage;
    }
    noteOpened(settings.file);
    return new SqliteStore(settings, describeStore(settings, connection), connection.db);
  }

  protected async writeOutcomes(outcomes: readonly Outcome[]): Promise<Outcome[]> {
    return this.#write(() => writeOutcomes(this.#db, this.#statements, outcomes));
  }

  protected async readStats(taskType: string, modelId: string): Promise<ModelStats | undefined> {
    return this.#step(() => {
      const [stats] = this.#statsRows(statsQuery(SQLITE, taskType, modelId));
      return stats;
    });
  }

  protected async readStatsList(filter: NormalizedStatsFilter): Promise<ModelStats[]> {
    return this.#step(() => this.#statsRows(statsListQuery(SQLITE, filter)));
  }

  protected readOutcomes(query: NormalizedOutcomeQuery): AsyncIterable<Outcome> {
    return this.pagedOutcomes(query, async (last, size) =>
      this.#step(() => this.#rows(outcomePageQuery(SQLITE, query, last, size)).map(toOutcome)),
    );
  }

  protected async readSummary(query: NormalizedSummaryQuery): Promise<SummaryRow[]> {
    return this.#step(() => this.#rows(summaryQuery(SQLITE, query)).map(toSummaryRow));
  }

  protected async writeBaselines(source: ImportSource, entries: readonly BaselineEntry[], now: Date): Promise<boolean> {
    return this.#write(() => importBaselines(this.#db, this.#statements, source, entries, now));
  }

  protected async readImports(): Promise<ImportRecord[]> {
    return this.#step(() => listImports(this.#statements));
  }

  protected async readBaselines(): Promise<BaselineRecord[]> {
    return this.#step(() => listBaselines(this.#statements));
  }

  protected async writeFederated(source: FederatedSource, entries: readonly BaselineEntry[], now: Date): Promise<void> {
    await this.#writes.run(() => this.#step(() => replaceFederated(this.#db, this.#statements, source, entries, now)));
  }

  protected async readFederated(filter: FederatedFilter): Promise<FederatedEntry[]> {
    return this.#step(() => listFederated(this.#statements, filter));
  }

  protected async checkIntegrity(): Promise<string[]> {
    try {
      return await this.#step(() => integrityProblems(this.#db, this.#settings.file));
    } catch (error) {
      // A page too damaged for the check to read is itself the finding.
      if (isModelPerfError(error, 'MP_CORRUPT_DATA')) return [error.message];
      throw error;
    }
  }

  protected async closeStorage(): Promise<void> {
    // While the connection is still open: the final snapshot reads the stats through it.
    await this.#snapshots.refresh();
    // No PRAGMA optimize here: it may wait for the write lock, so close() would wait up to the busy
    // timeout, and the planner needs no statistics for these queries (each has an index made for it).
    try {
      this.#guard(() => this.#db.close());
    } finally {
      noteClosed(this.#settings.file);
    }
  }

  /** A write that changes stats, after the writes called before it: once committed, it counts towards the next snapshot. */
  #write<T>(step: () => T): Promise<T> {
    return this.#writes.run(async () => {
      const result = await this.#step(step);
      this.#snapshots.noteWrite();
      return result;
    });
  }

  /** Runs one database step, waiting without blocking while another process holds the lock it needs. */
  async #step<T>(step: () => T): Promise<T> {
    try {
      return await waitWhileBusy(step, this.#settings);
    } catch (error) {
      throw toStoreError(error, this.#settings);
    }
  }

  #statsRows({ text, values }: SqlQuery): ModelStats[] {
    return this.#statements.repeatedValueRows(text, values as SQLInputValue[]).map(toStats);
  }

  #rows({ text, values }: SqlQuery): Row[] {
    // SQLite's queries bind no arrays (a list of models goes as JSON text).
    return this.#statements.get(text).all(...(values as SQLInputValue[]));
  }

  /** Runs one synchronous database step, turning SQLite's errors into typed ones naming the file. */
  #guard<T>(step: () => T): T {
    try {
      return step();
    } catch (error) {
      throw toStoreError(error, this.#settings);
    }
  }
}
