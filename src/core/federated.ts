import type { BaselineEntry } from './baselines.js';

/**
 * Federated priors: other installations' aggregates (ModelLearner.importStats). A store keeps them
 * apart from its own stats, which they never change; a ranking may add them as a prior on request.
 */
export interface FederatedSource {
  /** The exporting store's stable id: importing the same source again replaces its entries. */
  id: string;
  /** When the source exported them (ISO 8601 UTC). */
  exportedAt: string;
}

export interface FederatedEntry extends BaselineEntry {
  sourceId: string;
  exportedAt: string;
  /** When this store took them in (ISO 8601 UTC). */
  importedAt: string;
}

export interface FederatedFilter {
  taskType?: string;
}
