import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { readCheckpoint } from '../../src/backends/json/checkpoint.js';
import { checksum, openDocument, sealDocument } from '../../src/backends/json/document-file.js';
import { readImportsFile } from '../../src/backends/json/imports-file.js';
import { decodeOutcomes, encodeOutcomes } from '../../src/backends/json/outcome-lines.js';
import type { Outcome } from '../../src/core/types.js';
import { legacySource } from '../contract/import-fixtures.js';
import { openJson, outcomesNo, TINY, tempDir } from './json-fixture.js';

const OUTCOME: Outcome = {
  id: 'id-1',
  taskType: 'execute-task',
  modelId: 'gpt-4o 🚀',
  success: true,
  timeout: false,
  tokensUsed: 1200,
  costUsd: 0.25,
  latencyMs: 812.5,
  timestamp: '2026-03-01T00:00:00.000Z',
};

/** The line with the character at `index` replaced by another, in the ways a flipped bit changes text. */
function variants(line: string, index: number): string[] {
  const code = line.charCodeAt(index);
  return [code ^ 1, code ^ 0x20, code === 0x30 ? 0x31 : 0x30].map(
    (changed) => line.slice(0, index) + String.fromCharCode(changed) + line.slice(index + 1),
  );
}

describe('checksums on JSON store files', () => {
  it('gives every outcome line one, and rejects the line after any single changed character', () => {
    const line = encodeOutcomes([OUTCOME, { ...OUTCOME, id: 'id-2', success: false }]).slice(0, -1);
    expect(line).toMatch(/\t[0-9a-f]{8}$/);
    expect(decodeOutcomes(line)).toHaveLength(2);
    for (let index = 0; index < line.length; index += 1) {
      for (const changed of variants(line, index)) {
        expect(decodeOutcomes(changed), `character ${index} changed: ${changed}`).toBeUndefined();
      }
    }
  });

  it('treats a line without a checksum as damage: there is one line format', () => {
    expect(decodeOutcomes(JSON.stringify([OUTCOME]))).toBeUndefined();
  });

  it('is FNV-1a: a known value, and a different one for each single changed character', () => {
    expect(checksum('')).toBe('811c9dc5');
    expect(checksum('a')).toBe('e40c292c');
    const text = '{"stats":[1,2,3]}';
    const texts = new Set([text]);
    for (let index = 0; index < text.length; index += 1)
      for (const changed of variants(text, index)) texts.add(changed);
    expect(new Set([...texts].map(checksum)).size).toBe(texts.size);
  });

  it('seals a document as its last field, so that an older model-perf still parses it', () => {
    const sealed = sealDocument('{"format":"x","version":2}');
    expect(JSON.parse(sealed)).toEqual({ format: 'x', version: 2, checksum: checksum('{"format":"x","version":2}') });
    expect(openDocument(sealed)).toEqual({ sealed: true, json: '{"format":"x","version":2}' });
    expect(openDocument(sealed.replace('2', '3'))).toEqual({ sealed: true, json: undefined });
    expect(openDocument('{"version":1}\n')).toEqual({ sealed: false, json: '{"version":1}\n' });
  });

  it('finds a changed digit in the checkpoint, and requires the checksum from version 2 on', async () => {
    const dir = await tempDir();
    const store = await openJson(dir, TINY);
    for (let batch = 0; batch < 20; batch += 1) await store.recordMany(outcomesNo(batch * 10, 10));
    await store.close();
    const file = join(dir, 'model-perf.checkpoint.json');
    const text = readFileSync(file, 'utf8');
    expect(readCheckpoint(file).kind).toBe('found');
    const digit = text.search(/"successes":\d/) + '"successes":'.length;
    const changed = text.slice(0, digit) + String((Number(text[digit]) + 1) % 10) + text.slice(digit + 1);
    writeFileSync(file, changed);
    expect(readCheckpoint(file)).toEqual({ kind: 'corrupt', problem: 'its checksum does not match its content' });
    const document = JSON.parse(text) as Record<string, unknown>;
    delete document.checksum;
    writeFileSync(file, JSON.stringify(document));
    expect(readCheckpoint(file)).toEqual({ kind: 'corrupt', problem: 'no checksum' });
    // One format version: an older one (unsealed or not) is damage, not a format to read.
    writeFileSync(file, JSON.stringify({ ...document, version: 1 }));
    expect(readCheckpoint(file)).toEqual({ kind: 'corrupt', problem: 'unsupported version 1' });
    writeFileSync(file, sealDocument(JSON.stringify({ ...document, version: 1 })));
    expect(readCheckpoint(file)).toEqual({ kind: 'corrupt', problem: 'unsupported version 1' });
  });

  it('treats a version 2 checkpoint (stats without value counts and recency) as damage', async () => {
    const dir = await tempDir();
    const store = await openJson(dir, TINY);
    for (let batch = 0; batch < 20; batch += 1) await store.recordMany(outcomesNo(batch * 10, 10));
    await store.close();
    const file = join(dir, 'model-perf.checkpoint.json');
    const {
      checksum: _sealed,
      stats,
      ...document
    } = JSON.parse(readFileSync(file, 'utf8')) as {
      checksum: string;
      stats: Array<Record<string, unknown>>;
    };
    const older = stats.map(
      ({
        tokenSamples: _t,
        costSamples: _c,
        fastSuccesses: _fs,
        fastFailures: _ff,
        slowSuccesses: _ss,
        slowFailures: _sf,
        ...rest
      }) => rest,
    );
    expect(older.length).toBeGreaterThan(0);
    writeFileSync(file, sealDocument(JSON.stringify({ ...document, version: 2, stats: older })));
    expect(readCheckpoint(file)).toEqual({ kind: 'corrupt', problem: 'unsupported version 2' });
  });

  it('finds a changed count in the imports file', async () => {
    const dir = await tempDir();
    const store = await openJson(dir);
    await store.importBaselines(legacySource('legacy'), [
      {
        taskType: 't',
        modelId: 'm',
        successes: 42,
        failures: 3,
        timeouts: 0,
        totalTokens: 0,
        totalCost: 0,
        lastUsed: null,
      },
    ]);
    const file = join(dir, 'model-perf.imports.json');
    const text = readFileSync(file, 'utf8');
    expect(readImportsFile(file).kind).toBe('found');
    writeFileSync(file, text.replace('"successes":42', '"successes":43'));
    expect(readImportsFile(file)).toEqual({ kind: 'corrupt', problem: 'its checksum does not match its content' });
  });
});
