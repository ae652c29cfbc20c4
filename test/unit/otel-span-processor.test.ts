import { OpenTelemetry } from '@ai-sdk/otel';
import { type Span, SpanStatusCode } from '@opentelemetry/api';
import { BasicTracerProvider, InMemorySpanExporter, SimpleSpanProcessor } from '@opentelemetry/sdk-trace-base';
import { generateText, streamText } from 'ai';
import { describe, expect, it } from 'vitest';
import { ModelPerfSpanProcessor } from '../../src/integrations/otel/index.js';
import { allOutcomes, replyingModel, throwingModel, useLearner } from '../support/ai-mock-models.js';
import { captureLogger } from '../support/capture-logger.js';

const openLearner = useLearner();

function tracerWith(processor: ModelPerfSpanProcessor): {
  provider: BasicTracerProvider;
  exporter: InMemorySpanExporter;
} {
  const exporter = new InMemorySpanExporter();
  const provider = new BasicTracerProvider({ spanProcessors: [processor, new SimpleSpanProcessor(exporter)] });
  return { provider, exporter };
}

function chatSpan(provider: BasicTracerProvider, attributes: Record<string, string | number>): Span {
  return provider.getTracer('test').startSpan(`chat ${attributes['gen_ai.request.model'] ?? ''}`, { attributes });
}

describe('ModelPerfSpanProcessor', () => {
  it('records one outcome per GenAI span: model, exact tokens, ERROR as failure, a named timeout', async () => {
    const learner = await openLearner();
    const processor = new ModelPerfSpanProcessor(learner, { cost: ({ inputTokens = 0 }) => inputTokens / 1e6 });
    const { provider } = tracerWith(processor);
    const chat = { 'gen_ai.operation.name': 'chat', 'gen_ai.request.model': 'gpt-4o' };

    chatSpan(provider, {
      ...chat,
      'gen_ai.response.model': 'gpt-4o-2024-08-06',
      'gen_ai.usage.input_tokens': 100,
      'gen_ai.usage.output_tokens': 20,
    }).end();
    chatSpan(provider, { ...chat, 'model_perf.task_type': 'summarize', 'gen_ai.usage.input_tokens': 7 }).end();
    const failed = chatSpan(provider, chat);
    failed.setStatus({ code: SpanStatusCode.ERROR, message: '500' });
    failed.end();
    const timedOut = chatSpan(provider, { ...chat, 'error.type': 'TimeoutError' });
    timedOut.setStatus({ code: SpanStatusCode.ERROR });
    timedOut.end();
    // Ignored: no model; an agent span that wraps chat spans (it would count their call twice).
    chatSpan(provider, { 'gen_ai.operation.name': 'chat' }).end();
    chatSpan(provider, { ...chat, 'gen_ai.operation.name': 'invoke_agent' }).end();
    await provider.forceFlush();

    const recorded = await allOutcomes(learner);
    // Outcomes recorded in the same millisecond come back in id order: compare them as a set.
    expect(recorded).toHaveLength(4);
    expect(recorded.map((o) => [o.taskType, o.modelId, o.success, o.timeout, o.tokensUsed])).toEqual(
      expect.arrayContaining([
        ['chat', 'gpt-4o-2024-08-06', true, false, 120],
        ['summarize', 'gpt-4o', true, false, 7],
        // The failed spans carry no usage: their tokens are unknown, not 0.
        ['chat', 'gpt-4o', false, false, null],
        ['chat', 'gpt-4o', false, true, null],
      ]),
    );
    expect(recorded.find((o) => o.tokensUsed === 120)?.costUsd).toBeCloseTo(100 / 1e6, 12);
    expect(recorded.every((o) => o.latencyMs !== null && o.latencyMs >= 0)).toBe(true);
  });

  it('takes the task type from the option when the span names none', async () => {
    const learner = await openLearner();
    const { provider } = tracerWith(
      new ModelPerfSpanProcessor(learner, { taskType: (span) => (span.name.includes('mini') ? 'cheap' : undefined) }),
    );
    chatSpan(provider, { 'gen_ai.operation.name': 'chat', 'gen_ai.request.model': 'gpt-mini' }).end();
    chatSpan(provider, { 'gen_ai.operation.name': 'chat', 'gen_ai.request.model': 'gpt-big' }).end();
    await provider.forceFlush();
    expect((await allOutcomes(learner)).map((o) => [o.taskType, o.modelId])).toEqual([
      ['cheap', 'gpt-mini'],
      ['chat', 'gpt-big'],
    ]);
  });

  it("records the AI SDK's own telemetry spans (generateText, streamText, a thrown call) once each", async () => {
    const learner = await openLearner();
    const processor = new ModelPerfSpanProcessor(learner);
    const { provider, exporter } = tracerWith(processor);
    const telemetry = { integrations: new OpenTelemetry({ tracer: provider.getTracer('ai') }) };
    const model = replyingModel('mock-chat', { text: 'hi', inputTokens: 40, outputTokens: 2 });
    await generateText({ model, prompt: 'x', experimental_telemetry: telemetry });
    await streamText({ model, prompt: 'x', experimental_telemetry: telemetry }).text;
    await generateText({
      model: throwingModel('mock-broken', new Error('down')),
      prompt: 'x',
      maxRetries: 0,
      experimental_telemetry: telemetry,
    }).catch(() => undefined);
    await provider.forceFlush();

    // The SDK emits an invoke_agent span and a step span around each chat span: only the chat spans count.
    expect(exporter.getFinishedSpans().map((span) => span.attributes['gen_ai.operation.name'])).toContain(
      'invoke_agent',
    );
    const recorded = await allOutcomes(learner);
    expect(recorded.map((o) => [o.taskType, o.modelId, o.success, o.success ? o.tokensUsed : 'none'])).toEqual(
      expect.arrayContaining([
        ['chat', 'mock-chat', true, 42],
        ['chat', 'mock-chat', true, 42],
        ['chat', 'mock-broken', false, 'none'],
      ]),
    );
    expect(recorded).toHaveLength(3);
  });

  it('never throws into tracing: a throwing taskType function is logged and the span skipped', async () => {
    const learner = await openLearner();
    const logger = captureLogger();
    const { provider } = tracerWith(
      new ModelPerfSpanProcessor(learner, {
        logger,
        taskType: () => {
          throw new Error('bad mapper');
        },
      }),
    );
    chatSpan(provider, { 'gen_ai.operation.name': 'chat', 'gen_ai.request.model': 'm' }).end();
    await provider.forceFlush();
    expect(await allOutcomes(learner)).toEqual([]);
    expect(logger.lines[0]?.message).toContain('bad mapper');
    expect(() => new ModelPerfSpanProcessor({} as never)).toThrow(TypeError);
  });
});
