import type { LanguageModelMiddleware, wrapLanguageModel } from 'ai';

// The AI SDK's model interface is versioned (v3 in `@ai-sdk/provider` 3, v4 in `ai` 7); these names are
// read off what the installed `ai` exports, so model-perf names no version and imports only from `ai`.
type WrapGenerate = NonNullable<LanguageModelMiddleware['wrapGenerate']>;
type WrapStream = NonNullable<LanguageModelMiddleware['wrapStream']>;

/** The options of one model call (prompt, abort signal, settings), as the middleware sees them. */
export type CallOptions = Parameters<WrapGenerate>[0]['params'];
export type GenerateResult = Awaited<ReturnType<WrapGenerate>>;
export type StreamResult = Awaited<ReturnType<WrapStream>>;
export type StreamPart = StreamResult['stream'] extends ReadableStream<infer Part> ? Part : never;
/** Token usage as the provider reports it: `inputTokens.total`, `outputTokens.total`, cache details. */
export type ModelUsage = GenerateResult['usage'];
export type FinishReason = GenerateResult['finishReason'];
/** What `wrapLanguageModel` returns: the model type every AI SDK call accepts. */
export type WrappedModel = ReturnType<typeof wrapLanguageModel>;
/** A model `wrapLanguageModel` accepts: any spec version the installed AI SDK supports. */
export type CandidateModel = Parameters<typeof wrapLanguageModel>[0]['model'];
