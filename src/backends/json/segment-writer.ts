import { closeSync, mkdirSync, openSync, renameSync, unlinkSync } from 'node:fs';
import path from 'node:path';
import type { Outcome } from '../../core/types.js';
import type { SegmentEntry, TimeSpan } from './checkpoint.js';
import { newSegmentName, randomHex } from './file-names.js';
import { bestEffort, ioError, syncDirectoryAsync, syncFile, withIo, writeAll } from './io.js';
import { tempName } from './layout.js';
import { encodeOutcomes } from './outcome-lines.js';
import { IndexBuilder, SegmentIndex, writeIndexFile } from './segment-index.js';

const FLUSH_BYTES = 1 << 20;

/**
 * Writes a new segment: into a temp file, then fsync, rename to its final name, fsync of the
 * directory. Until a checkpoint lists it, readers ignore it, so a crash at any step loses nothing.
 */
export class SegmentWriter {
  readonly name: string;
  readonly #final: string;
  readonly #temp: string;
  readonly #dir: string;
  readonly #fd: number;
  #pending: string[] = [];
  #pendingBytes = 0;
  #bytes = 0;
  #outcomes = 0;
  #span: TimeSpan | undefined;
  #ids = new IndexBuilder();
  #index: SegmentIndex | undefined;
  #state: 'writing' | 'closed' | 'finished' | 'discarded' = 'writing';

  constructor(dir: string, generation: number) {
    this.#dir = dir;
    this.name = newSegmentName(generation);
    this.#final = path.join(dir, this.name);
    this.#temp = tempName(this.#final, randomHex());
    this.#fd = withIo('create', this.#temp, () => {
      mkdirSync(dir, { recursive: true });
      return openSync(this.#temp, 'wx');
    });
  }

  write(outcomes: readonly Outcome[]): void {
    if (outcomes.length > 0) this.copyLine(encodeOutcomes(outcomes), outcomes);
  }

  /** Appends a line already in the stored form, with its newline; `outcomes` are what it holds. */
  copyLine(line: string, outcomes: readonly Outcome[]): void {
    const bytes = Buffer.byteLength(line);
    for (const { id } of outcomes) this.#ids.add(id, this.#bytes);
    this.#pending.push(line);
    this.#pendingBytes += bytes;
    this.#bytes += bytes;
    this.#outcomes += outcomes.length;
    for (const { timestamp } of outcomes) {
      if (this.#span === undefined) this.#span = { min: timestamp, max: timestamp };
      else if (timestamp < this.#span.min) this.#span.min = timestamp;
      else if (timestamp > this.#span.max) this.#span.max = timestamp;
    }
    if (this.#pendingBytes >= FLUSH_BYTES) this.#flush();
  }

  /** The id index of the finished segment (also written beside it). */
  get index(): SegmentIndex | undefined {
    return this.#index;
  }

  /**
   * Makes the segment durable under its final name; undefined (and no file) when it holds no outcome.
   * `merged`: the segments whose lines were copied first, as SegmentEntry.merged describes. The fsync
   * of the file, the long part, runs off the event loop.
   */
  async finish(merged: readonly SegmentEntry[] = []): Promise<SegmentEntry | undefined> {
    this.#flush();
    await syncFile(this.#fd, this.#temp);
    closeSync(this.#fd);
    this.#state = 'closed';
    if (this.#outcomes === 0) {
      this.#state = 'discarded';
      withIo('remove', this.#temp, () => unlinkSync(this.#temp));
      return undefined;
    }
    withIo('write', this.#final, () => renameSync(this.#temp, this.#final));
    await syncDirectoryAsync(this.#dir).catch((error: unknown) => {
      throw ioError('write', this.#final, error);
    });
    this.#state = 'finished';
    this.#index = SegmentIndex.build(this.#ids);
    writeIndexFile(this.#final, this.#index, this.#bytes);
    const entry: SegmentEntry = { name: this.name, bytes: this.#bytes, outcomes: this.#outcomes };
    if (merged.length > 0) {
      const bytes = merged.reduce((sum, segment) => sum + segment.bytes, 0);
      entry.merged = { segments: merged.map((segment) => segment.name), bytes };
    }
    if (this.#span !== undefined) entry.span = { ...this.#span };
    return entry;
  }

  /** Removes what was written, finished or not: the segment will not be listed. */
  discard(): void {
    if (this.#state === 'discarded') return;
    if (this.#state === 'writing') bestEffort(() => closeSync(this.#fd));
    const file = this.#state === 'finished' ? this.#final : this.#temp;
    this.#state = 'discarded';
    bestEffort(() => unlinkSync(file));
  }

  #flush(): void {
    if (this.#pending.length === 0) return;
    const chunk = Buffer.from(this.#pending.join(''));
    this.#pending = [];
    this.#pendingBytes = 0;
    withIo('write', this.#temp, () => writeAll(this.#fd, chunk));
  }
}
