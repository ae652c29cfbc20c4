import { join } from 'node:path';
import { BaseStore, InFlight } from '../../../core/base-store.js';
import type { BaselineEntry, BaselineRecord, ImportRecord, ImportSource } from '../../../core/baselines.js';
import { describeError, isModelPerfError, ModelPerfError } from '../../../core/errors.js';
import type { FederatedEntry, FederatedFilter, FederatedSource } from '../../../core/federated.js';
import type { Selection } from '../../../core/options.js';
import { SNAPSHOT_FILE, SnapshotWriter } from '../../../core/snapshot.js';
import type { PerformanceStore } from '../../../core/store.js';
import type { ModelStats, Outcome, StoreInfo, SummaryRow } from '../../../core/types.js';
import {
  type NormalizedOutcomeQuery,
  type NormalizedStatsFilter,
  type NormalizedSummaryQuery,
  toOutcomeInput,
} from '../../../core/validation.js';
import type { PostgresSettings } from '../options.js';
import { PostgresStore } from '../postgres-store.js';
import { describeStore } from '../schema.js';
import { describeOffline, describeOnline, ReconnectSchedule } from './offline-state.js';

/** The local side of an offline-first store: the package root wires in the JSON backend and its absorption. */
export interface LocalFallback {
  /** Opens the local store in the dir, to record into while the server is out of reach. */
  open(selection: Selection): Promise<PerformanceStore>;
  /**
   * Moves everything local sessions recorded in the dir into the server's store (outcomes by id, so
   * exactly once), then archives their files; resolves the outcomes pushed, or undefined for none.
   */
  push(server: PerformanceStore): Promise<number | undefined>;
}

export interface OfflineFirstOptions {
  settings: PostgresSettings;
  /** Opens the server's store (PostgresStore.open with these settings). */
  connect(): Promise<PostgresStore>;
  local: LocalFallback;
}

function isUnreachable(error: unknown): boolean {
  return isModelPerfError(error, 'MP_BACKEND_UNAVAILABLE');
}

/**
 * The PostgreSQL store a runtime gets from openStore (with fallback on): it delegates to the server's
 * store while the server answers. When the server cannot be reached, at open or on any later call,
 * it records into local JSON files in the dir instead (they start from the server's last stats
 * snapshot, so rankings keep their history) and reports info.degraded with the reason. Later calls
 * try the server again in the background, with a growing backoff; once it answers, everything recorded
 * locally is pushed to it by id (exactly once, whichever process pushes) and the local files are
 * archived, as SQLite absorbs a degraded JSON session. A call that fails because the server went
 * away is redone locally with the same ids, so an outcome whose commit was cut off counts once when
 * the push comes.
 *
 * A switch back to the server waits until no call still uses the local store; an outcomes() stream
 * that is still reading the local store then ends with MP_CLOSED.
 */
export class OfflineFirstStore extends BaseStore {
  readonly info: StoreInfo;
  readonly #options: OfflineFirstOptions;
  readonly #snapshot: SnapshotWriter;
  readonly #activity = new InFlight();
  readonly #schedule = new ReconnectSchedule();
  #server: PostgresStore | undefined;
  /** Set while offline: calls go to this local store until the server is back. */
  #local: PerformanceStore | undefined;
  /** A background attempt to reach the server; calls keep going to the local store meanwhile. */
  #probing: Promise<void> | undefined;
  /** Moving back to the server: calls wait until it is done. */
  #switching: Promise<void> | undefined;
  #goingOffline: Promise<PerformanceStore> | undefined;

