import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import packagedChromium from '@sparticuz/chromium';
import { type Browser, chromium, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openSqliteStore } from '../../src/backends/sqlite/index.js';
import { silentLogger } from '../../src/core/logger.js';
import type { PerformanceStore } from '../../src/core/store.js';
import type { OutcomeInput } from '../../src/core/types.js';
import { collectDashboardData, renderDashboard, serveDashboard } from '../../src/dashboard/index.js';
import { ModelLearner } from '../../src/learner/index.js';
import { runCli } from '../support/cli-runner.js';
import { seededRandom } from '../support/seeded-random.js';

/**
 * The browser: MODEL_PERF_TEST_CHROMIUM when set, else the Chromium that the npm package
 * @sparticuz/chromium ships (unpacked into the temp dir on first use). No tool ever downloads one.
 */
async function chromiumExecutable(): Promise<string> {
  return process.env.MODEL_PERF_TEST_CHROMIUM || packagedChromium.executablePath();
}

/**
 * Our own flags rather than @sparticuz/chromium's `args`: those are for AWS Lambda, and two of them
 * would blur what the tests check (--disable-web-security; --single-process, which ends the browser when
 * its first page closes). These run a headless Chromium offline, as root too.
 */
const CHROMIUM_ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--disable-quic',
  '--no-first-run',
];

const ARTIFACTS = fileURLToPath(new URL('../../artifacts/', import.meta.url));
const DAY_MS = 86_400_000;

const HOSTILE_IMG = '<img src=x onerror=alert(1)>';
const HOSTILE_SCRIPT = '"><script>alert(1)</script>';
const TASKS = ['execute-task', 'plan-slice', 'review-code'] as const;
/** Success probability and cost per call of each model: a spread that gives every chart something to show. */
const MODELS: ReadonlyArray<{ modelId: string; success: number; cost: number }> = [
  { modelId: 'claude-opus', success: 0.93, cost: 0.045 },
  { modelId: 'gpt-4o', success: 0.88, cost: 0.012 },
  { modelId: 'gemini-pro', success: 0.78, cost: 0.006 },
  { modelId: 'llama-70b', success: 0.3, cost: 0.0015 },
  { modelId: HOSTILE_IMG, success: 0.62, cost: 0.02 },
];
const CHART_KINDS = ['ranking', 'trend', 'cost'] as const;

/** 30 days of outcomes on every task, a few a day per model, none on some days (gaps in the trend). */
function seedOutcomes(now: number): OutcomeInput[] {
  const random = seededRandom(2026);
  const outcomes: OutcomeInput[] = [];
  for (const taskType of TASKS) {
    for (const { modelId, success, cost } of MODELS) {
      for (let daysAgo = 0; daysAgo < 30; daysAgo += 1) {
        const attempts = Math.floor(random() * 5);
        for (let attempt = 0; attempt < attempts; attempt += 1) {
          outcomes.push({
            taskType,
            modelId,
            success: random() < success,
            costUsd: cost * (0.8 + random() * 0.4),
            tokensUsed: 500 + Math.floor(random() * 1500),
            latencyMs: 400 + Math.floor(random() * 2000),
            timestamp: new Date(now - daysAgo * DAY_MS - Math.floor(random() * 3_600_000)),
          });
        }
      }
    }
  }
  // A newcomer with too few samples to rank, and a second hostile name, on one task only.
  outcomes.push(
    { taskType: 'plan-slice', modelId: 'mistral-new', success: true, costUsd: 0.003, timestamp: new Date(now) },
    { taskType: 'plan-slice', modelId: 'mistral-new', success: true, costUsd: 0.003, timestamp: new Date(now) },
    { taskType: 'review-code', modelId: HOSTILE_SCRIPT, success: false, costUsd: 0.01, timestamp: new Date(now) },
    { taskType: 'review-code', modelId: HOSTILE_SCRIPT, success: true, costUsd: 0.01, timestamp: new Date(now) },
  );
  return outcomes;
}

