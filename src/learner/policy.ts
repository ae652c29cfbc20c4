import { ModelPerfError } from '../core/errors.js';
import { type Logger, stderrLogger } from '../core/logger.js';
import { OptionReader } from './option-reader.js';

/** 'wilson' ranks by the lower bound of the success rate; 'raw' by the rate itself (the migration guide). */
export type RankingStrategy = 'wilson' | 'raw';

export const RANKING_STRATEGIES: readonly RankingStrategy[] = ['wilson', 'raw'];

/** A learner's defaults; each query may override its own. */
export interface LearnerPolicy {
  /** Samples a model needs to be ranked (and to be an incumbent). Default 3. */
  minSamples?: number;
  /** Confidence level of the Wilson bounds. Default 0.95. */
  confidence?: number;
  strategy?: RankingStrategy;
  /** shouldDemote demotes when the Wilson upper bound falls below this success rate. Default 0.5. */
  demotionThreshold?: number;
  /** Samples a model needs before it can be demoted. Default 5. */
  demotionMinSamples?: number;
  /** Where recordOutcome reports what it could not record. Default: stderr. */
  logger?: Logger;
  /** The clock: timestamps recorded outcomes and anchors windows. Tests and simulations inject one. */
  now?: () => Date;
}

export type ResolvedPolicy = Required<LearnerPolicy>;

const POLICY_KEYS = [
  'minSamples',
  'confidence',
  'strategy',
  'demotionThreshold',
  'demotionMinSamples',
  'logger',
  'now',
] as const;

const LOGGER_METHODS = ['error', 'warn', 'info', 'debug'] as const;

function isLogger(value: unknown): value is Logger {
  return (
    typeof value === 'object' &&
    value !== null &&
    LOGGER_METHODS.every((method) => typeof (value as Record<string, unknown>)[method] === 'function')
  );
}

/** Fills in the defaults; a bad value fails with MP_CONFIG when the learner is made, not on first use. */
export function resolvePolicy(policy: LearnerPolicy | undefined): ResolvedPolicy {
  const reader = new OptionReader(policy, POLICY_KEYS, 'MP_CONFIG');
  const logger = reader.raw('logger') ?? stderrLogger;
  if (!isLogger(logger)) {
    throw new ModelPerfError('MP_CONFIG', `Invalid logger: expected an object with ${LOGGER_METHODS.join(', ')}`, {
      field: 'logger',
    });
  }
  return {
    minSamples: reader.integer('minSamples', 3),
    confidence: reader.openFraction('confidence', 0.95),
    strategy: reader.choice('strategy', RANKING_STRATEGIES, 'wilson'),
    demotionThreshold: reader.closedFraction('demotionThreshold', 0.5),
    demotionMinSamples: reader.integer('demotionMinSamples', 5),
    logger,
    now: reader.callable('now', () => new Date()),
  };
}
