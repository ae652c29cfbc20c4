// Routes an agent's calls with model-perf, on the AI SDK's mock models (no network, no API key):
// `npm run example:ai-sdk`. Three candidates succeed 20%, 90% and 50% of the time; the adaptive model
// asks the learner before every call and records every outcome, so the calls move to the best one.
// The learning middleware and the OpenTelemetry span processor record calls you already make.
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { SpanStatusCode } from '@opentelemetry/api';
import { BasicTracerProvider } from '@opentelemetry/sdk-trace-base';
import { generateText, wrapLanguageModel } from 'ai';
import { MockLanguageModelV3 } from 'ai/test';
import { ModelLearner } from 'model-perf';
import { adaptiveModel, learningMiddleware, type ModelUsage } from 'model-perf/ai-sdk';
import { ModelPerfSpanProcessor } from 'model-perf/otel';

/** A mock model that answers with `successRate` probability and throws otherwise. */
function mockModel(modelId: string, successRate: number): MockLanguageModelV3 {
  return new MockLanguageModelV3({
    modelId,
    doGenerate: async () => {
      if (Math.random() >= successRate) throw new Error(`${modelId}: upstream error`);
      return {
        content: [{ type: 'text', text: 'done' }],
        finishReason: { unified: 'stop', raw: 'stop' },
        usage: {
          inputTokens: { total: 1200, noCache: 1200, cacheRead: undefined, cacheWrite: undefined },
          outputTokens: { total: 300, text: 300, reasoning: undefined },
        },
        warnings: [],
      };
    },
  });
}

/** Your prices, per million tokens: model-perf ships none, since they change. */
const PRICES: Record<string, { input: number; output: number }> = {
  'cheap-model': { input: 0.15, output: 0.6 },
  'strong-model': { input: 2.5, output: 10 },
  'middle-model': { input: 1, output: 4 },
};
function cost(usage: ModelUsage, modelId: string): number | undefined {
  const price = PRICES[modelId];
  if (price === undefined) return undefined;
  return ((usage.inputTokens.total ?? 0) * price.input + (usage.outputTokens.total ?? 0) * price.output) / 1e6;
}

const dir = await mkdtemp(join(tmpdir(), 'model-perf-example-'));
const learner = await ModelLearner.open({ dir });
try {
  // 1. Adaptive routing: one model that picks among the candidates on every call.
  const model = adaptiveModel(learner, {
    taskType: 'execute-task',
    candidates: {
      'cheap-model': mockModel('cheap', 0.2),
      'strong-model': mockModel('strong', 0.9),
      'middle-model': mockModel('middle', 0.5),
    },
    cost,
    fallback: true, // a failed call is retried once on the next choice; both outcomes are recorded
  });
  let answered = 0;
  for (let call = 0; call < 200; call += 1) {
    const result = await generateText({ model, prompt: `task ${call}`, maxRetries: 0 }).catch(() => undefined);
    if (result !== undefined) answered += 1;
  }
  console.log(`adaptive: ${answered}/200 calls answered`);
  for (const row of await learner.getRankedModels('execute-task')) {
    // A failed call reports no usage, so a model tried only on failures has no cost yet (null).
    const costText = row.avgCost === null ? 'no cost recorded' : `$${row.avgCost.toFixed(5)}/call`;
    console.log(
      `  ${row.modelId.padEnd(13)} ${String(row.samples).padStart(4)} calls  ${(row.successRate * 100).toFixed(0)}% success  ${costText}`,
    );
  }

  // 2. The middleware alone: record the calls of a model you already use.
  const recorded = wrapLanguageModel({
    model: mockModel('strong', 1),
    middleware: learningMiddleware(learner, { taskType: 'summarize', cost, modelId: 'strong-model' }),
  });
  await generateText({ model: recorded, prompt: 'Summarize this.' });
  const [summary] = await learner.getRankedModels('summarize', { minSamples: 1 });
  console.log(`middleware: ${summary?.modelId} recorded ${summary?.samples} call, ${summary?.totalTokens} tokens`);

  // 3. OpenTelemetry: GenAI spans from any instrumentation become outcomes.
  const provider = new BasicTracerProvider({ spanProcessors: [new ModelPerfSpanProcessor(learner)] });
  const span = provider.getTracer('agent').startSpan('chat gpt-4o', {
    attributes: {
      'gen_ai.operation.name': 'chat',
      'gen_ai.request.model': 'gpt-4o',
      'gen_ai.usage.input_tokens': 900,
      'gen_ai.usage.output_tokens': 100,
      'model_perf.task_type': 'plan-slice',
    },
  });
  span.setStatus({ code: SpanStatusCode.OK });
  span.end();
  await provider.forceFlush();
  const [traced] = await learner.getRankedModels('plan-slice', { minSamples: 1 });
  console.log(`otel: ${traced?.modelId} recorded ${traced?.samples} call, ${traced?.totalTokens} tokens`);
} finally {
  await learner.store.close();
  await rm(dir, { recursive: true, force: true });
}
