import type { Readable } from 'node:stream';

/** Calls `onLine` with each complete line a child prints, as it arrives. */
export function onLines(stream: Readable | null, onLine: (line: string) => void): void {
  let pending = '';
  stream?.setEncoding('utf8').on('data', (chunk: string) => {
    const lines = (pending + chunk).split('\n');
    pending = lines.pop() ?? '';
    for (const line of lines) onLine(line);
  });
}
