import type { StreamPart } from './ai-types.js';
import type { CallEnd } from './call-recorder.js';

/**
 * Passes a model's stream through unchanged and reports how it ended, once: finished (with the finish
 * part's usage and reason and the text seen), errored, or cancelled by the reader. The end is awaited
 * before the stream closes, so a caller that read to the end finds the outcome recorded; nothing else
 * holds a part back.
 */
export function recordedStream(
  source: ReadableStream<StreamPart>,
  onEnd: (end: CallEnd) => Promise<void>,
): ReadableStream<StreamPart> {
  const reader = source.getReader();
  const texts: string[] = [];
  let finish: Extract<StreamPart, { type: 'finish' }> | undefined;
  let streamError: { error: unknown } | undefined;
  let ended = false;
  const end = async (how: CallEnd): Promise<void> => {
    if (ended) return;
    ended = true;
    await onEnd(how);
  };
  const observe = (part: StreamPart): void => {
    if (part.type === 'text-delta') texts.push(part.delta);
    else if (part.type === 'finish') finish = part;
    else if (part.type === 'error') streamError ??= { error: part.error };
  };
  return new ReadableStream<StreamPart>({
    async pull(controller) {
      let next: Awaited<ReturnType<typeof reader.read>>;
      try {
        next = await reader.read();
      } catch (error) {
        await end({ error });
        controller.error(error);
        return;
      }
      if (next.done) {
        await end(
          streamError ?? {
            completed: {
              text: texts.join(''),
              finishReason: finish?.finishReason,
              usage: finish?.usage,
              content: undefined,
            },
          },
        );
        controller.close();
        return;
      }
      observe(next.value);
      controller.enqueue(next.value);
    },
    async cancel(reason) {
      await reader.cancel(reason);
      await end({ error: reason });
    },
  });
}