/** Everything a page did that a self-contained, script-free dashboard must never do. */
interface PageWatch {
  requests: string[];
  consoleErrors: string[];
  pageErrors: string[];
  dialogs: string[];
  loads: number;
}

function watch(page: Page): PageWatch {
  const seen: PageWatch = { requests: [], consoleErrors: [], pageErrors: [], dialogs: [], loads: 0 };
  page.on('request', (request) => seen.requests.push(request.url()));
  page.on('console', (message) => {
    if (message.type() === 'error') seen.consoleErrors.push(message.text());
  });
  page.on('pageerror', (error) => seen.pageErrors.push(error.message));
  page.on('dialog', (dialog) => {
    seen.dialogs.push(dialog.message());
    void dialog.dismiss();
  });
  page.on('load', () => {
    seen.loads += 1;
  });
  return seen;
}

/** The data-series values of each chart kind in each task section, read from the DOM. */
async function seriesByChart(page: Page): Promise<Record<string, Record<string, string[]>>> {
  const result: Record<string, Record<string, string[]>> = {};
  for (const section of await page.locator('[data-task]').all()) {
    const charts: Record<string, string[]> = {};
    for (const chart of await section.locator('[data-chart]').all()) {
      const series = await chart.locator('[data-series]').all();
      charts[(await chart.getAttribute('data-chart')) ?? ''] = await Promise.all(
        series.map(async (element) => (await element.getAttribute('data-series')) ?? ''),
      );
    }
    result[(await section.getAttribute('data-task')) ?? ''] = charts;
  }
  return result;
}

