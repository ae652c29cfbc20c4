import type { BaselineEntry } from '../core/baselines.js';
import type { PerformanceStore } from '../core/store.js';
import type { OutcomeInput } from '../core/types.js';
import { toOutcomeInput } from '../core/validation.js';

export interface PushProgress {
  phase: 'outcomes' | 'imports' | 'federated';
  done: number;
  total: number;
}

export interface PushOptions {
  from: PerformanceStore;
  to: PerformanceStore;
  /** Outcomes per recordMany (one transaction each). Default 1000. */
  batchSize?: number;
  onProgress?: (progress: PushProgress) => void;
}

export interface PushReport {
  /** Outcomes read from `from` and sent; those `to` had already (by id) counted once, as before. */
  outcomes: number;
  /** Import sources new to `to` (with their baselines); one it had recorded adds nothing. */
  imports: number;
  /** Federated sources sent; each replaces that source's entries in `to`. */
  federatedSources: number;
}

const DEFAULT_BATCH = 1000;

async function pushOutcomes({ from, to, batchSize = DEFAULT_BATCH, onProgress }: PushOptions): Promise<number> {
  // Counted only for a progress report: on a JSON store the count is one more pass over the files. The
  // summary counts raw outcomes only (baselines are not outcomes), which is what is streamed.
  const total =
    onProgress === undefined
      ? 0
      : (await from.summarize({ groupBy: 'model' })).reduce((sum, row) => sum + row.trials, 0);
  let done = 0;
  let batch: OutcomeInput[] = [];
  const flush = async (): Promise<void> => {
    await to.recordMany(batch);
    done += batch.length;
    batch = [];
    onProgress?.({ phase: 'outcomes', done, total: Math.max(total, done) });
  };
  onProgress?.({ phase: 'outcomes', done, total });
  for await (const outcome of from.outcomes()) {
    batch.push(toOutcomeInput(outcome));
    if (batch.length >= batchSize) await flush();
  }
  if (batch.length > 0) await flush();
  return done;
}

/** Imports move with their baselines; a source `to` has recorded already adds nothing (importBaselines says false). */
async function pushImports({ from, to, onProgress }: PushOptions): Promise<number> {
  const baselines = await from.listBaselines();
  const sources = await from.listImports();
  let added = 0;
  for (const [index, { importedAt: _when, ...source }] of sources.entries()) {
    const entries: BaselineEntry[] = baselines
      .filter((baseline) => baseline.sourceId === source.id)
      .map(({ sourceId: _source, ...entry }) => entry);
    const isNew = await to.importBaselines(source, entries);
    if (isNew) added += 1;
    onProgress?.({ phase: 'imports', done: index + 1, total: sources.length });
  }
  return added;
}

/** Federated priors move source by source; replaceFederated makes a second push harmless. */
async function pushFederated({ from, to, onProgress }: PushOptions): Promise<number> {
  const bySource = new Map<string, { exportedAt: string; entries: BaselineEntry[] }>();
  for (const { sourceId, exportedAt, importedAt: _when, ...entry } of await from.listFederated()) {
    const source = bySource.get(sourceId) ?? { exportedAt, entries: [] };
    source.entries.push(entry);
    bySource.set(sourceId, source);
  }
  let done = 0;
  for (const [id, { exportedAt, entries }] of bySource) {
    await to.replaceFederated({ id, exportedAt }, entries);
    done += 1;
    onProgress?.({ phase: 'federated', done, total: bySource.size });
  }
  return done;
}

/**
 * Copies what one store holds into another through the PerformanceStore interface, whatever their
 * backends: raw outcomes by id (so a second push, or an outcome already there, counts once), imports
 * with their baselines (a recorded source is skipped), and federated priors. Nothing is removed from
 * `from`. Baselines that no import record carries (a JSON session's starting snapshot) are not copied:
 * they are a view of `to`'s own history, and would count twice.
 */
export async function pushToStore(options: PushOptions): Promise<PushReport> {
  return {
    outcomes: await pushOutcomes(options),
    imports: await pushImports(options),
    federatedSources: await pushFederated(options),
  };
}
