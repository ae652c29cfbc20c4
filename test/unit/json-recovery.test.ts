import { mkdirSync, readFileSync, statSync, unlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { sealLine } from '../../src/backends/json/document-file.js';
import { LOCAL_HOST } from '../../src/backends/json/layout.js';
import { expectRecountMatches } from '../contract/recount.js';
import { captureLogger } from '../support/capture-logger.js';
import {
  CHECKPOINT,
  collect,
  deadPid,
  filesIn,
  journalDir,
  openJson,
  outcomeNo,
  outcomesNo,
  segmentDir,
  segmentFiles,
  TINY,
  tempDir,
} from './json-fixture.js';

function line(from: number, count: number): string {
  const outcomes = outcomesNo(from, count).map((input) => ({
    timeout: false,
    tokensUsed: 0,
    costUsd: 0,
    latencyMs: null,
    ...input,
  }));
  return `${sealLine(JSON.stringify(outcomes))}\n`;
}

async function samples(store: { listStats(): Promise<Array<{ samples: number }>> }): Promise<number> {
  return (await store.listStats()).reduce((sum, row) => sum + row.samples, 0);
}

describe('JsonStore recovery', () => {
  it('ignores the torn last line of a crashed writer, cuts it off, and records on', async () => {
    const dir = await tempDir();
    const store = await openJson(dir);
    await store.recordMany(outcomesNo(0, 10));
    await store.close();
    // A journal whose writer died in the middle of its third write.
    const journal = join(journalDir(dir), `0zzzzzzzz-${LOCAL_HOST}-${deadPid()}-0badcafe.open.jsonl`);
    const complete = line(100, 2) + line(102, 3);
    writeFileSync(journal, `${complete}${line(105, 4).slice(0, 77)}`);

    const reopened = await openJson(dir);
    expect(await samples(reopened)).toBe(15);
    const sealed = journal.replace('.open.jsonl', '.jsonl');
    expect(readFileSync(sealed, 'utf8')).toBe(complete);
    await reopened.record(outcomeNo(200));
    await reopened.recordMany(outcomesNo(105, 4));
    expect(await samples(reopened)).toBe(20);
    await expectRecountMatches(reopened, expect);
    await reopened.close();
    expect(await samples(await openJson(dir))).toBe(20);
  });

  it('ignores a torn last line of a live writer without touching it', async () => {
    const dir = await tempDir();
    const journal = join(journalDir(dir), `0zzzzzzzz-${LOCAL_HOST}-${process.pid}-0badcafe.open.jsonl`);
    const store = await openJson(dir);
    mkdirSync(journalDir(dir));
    writeFileSync(journal, `${line(0, 2)}${line(2, 2).slice(0, 30)}`);
    expect(await samples(store)).toBe(2);
    expect(statSync(journal).size).toBe(line(0, 2).length + 30);
  });

  it('quarantines a journal with a damaged line in the middle, keeps its readable lines, reports MP_CORRUPT_DATA', async () => {
    const dir = await tempDir();
    const store = await openJson(dir);
    await store.recordMany(outcomesNo(0, 5));
    await store.close();
    const journal = join(journalDir(dir), `0zzzzzzzz-${LOCAL_HOST}-${deadPid()}-0badcafe.jsonl`);
    const bytes = `${line(100, 2)}{"not":"a batch"}\n${line(102, 2)}`;
    writeFileSync(journal, bytes);

    const failure = openJson(dir);
    await expect(failure).rejects.toMatchObject({ code: 'MP_CORRUPT_DATA', file: journal });
    await expect(failure).rejects.toThrow(/1 damaged line\(s\) of it are no longer counted \(its 4 readable/);
    const backups = filesIn(join(dir, 'backups'));
    expect(backups).toEqual([expect.stringMatching(/^0zzzzzzzz-.*\.jsonl\.corrupt-\d{8}T\d{9}Z-[0-9a-f]{8}$/)]);
    expect(readFileSync(join(dir, 'backups', backups[0] ?? ''), 'utf8')).toBe(bytes);
    const reopened = await openJson(dir);
    expect(await samples(reopened)).toBe(9);
    await expectRecountMatches(reopened, expect);
  });

  it('completes a write that finds another damaged journal, reporting the loss in the log and info.warnings', async () => {
    const dir = await tempDir();
    const logger = captureLogger();
    const store = await openJson(dir, {}, logger);
    await store.record(outcomeNo(1));
    const journal = join(journalDir(dir), `0zzzzzzzz-${LOCAL_HOST}-${deadPid()}-0badcafe.jsonl`);
    writeFileSync(journal, `${line(100, 2)}garbage\n`);
    expect(await store.record(outcomeNo(2))).toMatchObject({ id: 'o-2' });
    expect(await samples(store)).toBe(4);
    expect(store.info.warnings).toEqual([expect.stringContaining(journal)]);
    expect(logger.lines).toContainEqual({ level: 'error', message: expect.stringContaining('moved to') });
    expect(filesIn(join(dir, 'backups'))).toHaveLength(1);
  });

  it('treats a __proto__ key or an unknown field in a line as damage, not as data', async () => {
    const dir = await tempDir();
    const [outcome] = JSON.parse(line(0, 1).split('\t')[0] ?? '') as Array<Record<string, unknown>>;
    const polluted = JSON.stringify([{ ...outcome }]).replace('"id"', '"__proto__":{"polluted":true},"id"');
    const journal = join(journalDir(dir), `0zzzzzzzz-${LOCAL_HOST}-${deadPid()}-0badcafe.jsonl`);
    const store = await openJson(dir);
    mkdirSync(journalDir(dir));
    // Sealed, so that only the shape check stands between the key and the code that reads it.
    writeFileSync(journal, `${sealLine(polluted)}\n`);
    await expect(store.listStats()).rejects.toMatchObject({ code: 'MP_CORRUPT_DATA' });
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
    expect(await store.listStats()).toEqual([]);
  });

  it('quarantines a damaged segment, keeps its readable lines, and rebuilds the checkpoint', async () => {
    const dir = await tempDir();
    const tuning = { ...TINY, segmentMergeMaxBytes: 1 };
    const store = await openJson(dir, tuning);
    await store.recordMany(outcomesNo(0, 30));
    await store.close();
    const second = await openJson(dir, tuning);
    for (const from of [30, 40, 50]) await second.recordMany(outcomesNo(from, 10));
    await second.close();
    const segments = segmentFiles(dir);
    expect(segments).toHaveLength(2);
    const damaged = join(segmentDir(dir), segments[1] ?? '');
    const lines = readFileSync(damaged, 'utf8').split('\n');
    expect(lines).toHaveLength(4);
    lines[1] = (lines[1] ?? '').replace('"success":', '"success":"maybe",');
    writeFileSync(damaged, lines.join('\n'));

    await expect(openJson(dir)).rejects.toMatchObject({ code: 'MP_CORRUPT_DATA', file: damaged });
    const reopened = await openJson(dir);
    expect(await samples(reopened)).toBe(50);
    const expected = [...outcomesNo(0, 40), ...outcomesNo(50, 10)].map((o) => o.id);
    expect(new Set((await collect(reopened.outcomes())).map((o) => o.id))).toEqual(new Set(expected));
    await expectRecountMatches(reopened, expect);
    expect(filesIn(join(dir, 'backups'))).toEqual([
      expect.stringMatching(/^seg-.*\.jsonl\.corrupt-\d{8}T\d{9}Z-[0-9a-f]{8}$/),
    ]);
  });

  it('rebuilds a damaged checkpoint from the segments, losing nothing, and says so in info.warnings', async () => {
    const dir = await tempDir();
    const store = await openJson(dir, TINY);
    await store.recordMany(outcomesNo(0, 40));
    await store.close();
    const last = await openJson(dir);
    await last.record(outcomeNo(40));
    await last.close();
    writeFileSync(join(dir, CHECKPOINT), '{"format":"model-perf-json-checkpoint","vers');

    const logger = captureLogger();
    const reopened = await openJson(dir, {}, logger);
    expect(await samples(reopened)).toBe(41);
    await expectRecountMatches(reopened, expect);
    expect(reopened.info.warnings).toEqual([expect.stringContaining('no outcome was lost')]);
    expect(logger.lines).toContainEqual({ level: 'warn', message: expect.stringContaining('was damaged') });
    expect(filesIn(join(dir, 'backups'))).toEqual([
      expect.stringMatching(/^model-perf\.checkpoint\.json\.corrupt-\d{8}T\d{9}Z-[0-9a-f]{8}$/),
    ]);
  });

  it('rebuilds a lost checkpoint from the segments', async () => {
    const dir = await tempDir();
    const store = await openJson(dir, TINY);
    await store.recordMany(outcomesNo(0, 40));
    await store.close();
    unlinkSync(join(dir, CHECKPOINT));
    const reopened = await openJson(dir);
    expect(await samples(reopened)).toBe(40);
    expect(reopened.info.warnings).toEqual([expect.stringContaining('was missing')]);
  });
});
