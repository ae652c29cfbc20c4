import { BaseStore } from '../../core/base-store.js';
import type { BaselineEntry, BaselineRecord, ImportRecord, ImportSource } from '../../core/baselines.js';
import { ModelPerfError } from '../../core/errors.js';
import type { FederatedEntry, FederatedFilter, FederatedSource } from '../../core/federated.js';
import {
  outcomePageQuery,
  type SqlDialect,
  type SqlQuery,
  statsListQuery,
  statsQuery,
  summaryQuery,
} from '../../core/sql-query.js';
import type { ModelStats, Outcome, StoreInfo, SummaryRow } from '../../core/types.js';
import type { NormalizedOutcomeQuery, NormalizedStatsFilter, NormalizedSummaryQuery } from '../../core/validation.js';
import { Database, loadPg, type Row } from './database.js';
import { importBaselines, listBaselines, listFederated, listImports, replaceFederated } from './imports.js';
import { type PostgresSettings, type PostgresStoreOptions, resolveSettings } from './options.js';
import { toStoreError } from './postgres-errors.js';
import { postgresDialect, type Tables, tablesIn } from './queries.js';
import { toOutcome, toStats, toSummaryRow } from './rows.js';
import { checkIntegrity, describeStore, ensureSchema } from './schema.js';
import { writeOutcomes } from './write-outcomes.js';

/**
 * A store in a PostgreSQL schema, shared by every process of a fleet. Each write is one transaction
 * (or one atomic statement), so raw outcomes and aggregates never disagree; the unique outcome id
 * makes a retried write count once, whichever machine sent it.
 */
export class PostgresStore extends BaseStore {
  readonly info: StoreInfo;
  readonly #settings: PostgresSettings;
  readonly #db: Database;
  readonly #tables: Tables;
  readonly #sql: SqlDialect;

  private constructor(settings: PostgresSettings, db: Database) {
    super();
    this.info = describeStore(settings);
    this.#settings = settings;
    this.#db = db;
    this.#tables = tablesIn(settings.schema);
    this.#sql = postgresDialect(this.#tables);
  }

  /** Connects, and creates the schema's tables on first use. Same as openPostgresStore. */
  static async open(options: PostgresStoreOptions): Promise<PostgresStore> {
    const settings = resolveSettings(options);
    const pg = await loadPg();
    const db = new Database(pg, settings);
    const store = new PostgresStore(settings, db);
    try {
      await store.#guard(() => ensureSchema(db, store.#tables, settings.location));
    } catch (error) {
      await db.close();
      throw error;
    }
    return store;
  }

  /** One round trip to the server: resolves when it answers, else rejects as any call would. */
  ping(): Promise<void> {
    if (this.closed) return Promise.reject(this.#closedError());
    return this.#guard(async () => {
      await this.#db.query('SELECT 1');
    });
  }

  protected writeOutcomes(outcomes: readonly Outcome[]): Promise<Outcome[]> {
    return this.#guard(() => writeOutcomes(this.#db, this.#tables, outcomes));
  }

  protected readStats(taskType: string, modelId: string): Promise<ModelStats | undefined> {
    return this.#rows(statsQuery(this.#sql, taskType, modelId), toStats).then(([stats]) => stats);
  }

  protected readStatsList(filter: NormalizedStatsFilter): Promise<ModelStats[]> {
    return this.#rows(statsListQuery(this.#sql, filter), toStats);
  }

  protected readOutcomes(query: NormalizedOutcomeQuery): AsyncIterable<Outcome> {
    return this.pagedOutcomes(query, (last, size) =>
      this.#rows(outcomePageQuery(this.#sql, query, last, size), toOutcome),
    );
  }

  protected readSummary(query: NormalizedSummaryQuery): Promise<SummaryRow[]> {
    return this.#rows(summaryQuery(this.#sql, query), toSummaryRow);
  }

  protected writeBaselines(source: ImportSource, entries: readonly BaselineEntry[], now: Date): Promise<boolean> {
    return this.#guard(() => importBaselines(this.#db, this.#tables, source, entries, now));
  }

  protected readImports(): Promise<ImportRecord[]> {
    return this.#guard(() => listImports(this.#db, this.#tables));
  }

  protected readBaselines(): Promise<BaselineRecord[]> {
    return this.#guard(() => listBaselines(this.#db, this.#tables));
  }

  protected writeFederated(source: FederatedSource, entries: readonly BaselineEntry[], now: Date): Promise<void> {
    return this.#guard(() => replaceFederated(this.#db, this.#tables, source, entries, now));
  }

  protected readFederated(filter: FederatedFilter): Promise<FederatedEntry[]> {
    return this.#guard(() => listFederated(this.#db, this.#tables, filter));
  }

  /** Public here (protected on BaseStore), so that the offline-first store can ask the server's store directly. */
  override checkIntegrity(): Promise<string[]> {
    return this.#guard(() => checkIntegrity(this.#db, this.#tables));
  }

  protected closeStorage(): Promise<void> {
    return this.#db.close();
  }

  #closedError(): ModelPerfError {
    return new ModelPerfError('MP_CLOSED', `The postgres store at ${this.info.location} is closed; open a new one.`);
  }

  #rows<T>({ text, values }: SqlQuery, convert: (row: Row) => T): Promise<T[]> {
    return this.#guard(async () => (await this.#db.query(text, values)).rows.map(convert));
  }

  /** Runs database work, turning pg's errors into typed ones naming the server (redacted). */
  async #guard<T>(work: () => Promise<T>): Promise<T> {
    try {
      return await work();
    } catch (error) {
      throw toStoreError(error, this.#settings);
    }
  }
}
