import { closeSync, existsSync, fstatSync, readSync, renameSync, unlinkSync, writeFileSync } from 'node:fs';
import { randomHex, tempName } from '../../core/durable-files.js';
import { openStoreFileSync } from '../../core/store-files.js';
import type { Outcome } from '../../core/types.js';
import { bestEffort, withIo } from './io.js';
import { segmentGeneration } from './layout.js';
import { readLinesSync } from './line-reader.js';
import { decodeOutcomes } from './outcome-lines.js';
import { openEither } from './reads.js';

/**
 * The ids of one segment as a hash table in typed arrays: per slot a 64-bit hash of the id (two 32-bit
 * halves) and where the line holding it starts (offset + 1; 0 marks an empty slot). Twelve bytes per
 * slot, 1.5 slots per id, so a million outcomes take about 18 MB, and loading it is one read of
 * `<segment>.idx` (written with the segment) straight into the arrays, with no parsing and no copy. A hash hit is confirmed by
 * reading that one line and comparing the full id, so a collision can never hide an outcome.
 */
export class SegmentIndex {
  readonly count: number;
  readonly #capacity: number;
  readonly #high: Uint32Array;
  readonly #low: Uint32Array;
  readonly #offsets: Uint32Array;

  private constructor(count: number, high: Uint32Array, low: Uint32Array, offsets: Uint32Array) {
    this.count = count;
    this.#capacity = high.length;
    this.#high = high;
    this.#low = low;
    this.#offsets = offsets;
  }

  /** An index of the (id, line offset) pairs in a builder. */
  static build(entries: IndexBuilder): SegmentIndex {
    const capacity = tableCapacity(entries.count);
    const index = new SegmentIndex(
      entries.count,
      new Uint32Array(capacity),
      new Uint32Array(capacity),
      new Uint32Array(capacity),
    );
    for (let entry = 0; entry < entries.count; entry += 1) {
      index.#insert(entries.high[entry] ?? 0, entries.low[entry] ?? 0, entries.offsets[entry] ?? 0);
    }
    return index;
  }

