import { type Attributes, type HrTime, type SpanStatus, SpanStatusCode } from '@opentelemetry/api';
import { type Logger, type OutcomeDetails, stderrLogger } from '../../index.js';
import { namesTimeout, type OutcomeRecorder } from '../outcome-recorder.js';

/** What the processor reads of an ended span (a subset of the SDK's ReadableSpan). */
export interface EndedSpan {
  readonly name: string;
  readonly attributes: Attributes;
  readonly status: SpanStatus;
  readonly duration: HrTime;
}

/** Token counts from a span's `gen_ai.usage.*` attributes. */
export interface SpanUsage {
  inputTokens: number | undefined;
  outputTokens: number | undefined;
}

export interface SpanOutcomeOptions {
  /** The task type of a span without a `model_perf.task_type` attribute (default: `gen_ai.operation.name`). */
  taskType?: string | ((span: EndedSpan) => string | undefined);
  /** The cost of the call in USD from its token counts; spans carry no prices. */
  cost?: (usage: SpanUsage, modelId: string) => number | undefined;
}

export interface SpanOutcome {
  taskType: string;
  modelId: string;
  details: OutcomeDetails;
}

/** The attribute a runtime sets to name a span's task type itself. */
export const TASK_TYPE_ATTRIBUTE = 'model_perf.task_type';

/**
 * GenAI operations that are not one model call: agent and workflow spans wrap the `chat` spans of their
 * steps and carry the same model and summed tokens, so recording them too would count each call twice.
 */
const WRAPPING_OPERATIONS: ReadonlySet<string> = new Set([
  'invoke_agent',
  'create_agent',
  'invoke_workflow',
  'agent_step',
  'execute_tool',
]);

function text(attributes: Attributes, key: string): string | undefined {
  const value = attributes[key];
  return typeof value === 'string' && value.length > 0 ? value : undefined;
}

function count(attributes: Attributes, key: string): number | undefined {
  const value = attributes[key];
  return typeof value === 'number' && Number.isFinite(value) && value >= 0 ? value : undefined;
}

function taskTypeOf(span: EndedSpan, option: SpanOutcomeOptions['taskType']): string | undefined {
  const fromOption = typeof option === 'function' ? option(span) : option;
  return text(span.attributes, TASK_TYPE_ATTRIBUTE) ?? fromOption ?? text(span.attributes, 'gen_ai.operation.name');
}

/**
 * The outcome one ended span stands for, read off the OpenTelemetry GenAI semantic conventions; undefined
 * for a span that is not one model call (no model, or an agent/tool span) or has no task type.
 */
export function spanOutcome(span: EndedSpan, options: SpanOutcomeOptions): SpanOutcome | undefined {
  const { attributes } = span;
  const operation = text(attributes, 'gen_ai.operation.name');
  if (operation !== undefined && WRAPPING_OPERATIONS.has(operation)) return undefined;
  const modelId = text(attributes, 'gen_ai.response.model') ?? text(attributes, 'gen_ai.request.model');
  if (modelId === undefined) return undefined;
  const taskType = taskTypeOf(span, options.taskType);
  if (taskType === undefined) return undefined;

  const errorType = text(attributes, 'error.type');
  const failed = span.status.code === SpanStatusCode.ERROR || errorType !== undefined;
  const usage: SpanUsage = {
    inputTokens: count(attributes, 'gen_ai.usage.input_tokens'),
    outputTokens: count(attributes, 'gen_ai.usage.output_tokens'),
  };
  const tokensUsed =
    usage.inputTokens === undefined && usage.outputTokens === undefined
      ? undefined
      : (usage.inputTokens ?? 0) + (usage.outputTokens ?? 0);
  const costUsd = tokensUsed === undefined ? undefined : options.cost?.(usage, modelId);
  const [seconds, nanos] = span.duration;
  const details: OutcomeDetails = {
    success: !failed,
    latencyMs: seconds * 1000 + nanos / 1e6,
    ...(failed && namesTimeout(errorType) ? { timeout: true } : {}),
    ...(tokensUsed === undefined ? {} : { tokensUsed }),
    ...(costUsd === undefined ? {} : { costUsd }),
  };
  return { taskType, modelId, details };
}

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