  private constructor(options: OfflineFirstOptions) {
    super();
    this.#options = options;
    this.info = { ...describeStore(options.settings), files: [this.#snapshotFile()] };
    this.#snapshot = new SnapshotWriter(
      options.settings.dir,
      options.settings.logger,
      () => this.#online().listStats(),
      'a local session that takes over while PostgreSQL is out of reach',
    );
  }

  /** Connects and pushes what earlier sessions recorded locally; when the server is out of reach, opens offline. */
  static async open(options: OfflineFirstOptions): Promise<OfflineFirstStore> {
    const store = new OfflineFirstStore(options);
    try {
      store.#server = await options.connect();
      await store.#sync(store.#server);
    } catch (error) {
      if (isModelPerfError(error, 'MP_CONFIG')) throw error;
      try {
        await store.#goOffline(error);
      } catch (fallbackError) {
        await store.#server?.close();
        throw fallbackError;
      }
    }
    return store;
  }

  protected writeOutcomes(outcomes: readonly Outcome[]): Promise<Outcome[]> {
    // Ids were given by this store's validation: a call redone locally keeps them.
    return this.#call((store) => store.recordMany(outcomes.map(toOutcomeInput)), true);
  }

  protected readStats(taskType: string, modelId: string): Promise<ModelStats | undefined> {
    return this.#call((store) => store.getStats(taskType, modelId));
  }

  protected readStatsList(filter: NormalizedStatsFilter): Promise<ModelStats[]> {
    return this.#call((store) => store.listStats(filter));
  }

  protected async *readOutcomes(query: NormalizedOutcomeQuery): AsyncGenerator<Outcome> {
    while (this.#mustWait()) await this.#pendingSwitch();
    if (this.#local !== undefined) {
      yield* this.#local.outcomes(query);
      return;
    }
    let started = false;
    try {
      for await (const outcome of this.#online().outcomes(query)) {
        started = true;
        yield outcome;
      }
    } catch (error) {
      // Half a stream from the server and half from the local store would be neither: only a stream
      // that failed before its first outcome moves over.
      if (started || !isUnreachable(error)) throw error;
      yield* (await this.#goOffline(error)).outcomes(query);
    }
  }

  protected readSummary(query: NormalizedSummaryQuery): Promise<SummaryRow[]> {
    return this.#call((store) => store.summarize(query));
  }

  protected writeBaselines(source: ImportSource, entries: readonly BaselineEntry[]): Promise<boolean> {
    return this.#call((store) => store.importBaselines(source, entries), true);
  }

  protected readImports(): Promise<ImportRecord[]> {
    return this.#call((store) => store.listImports());
  }

  protected readBaselines(): Promise<BaselineRecord[]> {
    return this.#call((store) => store.listBaselines());
  }

  protected writeFederated(source: FederatedSource, entries: readonly BaselineEntry[]): Promise<void> {
    return this.#call((store) => store.replaceFederated(source, entries));
  }

  protected readFederated(filter: FederatedFilter): Promise<FederatedEntry[]> {
    return this.#call((store) => store.listFederated(filter));
  }

  /** The integrity of the storage in use: the server's catalog, or (offline) what the local store's verify() finds. */
  protected checkIntegrity(): Promise<string[]> {
    return this.#call(async (store) =>
      store instanceof PostgresStore ? store.checkIntegrity() : (await store.verify()).integrity,
    );
  }

  protected async closeStorage(): Promise<void> {
    await this.#probing;
    while (this.#mustWait()) await this.#pendingSwitch();
    await this.#activity.idle();
    if (this.#local !== undefined) await this.#local.close();
    else if (this.#server !== undefined) await this.#snapshot.refresh();
    await this.#snapshot.settled();
    await this.#server?.close();
  }

  /**
   * Runs a call on the store in use; a call the server fails for being out of reach is redone on the
   * local store. The last check of the state and the start of the call's tracking happen in one
   * synchronous step, so a switch can never begin between them.
   */
  async #call<T>(operation: (store: PerformanceStore) => Promise<T>, countsAsWrite = false): Promise<T> {
    while (this.#mustWait()) await this.#pendingSwitch();
    return this.#activity.track(async () => {
      if (this.#local !== undefined) return operation(this.#local);
      try {
        const result = await operation(this.#online());
        if (countsAsWrite) this.#snapshot.noteWrite();
        return result;
      } catch (error) {
        if (!isUnreachable(error)) throw error;
        return operation(await this.#goOffline(error));
      }
    });
  }

  /** True while the store in use is being switched; offline, starts an attempt at the server when one is due. */
  #mustWait(): boolean {
    if (this.#switching !== undefined || this.#goingOffline !== undefined) return true;
    if (this.#local !== undefined && this.#probing === undefined && this.#schedule.due() && !this.closed) {
      this.#probing = this.#probe().finally(() => {
        this.#probing = undefined;
      });
    }
    return false;
  }

  async #pendingSwitch(): Promise<void> {
    await (this.#switching ?? this.#goingOffline);
  }

  #online(): PostgresStore {
    if (this.#server === undefined)
      throw new Error('model-perf: an offline-first store used its server before connecting');
    return this.#server;
  }

  /** Pushes what local sessions recorded, then refreshes the snapshot; only an unreachable server fails it. */
  async #sync(server: PostgresStore): Promise<number | undefined> {
    let pushed: number | undefined;
    try {
      pushed = await this.#options.local.push(server);
    } catch (error) {
      if (isUnreachable(error)) throw error;
      this.#options.settings.logger.warn(
        `Pushing the outcomes recorded locally in ${this.#options.settings.dir} to PostgreSQL failed ` +
          `(${describeError(error)}); they stay there, and the next open pushes them.`,
      );
    }
    await this.#snapshot.refresh();
    return pushed;
  }

  /**
   * Tries the server without holding up any call (a server that does not answer takes the connect
   * timeout to say so). Once it answers, the switch back begins, and calls wait for it.
   */
  async #probe(): Promise<void> {
    try {
      if (this.#server === undefined) this.#server = await this.#options.connect();
      else await this.#server.ping();
    } catch (error) {
      this.#schedule.failed();
      this.#options.settings.logger.debug(`PostgreSQL is still out of reach: ${describeError(error)}`);
      return;
    }
    if (this.closed) return;
    const server = this.#server;
    this.#switching = this.#switchBack(server).finally(() => {
      this.#switching = undefined;
    });
    // A failure reaches the calls that wait for the switch; the probe itself has no caller to tell.
    await this.#switching.catch(() => {});
  }

