import { mkdir } from 'node:fs/promises';
import type { DatabaseSync } from 'node:sqlite';
import { BaseStore } from '../../core/base-store.js';
import type { BaselineEntry, BaselineRecord, ImportRecord, ImportSource } from '../../core/baselines.js';
import { describeError, isModelPerfError, ModelPerfError } from '../../core/errors.js';
import type { FederatedEntry, FederatedFilter, FederatedSource } from '../../core/federated.js';
import { loadSqlite } from '../../core/load-sqlite.js';
import type { ModelStats, Outcome, StoreInfo, SummaryRow } from '../../core/types.js';
import type { NormalizedOutcomeQuery, NormalizedStatsFilter, NormalizedSummaryQuery } from '../../core/validation.js';
import { WriteQueue, waitWhileBusy } from './busy-wait.js';
import { type Connection, openConnection } from './connection.js';
import { checkBeforeOpen } from './damage.js';
import { listFederated, replaceFederated } from './federated.js';
import { importBaselines, listBaselines, listImports, recordImport } from './imports.js';
import { integrityProblems } from './integrity.js';
import { noteClosed, noteOpened } from './open-files.js';
import { resolveSettings, type SqliteSettings, type SqliteStoreOptions } from './options.js';
import { OUTCOME_PAGE_SIZE, outcomePage } from './outcome-pages.js';
import { type Row, toOutcome, toStats, toSummaryRow } from './rows.js';
import { SnapshotWriter } from './snapshot-writer.js';
import { toStoreError } from './sqlite-errors.js';
import { StatementCache } from './statements.js';
import { GET_STATS, statsListQuery } from './stats-query.js';
import { describeStore } from './store-info.js';
import { summaryQuery } from './summary-query.js';
import type { SqlQuery } from './where-clause.js';
import { writeOutcomes } from './write-outcomes.js';

/**
 * A store in `<dir>/model-performance.db`, on Node's built-in node:sqlite. Every database step runs
 * synchronously on one connection, so steps of this process never interleave; other processes are
 * serialised by SQLite's locks (WAL: readers never wait, writers take turns). A step that finds the lock
 * held elsewhere waits on a timer (busy-wait.ts), never inside SQLite, so the event loop keeps running;
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
    this.#snapshots = new SnapshotWriter(settings.dir, settings.logger, () =>
      this.#guard(() => this.#statsRows(statsListQuery({ minSamples: 0 }))),
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
      const [values] = this.#statements.valueRows(GET_STATS, [taskType, modelId]);
      return values === undefined ? undefined : toStats(values);
    });
  }

  protected async readStatsList(filter: NormalizedStatsFilter): Promise<ModelStats[]> {
    return this.#step(() => this.#statsRows(statsListQuery(filter)));
  }

  protected async *readOutcomes(query: NormalizedOutcomeQuery): AsyncGenerator<Outcome> {
    let remaining = query.limit ?? Number.POSITIVE_INFINITY;
    let last: Outcome | undefined;
    while (remaining > 0) {
      // The caller may close the store between two pages; the connection is gone by then.
      if (this.closed) {
        throw new ModelPerfError(
          'MP_CLOSED',
          `The sqlite store in ${this.info.dir} was closed while reading outcomes.`,
        );
      }
      const size = Math.min(OUTCOME_PAGE_SIZE, remaining);
      const page = await this.#step(() => this.#rows(outcomePage(query, last, size)).map(toOutcome));
      yield* page;
      last = page.at(-1);
      if (page.length < size) return;
      remaining -= page.length;
    }
  }

  protected async readSummary(query: NormalizedSummaryQuery): Promise<SummaryRow[]> {
    return this.#step(() => this.#rows(summaryQuery(query)).map(toSummaryRow));
  }

  protected async writeBaselines(source: ImportSource, entries: readonly BaselineEntry[], now: Date): Promise<boolean> {
    return this.#write(() => importBaselines(this.#db, this.#statements, source, entries, now));
  }

  protected async writeImportRecord(source: ImportSource, now: Date): Promise<boolean> {
    return this.#writes.run(() => this.#step(() => recordImport(this.#db, this.#statements, source, now)));
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
    await this.#snapshots.close();
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

  #statsRows({ sql, params }: SqlQuery): ModelStats[] {
    return this.#statements.valueRows(sql, params).map(toStats);
  }

  #rows({ sql, params }: SqlQuery): Row[] {
    return this.#statements.get(sql).all(...params);
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
