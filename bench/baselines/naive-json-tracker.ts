import { readFileSync, writeFileSync } from 'node:fs';
import type { OutcomeInput } from '../../src/index.js';
import type { Pair } from '../support/dataset.js';

interface LegacyEntry {
  successes: number;
  failures: number;
  successRate: number;
  timeouts: number;
  totalTokens: number;
  totalCost: number;
  lastUsed: string;
}

type LegacyDocument = Record<string, Record<string, LegacyEntry>>;

function emptyEntry(): LegacyEntry {
  return { successes: 0, failures: 0, successRate: 0, timeouts: 0, totalTokens: 0, totalCost: 0, lastUsed: '' };
}

/**
 * Baseline (b): the migration guide's "before" — a tracker that keeps model-performance.json (the
 * legacy nested format) and, for every outcome, reads the whole file, updates one pair and rewrites
 * the whole file. Like the original, it neither fsyncs nor renames: it is as fast as that design gets.
 */
export class NaiveJsonTracker {
  readonly #file: string;

  constructor(file: string) {
    this.#file = file;
  }

  /** Starts the file with every pair already present, as a tracker that has been running a while. */
  static create(file: string, pairs: readonly Pair[]): NaiveJsonTracker {
    const document: LegacyDocument = {};
    const lastUsed = new Date().toISOString();
    for (const { taskType, modelId } of pairs) {
      document[taskType] ??= {};
      document[taskType][modelId] = {
        successes: 40,
        failures: 10,
        successRate: 0.8,
        timeouts: 1,
        totalTokens: 250_000,
        totalCost: 0.75,
        lastUsed,
      };
    }
    writeFileSync(file, JSON.stringify(document, null, 2));
    return new NaiveJsonTracker(file);
  }

  record(input: OutcomeInput): void {
    const document = JSON.parse(readFileSync(this.#file, 'utf8')) as LegacyDocument;
    const models = document[input.taskType] ?? {};
    document[input.taskType] = models;
    const entry = models[input.modelId] ?? emptyEntry();
    models[input.modelId] = entry;
    if (input.success) entry.successes += 1;
    else entry.failures += 1;
    entry.successRate = entry.successes / (entry.successes + entry.failures);
    if (input.timeout === true) entry.timeouts += 1;
    entry.totalTokens += input.tokensUsed ?? 0;
    entry.totalCost += input.costUsd ?? 0;
    entry.lastUsed = new Date().toISOString();
    writeFileSync(this.#file, JSON.stringify(document, null, 2));
  }
}