  /** Once every local call has settled: pushes the local outcomes, then runs on the server again. */
  async #switchBack(server: PostgresStore): Promise<void> {
    await this.#activity.idle();
    const local = this.#local;
    if (local === undefined) return;
    // Closed first, so that the files are at rest while they are pushed and archived.
    await local.close();
    this.#local = undefined;
    let pushed: number | undefined;
    try {
      pushed = await this.#sync(server);
    } catch (error) {
      await this.#goOffline(error);
      return;
    }
    this.#schedule.reset();
    describeOnline(this.info, this.#options.settings.selection, server.info, this.#snapshotFile());
    this.#options.settings.logger.info(
      `PostgreSQL at ${this.#options.settings.location} is reachable again; pushed ${pushed ?? 0} outcomes ` +
        'recorded locally meanwhile.',
    );
  }

  /** Opens the local store once, however many calls find the server gone at the same time. */
  #goOffline(cause: unknown): Promise<PerformanceStore> {
    if (this.#local !== undefined) return Promise.resolve(this.#local);
    this.#goingOffline ??= this.#openOffline(cause).finally(() => {
      this.#goingOffline = undefined;
    });
    return this.#goingOffline;
  }

  async #openOffline(cause: unknown): Promise<PerformanceStore> {
    const { dir, logger } = this.#options.settings;
    // A typed error's message already names the server and says what to check; its code adds nothing here.
    const reason = `JSON (fallback): ${cause instanceof ModelPerfError ? cause.message : describeError(cause)}`;
    let local: PerformanceStore;
    try {
      local = await this.#options.local.open({ reason, degraded: true, warnings: [reason] });
    } catch (error) {
      throw new ModelPerfError(
        'MP_BACKEND_UNAVAILABLE',
        `Neither PostgreSQL nor local JSON files could take the outcomes. PostgreSQL: ${describeError(cause)} ` +
          `JSON in ${dir}: ${describeError(error)}.`,
        { cause: error },
      );
    }
    this.#local = local;
    this.#schedule.failed();
    describeOffline(this.info, reason, local.info, this.#snapshotFile());
    logger.warn(
      `${reason} Recording into JSON files in ${dir} until it is reachable again; they are pushed to it then.`,
    );
    return local;
  }

  #snapshotFile(): string {
    return join(this.#options.settings.dir, SNAPSHOT_FILE);
  }
}