describe('dashboard in a browser', () => {
  let browser: Browser;
  let store: PerformanceStore;
  let learner: ModelLearner;
  let dir: string;

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'model-perf-dashboard-'));
    store = await openSqliteStore({ dir, logger: silentLogger });
    await store.recordMany(seedOutcomes(Date.now()));
    learner = new ModelLearner(store, { logger: silentLogger });
    const executablePath = await chromiumExecutable();
    browser = await chromium.launch({ executablePath, args: CHROMIUM_ARGS }).catch((error: unknown) => {
      throw new Error(`Chromium at ${executablePath} did not start (MODEL_PERF_TEST_CHROMIUM names another)`, {
        cause: error,
      });
    });
  });

  afterAll(async () => {
    await browser?.close();
    await store?.close();
    if (dir !== undefined) await rm(dir, { recursive: true, force: true });
  });

  it('shows every chart of every task offline, with hostile names as text, and nothing run or fetched', async () => {
    const file = join(dir, 'dashboard.html');
    await writeFile(file, renderDashboard(await collectDashboardData(learner)));
    const fileUrl = pathToFileURL(file).href;
    const page = await browser.newPage({ viewport: { width: 1400, height: 1000 } });
    const seen = watch(page);
    await page.goto(fileUrl, { waitUntil: 'load' });

    const models = MODELS.map((model) => model.modelId).sort();
    const expectedSeries = (extra: string[]) => [...models, ...extra].sort();
    const series = await seriesByChart(page);
    expect(Object.keys(series)).toEqual([...TASKS]);
    for (const taskType of TASKS) {
      const extra = { 'execute-task': [], 'plan-slice': ['mistral-new'], 'review-code': [HOSTILE_SCRIPT] }[taskType];
      expect(await page.locator(`[data-task="${taskType}"] [data-chart]`).count()).toBe(CHART_KINDS.length);
      for (const kind of CHART_KINDS) {
        expect(series[taskType]?.[kind]?.slice().sort(), `${taskType} ${kind}`).toEqual(expectedSeries(extra));
      }
    }
    for (const chart of await page.locator('[data-chart]').all()) {
      expect(await chart.getAttribute('aria-label')).toBeTruthy();
      expect((await chart.boundingBox())?.width ?? 0).toBeGreaterThan(300);
    }

    await expect.poll(() => page.getByText(HOSTILE_IMG).count()).toBeGreaterThan(0);
    await expect.poll(() => page.getByText(HOSTILE_SCRIPT).count()).toBeGreaterThan(0);
    expect(await page.locator('img').count()).toBe(0);
    expect(await page.locator('script').count()).toBe(0);
    expect(await page.locator('[data-demoted="llama-70b"]').count()).toBe(TASKS.length);

    await mkdir(ARTIFACTS, { recursive: true });
    await page.screenshot({ path: join(ARTIFACTS, 'dashboard-seeded-1400.png'), fullPage: true });
    expect(seen.requests).toEqual([fileUrl]);
    expect(seen.consoleErrors).toEqual([]);
    expect(seen.pageErrors).toEqual([]);
    expect(seen.dialogs).toEqual([]);
    await page.close();
  });

  it("flags the demo's degraded model, says what the ranking sorts by, and fits a 420 px screen", async () => {
    const demoDir = join(dir, 'demo');
    const demo = await runCli(['demo', '--dir', demoDir, '--quiet'], { cwd: dir });
    expect(demo.code, demo.stderr).toBe(0);
    const fileUrl = pathToFileURL(join(demoDir, 'dashboard.html')).href;
    await mkdir(ARTIFACTS, { recursive: true });
    for (const width of [1400, 420]) {
      const page = await browser.newPage({ viewport: { width, height: 900 } });
      const seen = watch(page);
      await page.goto(fileUrl, { waitUntil: 'load' });
      // The demo degrades gpt-4o on day 15: the header counts it, its ranking row and the drift panel name it.
      await expect.poll(() => page.locator('.summary .alert').textContent()).toMatch(/degraded/);
      const flagged = page.locator('[data-degraded="gpt-4o"]');
      expect(await flagged.count()).toBeGreaterThan(0);
      await expect.poll(() => flagged.first().isVisible()).toBe(true);
      expect(
        await page.locator('[data-chart="ranking"] [data-series="gpt-4o"][data-degraded]').count(),
      ).toBeGreaterThan(0);
      expect(await page.getByText('Sorted by the lower end of the 95% confidence interval').count()).toBe(4);
      // Nothing wider than the screen: no sideways scrolling, every chart and every ranking row inside it.
      expect(Number(await page.evaluate('document.documentElement.scrollWidth'))).toBeLessThanOrEqual(width);
      for (const element of await page.locator('[data-chart], [data-chart="ranking"] [data-series]').all()) {
        const box = await element.boundingBox();
        expect(box?.x ?? -1).toBeGreaterThanOrEqual(0);
        expect((box?.x ?? 0) + (box?.width ?? Number.POSITIVE_INFINITY)).toBeLessThanOrEqual(width);
      }
      await page.screenshot({ path: join(ARTIFACTS, `dashboard-demo-${width}.png`), fullPage: true });
      expect(seen.requests).toEqual([fileUrl]);
      expect(seen.pageErrors).toEqual([]);
      await page.close();
    }
  });

  it('reloads a served page with the new data soon after an outcome is recorded', async () => {
    const server = await serveDashboard({ learner });
    try {
      const page = await browser.newPage();
      const seen = watch(page);
      await page.goto(server.url, { waitUntil: 'load' });
      const fresh = page.locator('[data-task="execute-task"] [data-chart="ranking"] [data-series="fresh-model"]');
      expect(await fresh.count()).toBe(0);

      await learner.recordOutcome('execute-task', 'fresh-model', { success: true, costUsd: 0.01 });
      // The page polls every 2 s: well within 10 s it must have reloaded and drawn the new model.
      await expect.poll(() => fresh.count(), { timeout: 10_000, interval: 250 }).toBe(1);
      expect(seen.loads).toBeGreaterThanOrEqual(2);

      const origin = new URL(server.url).origin;
      expect(seen.requests.every((url) => new URL(url).origin === origin)).toBe(true);
      expect(seen.requests).toContain(`${origin}/version`);
      expect(seen.consoleErrors).toEqual([]);
      expect(seen.pageErrors).toEqual([]);
      expect(seen.dialogs).toEqual([]);
      await page.close();
    } finally {
      await server.close();
    }
  });
});
