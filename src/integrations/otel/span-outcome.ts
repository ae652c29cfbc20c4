import { type Attributes, type HrTime, type SpanStatus, SpanStatusCode } from '@opentelemetry/api';
import type { OutcomeDetails } from '../../index.js';
import { namesTimeout } from '../timeout.js';

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