  /**
   * The line offsets whose id hashes as `id` does (almost always none, or the one line that holds it).
   * The hash may be given, when one id is looked up in several indexes.
   */
  candidates(id: string, [high, low] = hashId(id)): number[] {
    const found: number[] = [];
    for (let slot = high % this.#capacity; ; slot = slot + 1 === this.#capacity ? 0 : slot + 1) {
      const stored = this.#offsets[slot] ?? 0;
      if (stored === 0) return found;
      if (this.#high[slot] === high && this.#low[slot] === low) found.push(stored - 1);
    }
  }

  /**
   * The file form: a header (magic, count, capacity, the segment's size, a checksum of the table), then
   * the three columns, little-endian (what every platform Node runs on uses).
   */
  encode(segmentBytes: number): Buffer {
    const header = Buffer.alloc(HEADER_BYTES);
    header.write(MAGIC, 0, 'latin1');
    header.writeUInt32LE(this.count, 4);
    header.writeUInt32LE(this.#capacity, 8);
    header.writeDoubleLE(segmentBytes, 12);
    header.writeUInt32LE(checksum([this.#high, this.#low, this.#offsets]), 20);
    return Buffer.concat([header, viewBytes(this.#high), viewBytes(this.#low), viewBytes(this.#offsets)]);
  }

  /**
   * The file form, read into a buffer of its own, its columns viewed in place; undefined when it is
   * damaged or was made for another file (a rebuild follows).
   */
  static decode(bytes: Uint8Array<ArrayBuffer>, segmentBytes: number, outcomes: number): SegmentIndex | undefined {
    if (bytes.length < HEADER_BYTES || bytes.byteOffset % 4 !== 0) return undefined;
    const header = Buffer.from(bytes.buffer, bytes.byteOffset, HEADER_BYTES);
    if (header.toString('latin1', 0, 4) !== MAGIC) return undefined;
    const count = header.readUInt32LE(4);
    const capacity = header.readUInt32LE(8);
    if (count !== outcomes || header.readDoubleLE(12) !== segmentBytes) return undefined;
    if (capacity !== tableCapacity(count) || bytes.length !== HEADER_BYTES + capacity * 12) return undefined;
    const column = (part: number): Uint32Array<ArrayBuffer> =>
      new Uint32Array(bytes.buffer, bytes.byteOffset + HEADER_BYTES + part * capacity * 4, capacity);
    const high = column(0);
    const low = column(1);
    const offsets = column(2);
    if (checksum([high, low, offsets]) !== header.readUInt32LE(20)) return undefined;
    return new SegmentIndex(count, high, low, offsets);
  }

  #insert(high: number, low: number, offset: number): void {
    let slot = high % this.#capacity;
    while ((this.#offsets[slot] ?? 0) !== 0) slot = slot + 1 === this.#capacity ? 0 : slot + 1;
    this.#high[slot] = high;
    this.#low[slot] = low;
    this.#offsets[slot] = offset + 1;
  }
}

const MAGIC = 'MPX2';
/** A multiple of 4, so that the columns after it can be viewed as Uint32Arrays in place. */
const HEADER_BYTES = 24;
/** Offsets are 32-bit: a segment stays far below 4 GB (see layout.ts), and a larger one gets no index. */
export const MAX_INDEXED_BYTES = 0xffff_fffe;

/** One and a half slots per id: linear probes stay short (two thirds full), and a slot is always free. */
function tableCapacity(count: number): number {
  return Math.max(16, Math.ceil(count * 1.5));
}

/** A 32-bit FNV-style checksum of the words: a damaged index must not hide an id, and this costs little. */
function checksum(columns: readonly Uint32Array[]): number {
  let sum = 0x811c9dc5;
  for (const column of columns) {
    for (let index = 0; index < column.length; index += 1) sum = Math.imul(sum ^ (column[index] ?? 0), 0x01000193);
  }
  return sum >>> 0;
}

function viewBytes(array: Uint32Array): Buffer {
  return Buffer.from(array.buffer, array.byteOffset, array.byteLength);
}

/** Two independent 32-bit hashes of the UTF-16 code units (a 64-bit hash, in halves). */
export function hashId(id: string): [number, number] {
  let high = 0x811c9dc5;
  let low = 0x9747b28c;
  for (let index = 0; index < id.length; index += 1) {
    const unit = id.charCodeAt(index);
    high = Math.imul(high ^ unit, 0x01000193);
    low = Math.imul(low ^ unit, 0x5bd1e995);
    low ^= low >>> 15;
  }
  high = Math.imul(high ^ (high >>> 16), 0x85ebca6b);
  high ^= high >>> 13;
  low = Math.imul(low ^ (low >>> 16), 0xc2b2ae35);
  low ^= low >>> 16;
  return [high >>> 0, low >>> 0];
}

/** Collects (id hash, line offset) pairs as a segment is written or scanned, in growing typed arrays. */
export class IndexBuilder {
  count = 0;
  high = new Uint32Array(1024);
  low = new Uint32Array(1024);
  offsets = new Uint32Array(1024);

  add(id: string, offset: number): void {
    if (this.count === this.high.length) {
      this.high = grow(this.high);
      this.low = grow(this.low);
      this.offsets = grow(this.offsets);
    }
    const [high, low] = hashId(id);
    this.high[this.count] = high;
    this.low[this.count] = low;
    this.offsets[this.count] = offset;
    this.count += 1;
  }
}

function grow(array: Uint32Array<ArrayBuffer>): Uint32Array<ArrayBuffer> {
  const bigger = new Uint32Array(array.length * 2);
  bigger.set(array);
  return bigger;
}

const INDEX_SUFFIX = '.idx';

export function indexFile(segmentFile: string): string {
  return segmentFile.replace(/\.jsonl$/, INDEX_SUFFIX);
}

/** The segment file name an index file name belongs to; undefined when it is not an index file's name. */
export function indexedSegmentName(name: string): string | undefined {
  if (!name.endsWith(INDEX_SUFFIX)) return undefined;
  const segment = `${name.slice(0, -INDEX_SUFFIX.length)}.jsonl`;
  return segmentGeneration(segment) === undefined ? undefined : segment;
}

/**
 * The index file of a segment, when it is there, sound, and made for this segment; else undefined. Read
 * like every store file (core/store-files.ts: never through a symlink, never a FIFO) and only when its
 * size is the one its segment's outcome count gives, so a planted file cannot make it allocate more.
 */
export function readIndexFile(segmentFile: string, segmentBytes: number, outcomes: number): SegmentIndex | undefined {
  let fd: number | undefined;
  try {
    fd = openStoreFileSync(indexFile(segmentFile));
  } catch {
    // Refused or unreadable: derived data, rebuilt from the segment (and written over the entry).
  }
  if (fd === undefined) return undefined;
  try {
    const size = fstatSync(fd).size;
    if (size !== HEADER_BYTES + tableCapacity(outcomes) * 12) return undefined;
    const bytes = new Uint8Array(new ArrayBuffer(size));
    for (let read = 0; read < bytes.length; ) {
      const count = readSync(fd, bytes, read, bytes.length - read, read);
      if (count === 0) return undefined;
      read += count;
    }
    return SegmentIndex.decode(bytes, segmentBytes, outcomes);
  } catch {
    return undefined;
  } finally {
    closeSync(fd);
  }
}

/**
 * Writes a segment's index beside it, best effort: it is derived data (a missing or damaged one is
 * rebuilt from the segment), so no lock and no fsync; the rename keeps readers from seeing half of it.
 */
export function writeIndexFile(segmentFile: string, index: SegmentIndex, segmentBytes: number): void {
  const file = indexFile(segmentFile);
  const temp = tempName(file, randomHex());
  bestEffort(() => {
    try {
      writeFileSync(temp, index.encode(segmentBytes), { flag: 'wx' });
      renameSync(temp, file);
    } catch (error) {
      bestEffort(() => unlinkSync(temp));
      throw error;
    }
  });
}

/** The outcome stored under `id` in the segment line at `offset`, if that line holds it. */
export function outcomeAtLine(segmentFile: string, offset: number, id: string): Outcome | undefined {
  let found: Outcome | undefined;
  const fd = openEither('segment', segmentFile, segmentFile);
  if (fd === undefined) return undefined;
  try {
    withIo('read', segmentFile, () =>
      readLinesSync(fd, offset, Number.MAX_SAFE_INTEGER, (line) => {
        found = decodeOutcomes(line)?.find((outcome) => outcome.id === id);
        return false;
      }),
    );
  } finally {
    closeSync(fd);
  }
  return found;
}

/** The indexes of the segments a view counts, by segment name. */
export class SegmentIds {
  #segments = new Map<string, { file: string; index: SegmentIndex }>();

  loaded(name: string): boolean {
    return this.#segments.has(name);
  }

  add(name: string, file: string, index: SegmentIndex): void {
    this.#segments.set(name, { file, index });
  }

  /** Keeps only the named segments: the others left the store (merged into a newer one). */
  retain(names: ReadonlySet<string>): void {
    for (const name of this.#segments.keys()) if (!names.has(name)) this.#segments.delete(name);
  }

  clear(): void {
    this.#segments.clear();
  }

  /** Whether a segment holds the id. A hit whose line cannot be read any more (its segment was merged away) counts as one. */
  has(id: string): boolean {
    if (this.#segments.size === 0) return false;
    const hash = hashId(id);
    for (const { file, index } of this.#segments.values()) {
      for (const offset of index.candidates(id, hash)) {
        if (!existsSync(file) || outcomeAtLine(file, offset, id) !== undefined) return true;
      }
    }
    return false;
  }

  /** The outcome a segment holds under the id, read from its one line; undefined when none does. */
  find(id: string): Outcome | undefined {
    const hash = hashId(id);
    for (const { file, index } of this.#segments.values()) {
      for (const offset of index.candidates(id, hash)) {
        const outcome = outcomeAtLine(file, offset, id);
        if (outcome !== undefined) return outcome;
      }
    }
    return undefined;
  }
}
