import { type BackendChoice, type OutcomeInput, openStore, silentLogger } from '../../src/index.js';

const HOUR_MS = 3_600_000;

/** Writes outcomes straight through the library: faster than one CLI process per outcome. */
export async function seedStore(dir: string, backend: BackendChoice, outcomes: readonly OutcomeInput[]): Promise<void> {
  const store = await openStore({ dir, backend, fallback: false, logger: silentLogger });
  try {
    await store.recordMany(outcomes);
  } finally {
    await store.close();
  }
}

/** `wins` successes then the rest failures, one an hour back from now, so every window and trend sees them. */
export function outcomesOf(taskType: string, modelId: string, wins: number, trials: number): OutcomeInput[] {
  const now = Date.now();
  return Array.from({ length: trials }, (_, index) => ({
    taskType,
    modelId,
    success: index < wins,
    tokensUsed: 1000 + index,
    costUsd: 0.01,
    latencyMs: 800,
    timestamp: new Date(now - (index + 1) * HOUR_MS),
  }));
}
