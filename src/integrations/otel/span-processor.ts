import { type Logger, stderrLogger } from '../../core/logger.js';
import type { OutcomeRecorder } from '../outcome-recorder.js';
import { type EndedSpan, type SpanOutcomeOptions, spanOutcome } from './span-outcome.js';

export interface SpanProcessorOptions extends SpanOutcomeOptions {
  /** Where a span that could not be read is reported (default: stderr). */
  logger?: Logger;
}

/**
 * An OpenTelemetry span processor that records one outcome per ended GenAI model-call span: the model
 * from `gen_ai.response.model` (else `gen_ai.request.model`), tokens from `gen_ai.usage.*`, failure from
 * an ERROR status or an `error.type` (a timeout when it names one), latency from the span's duration.
 * Add it to a tracer provider next to your exporter; `forceFlush` waits until every record has landed.
 */
export class ModelPerfSpanProcessor {
  readonly #learner: OutcomeRecorder;
  readonly #options: SpanOutcomeOptions;
  readonly #logger: Logger;
  readonly #pending = new Set<Promise<unknown>>();

  constructor(learner: OutcomeRecorder, options: SpanProcessorOptions = {}) {
    if (typeof (learner as Partial<OutcomeRecorder> | null)?.recordOutcome !== 'function') {
      throw new TypeError('ModelPerfSpanProcessor: expected a ModelLearner (an object with recordOutcome)');
    }
    const { taskType, cost } = options;
    if (
      !(taskType === undefined || typeof taskType === 'function' || (typeof taskType === 'string' && taskType !== ''))
    ) {
      throw new TypeError('ModelPerfSpanProcessor: taskType must be a non-empty string or a function of the span');
    }
    if (cost !== undefined && typeof cost !== 'function') {
      throw new TypeError('ModelPerfSpanProcessor: cost must be a function (usage, modelId) => USD');
    }
    this.#learner = learner;
    this.#options = { ...(taskType === undefined ? {} : { taskType }), ...(cost === undefined ? {} : { cost }) };
    this.#logger = options.logger ?? stderrLogger;
  }

  onStart(): void {}

  /** Never throws: a span model-perf cannot read is logged, and tracing goes on. */
  onEnd(span: EndedSpan): void {
    let outcome: ReturnType<typeof spanOutcome>;
    try {
      outcome = spanOutcome(span, this.#options);
    } catch (error) {
      this.#logger.warn(`ModelPerfSpanProcessor: span '${span.name}' not recorded (${String(error)})`);
      return;
    }
    if (outcome === undefined) return;
    const recorded = this.#learner.recordOutcome(outcome.taskType, outcome.modelId, outcome.details);
    this.#pending.add(recorded);
    void recorded.finally(() => this.#pending.delete(recorded));
  }

  async forceFlush(): Promise<void> {
    await Promise.all(this.#pending);
  }

  async shutdown(): Promise<void> {
    await this.forceFlush();
  }
}
