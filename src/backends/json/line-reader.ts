import { read, readSync } from 'node:fs';
import { READ_CHUNK_BYTES } from './layout.js';

/** Called with each complete line (without its newline) and the file offset where it starts. Returns false to stop. */
export type LineVisitor = (line: string, offset: number) => boolean;

/**
 * Splits bytes, fed in file order, into complete lines. Bytes after the last newline are kept until
 * more arrive: at the end of a file they are a line still being written, or a torn one.
 */
export class LineSplitter {
  #carry: Buffer | undefined;
  #lineStart: number;

  constructor(start: number) {
    this.#lineStart = start;
  }

  /** The offset just past the last complete line. */
  get end(): number {
    return this.#lineStart;
  }

  /** Returns false when the visitor asked to stop. */
  push(chunk: Buffer, visit: LineVisitor): boolean {
    let from = 0;
    let newline = chunk.indexOf(0x0a);
    while (newline !== -1) {
      let line: string;
      let length = newline - from;
      if (this.#carry === undefined) {
        line = chunk.toString('utf8', from, newline);
      } else {
        length += this.#carry.length;
        line = Buffer.concat([this.#carry, chunk.subarray(from, newline)]).toString('utf8');
        this.#carry = undefined;
      }
      const offset = this.#lineStart;
      this.#lineStart += length + 1;
      if (visit(line, offset) === false) return false;
      from = newline + 1;
      newline = chunk.indexOf(0x0a, from);
    }
    if (from < chunk.length) {
      // Copied: the caller reuses its read buffer.
      const rest = Buffer.from(chunk.subarray(from));
      this.#carry = this.#carry === undefined ? rest : Buffer.concat([this.#carry, rest]);
    }
    return true;
  }
}

/**
 * Visits the complete lines in bytes [start, end) of an open file; returns the offset past the last one
 * visited. A visitor that may stop early reads less with a smaller chunk.
 */
export function readLinesSync(
  fd: number,
  start: number,
  end: number,
  visit: LineVisitor,
  chunkBytes = READ_CHUNK_BYTES,
): number {
  const buffer = Buffer.allocUnsafe(Math.min(chunkBytes, Math.max(end - start, 1)));
  const splitter = new LineSplitter(start);
  let position = start;
  while (position < end) {
    const count = readSync(fd, buffer, 0, Math.min(buffer.length, end - position), position);
    if (count === 0) break;
    position += count;
    if (!splitter.push(buffer.subarray(0, count), visit)) break;
  }
  return splitter.end;
}

export interface Line {
  text: string;
  offset: number;
}

function readChunk(fd: number, buffer: Buffer, length: number, position: number): Promise<number> {
  return new Promise((resolve, reject) => {
    read(fd, buffer, 0, length, position, (error, count) => (error === null ? resolve(count) : reject(error)));
  });
}

/**
 * The complete lines in bytes [start, end) of an open file, a chunk's worth at a time, without blocking.
 * A smaller chunk makes the work done per chunk (between two reads) shorter.
 */
export async function* readLines(
  fd: number,
  start: number,
  end: number,
  chunkBytes = READ_CHUNK_BYTES,
): AsyncGenerator<Line[]> {
  const buffer = Buffer.allocUnsafe(Math.min(chunkBytes, Math.max(end - start, 1)));
  const splitter = new LineSplitter(start);
  let position = start;
  while (position < end) {
    const count = await readChunk(fd, buffer, Math.min(buffer.length, end - position), position);
    if (count === 0) return;
    position += count;
    const lines: Line[] = [];
    splitter.push(buffer.subarray(0, count), (text, offset) => {
      lines.push({ text, offset });
      return true;
    });
    if (lines.length > 0) yield lines;
  }
}
