import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import type { DashboardData, TaskDashboard } from '../../src/dashboard/index.js';
import { escapeHtml, renderDashboard } from '../../src/dashboard/index.js';

const HOSTILE_IMG = '<img src=x onerror=alert(1)>';
const HOSTILE_ATTR = '"><script>alert(1)</script>';
const HOSTILE_TASK = "plan'<b>";
const DAYS = ['2026-03-12', '2026-03-13', '2026-03-14', '2026-03-15'];

function task(taskType: string, models: readonly string[]): TaskDashboard {
  return {
    taskType,
    ranking: models.map((modelId, index) => ({
      rank: index + 1,
      modelId,
      samples: 40 - index * 10,
      successRate: 0.875 - index * 0.2,
      lower: 0.7 - index * 0.2,
      upper: 0.95 - index * 0.2,
      meetsGate: index < 2,
      recent: { samples: 4, successes: 3 },
      drift:
        index === 1
          ? {
              since: '2026-03-13',
              recentRate: 0.3,
              recentSamples: 20,
              earlierRate: 0.9,
              earlierSamples: 80,
              pValue: 1e-9,
            }
          : null,
      pBest: index === 0 ? 0.75 : 0.25 / Math.max(1, models.length - 1),
    })),
    demotions: models.map((modelId, index) => ({
      modelId,
      demote: index === models.length - 1,
      reason: `${modelId} succeeded in few on ${taskType}: ${index === models.length - 1 ? 'demote' : 'keep'}.`,
    })),
    abTest: { incumbent: models[0] ?? '', challenger: models[1] ?? '', reason: `${models[1]} deserves a trial.` },
    trend: {
      days: DAYS,
      series: models.map((modelId) => ({
        modelId,
        successRates: [0.5, null, 1, 0.75],
        attempts: [2, 0, 1, 4],
        rollingRates: [0.5, null, 1, 0.8],
        rollingAttempts: [2, 0, 1, 5],
      })),
    },
    costPoints: models.map((modelId, index) => ({
      modelId,
      avgCost: 0.012345 * (index + 1),
      successRate: 0.875 - index * 0.2,
      samples: 40 - index * 10,
    })),
  };
}

const MODELS = ['gpt-4o', HOSTILE_IMG, HOSTILE_ATTR];
const DATA: DashboardData = {
  version: 'v1-token',
  days: 4,
  recentDays: 4,
  store: { backend: 'sqlite', dir: '/tmp/<store>' },
  tasks: [task('execute-task', MODELS), task(HOSTILE_TASK, ['gpt-4o', 'claude'])],
};
const EMPTY: DashboardData = {
  version: 'empty',
  days: 30,
  recentDays: 7,
  store: { backend: 'json', dir: '/srv/perf' },
  tasks: [],
};

function count(haystack: string, needle: string): number {
  return haystack.split(needle).length - 1;
}

/** The markup of each task section, by its (escaped) data-task value. */
function sections(page: string): Map<string, string> {
  const parts = page.split('<section class="task"').slice(1);
  return new Map(parts.map((part) => [/data-task="([^"]*)"/.exec(part)?.[1] ?? '', part]));
}

function inlineHash(page: string, element: 'style' | 'script'): string {
  const source = new RegExp(`<${element}>([\\s\\S]*?)</${element}>`).exec(page)?.[1] ?? '';
  // As it appears in the policy's (escaped) attribute value.
  return `&#39;sha256-${createHash('sha256').update(source).digest('base64')}&#39;`;
}

describe('renderDashboard', () => {
  const page = renderDashboard(DATA, { generatedAt: '2026-03-15T12:34:00.000Z' });

  it('is one HTML document that refers to nothing outside itself', () => {
    expect(page.startsWith('<!doctype html>')).toBe(true);
    expect(page).not.toMatch(/https?:|<link|<img|<iframe|<object|<embed|<script|url\(|@import|@font-face/i);
    // Escaped store text contains no "<", so every "<" starts a real tag: none may point anywhere but the page.
    const references = [...page.matchAll(/<[^>]*\s(?:src|srcset|href|xlink:href|action|poster)="([^"]*)"/gi)];
    expect(references.map((match) => match[1])).toEqual(['#task-1', '#task-2']);
  });

  it('has a section per task with its three charts, each named for assistive technology', () => {
    const bySection = sections(page);
    expect([...bySection.keys()]).toEqual(['execute-task', escapeHtml(HOSTILE_TASK)]);
    for (const markup of bySection.values()) {
      const charts = [...markup.matchAll(/<svg class="chart" data-chart="(\w+)"[^>]*aria-label="[^"]+"[^>]*><title>/g)];
      expect(charts.map((match) => match[1])).toEqual(['ranking', 'trend', 'cost']);
      expect(markup).toContain('data-panel="demotion"');
      expect(markup).toContain('data-panel="ab-test"');
    }
  });

  it('marks every model as a series in each chart, its name escaped in the attribute', () => {
    const execute = sections(page).get('execute-task') ?? '';
    for (const modelId of MODELS) {
      expect(count(execute, `data-series="${escapeHtml(modelId)}"`), modelId).toBe(3);
      expect(execute).toContain(`data-legend="${escapeHtml(modelId)}"`);
    }
  });

  it('shows hostile names and task types only as escaped text', () => {
    expect(page).not.toContain('<script');
    expect(page).not.toContain('<img');
    expect(page).not.toContain('<b>');
    expect(page).toContain('&lt;img src=x onerror=alert(1)&gt;');
    expect(page).toContain('&quot;&gt;&lt;script&gt;alert(1)&lt;/script&gt;');
    expect(page).toContain('plan&#39;&lt;b&gt;');
    expect(page).toContain('/tmp/&lt;store&gt;');
  });

  it('ranks models in order with their numbers formatted', () => {
    const ranking = /data-chart="ranking"[\s\S]*?<\/svg>/.exec(page)?.[0] ?? '';
    const order = [...ranking.matchAll(/data-series="([^"]*)" data-rank="(\d+)"/g)].map((match) => match[2]);
    expect(order).toEqual(['1', '2', '3']);
    expect(ranking).toContain('87.5%');
    expect(ranking).toContain('too few to rank');
    expect(ranking).toContain('⚑ demote');
    const cost = /data-chart="cost"[\s\S]*?<\/svg>/.exec(page)?.[0] ?? '';
    expect(cost).toContain('$0.01235');
  });

  it('draws each rolling trend line with a gap where its window had no attempts, the leaders in front', () => {
    const trend = /data-chart="trend"[\s\S]*?<\/svg>/.exec(page)?.[0] ?? '';
    const paths = [...trend.matchAll(/<path class="line (?:leading|faded)" d="([^"]*)"/g)].map(
      (match) => match[1] ?? '',
    );
    expect(paths).toHaveLength(MODELS.length);
    for (const path of paths) expect(path).toMatch(/^M[\d.]+ [\d.]+M[\d.]+ [\d.]+L[\d.]+ [\d.]+$/);
    // A dot at the end of each line: its latest rate.
    expect(count(trend, '<circle')).toBe(MODELS.length);
    // Drawn behind first: the best-ranked model comes last, so that it is on top.
    const order = [...trend.matchAll(/<g data-series="([^"]*)"/g)].map((match) => match[1]);
    expect(order.at(-1)).toBe('gpt-4o');
  });

  it('says what the ranking sorts by, and shows that number in bold before the observed rate', () => {
    const execute = sections(page).get('execute-task') ?? '';
    expect(execute).toContain('Sorted by the lower end of the 95% confidence interval');
    const ranking = /data-chart="ranking"[\s\S]*?<\/svg>/.exec(execute)?.[0] ?? '';
    expect(ranking).toContain('<text class="value" x="410" y="19" text-anchor="end">70.0%</text>');
    expect(ranking).toContain('observed 87.5%');
    expect(ranking).toContain('<line class="bound"');
  });

  it('flags a degraded model in the header, the ranking, the legend and the drift panel', () => {
    expect(page).toContain('models degraded ⚑');
    const execute = sections(page).get('execute-task') ?? '';
    expect(execute).toContain('⚑ degraded since Mar 13');
    expect(execute).toContain(`data-degraded="${escapeHtml(HOSTILE_IMG)}"><span class="badge demote">Degraded</span>`);
    expect(execute).toContain('Since Mar 13 it succeeded in 30.0% of 20 samples, against 90.0% of 80 samples before');
    expect(execute).toMatch(/data-legend="[^"]*"[^>]*>.*?⚑ degraded/);
  });

  it('puts cost on a log axis with round labels, and fits the success axis to the data', () => {
    const cost = /data-chart="cost"[\s\S]*?<\/svg>/.exec(page)?.[0] ?? '';
    const ticks = [...cost.matchAll(/<text class="tick"[^>]*>([^<]*)<\/text>/g)].map((match) => match[1]);
    // Costs 0.0123 to 0.037: the 1-2-5 steps around them; success 47.5% to 87.5%, with room, on tenths.
    expect(ticks).toEqual(['40%', '50%', '60%', '70%', '80%', '90%', '100%', '$0.01', '$0.02', '$0.05']);
    expect(cost).toContain('average cost per call (log scale)');
  });

  it('flags demoted models with a badge and the reason, and shows the A/B pair', () => {
    const execute = sections(page).get('execute-task') ?? '';
    expect(execute).toMatch(
      /data-demoted="&quot;&gt;&lt;script&gt;alert\(1\)&lt;\/script&gt;"><span class="badge demote">Demote<\/span>/,
    );
    expect(execute).toContain('few on execute-task: demote.');
    expect(execute).toContain('<dd data-role="incumbent">gpt-4o</dd>');
    expect(execute).toContain('<dd data-role="challenger">&lt;img src=x onerror=alert(1)&gt;</dd>');
  });

  it('gives a model the same colour in every task', () => {
    const colourOf = (markup: string) =>
      /data-series="gpt-4o"[\s\S]*?<circle[^>]*stroke="(#[0-9A-F]{6})"/.exec(markup)?.[1];
    const [first, second] = [...sections(page).values()].map(colourOf);
    expect(first).toMatch(/^#/);
    expect(second).toBe(first);
  });

  it('shows the title and the generation time, escaped', () => {
    const titled = renderDashboard(DATA, { title: 'Perf <prod>', generatedAt: new Date('2026-03-15T12:34:00Z') });
    expect(titled).toContain('<title>Perf &lt;prod&gt;</title>');
    expect(titled).toContain('<h1>Perf &lt;prod&gt;</h1>');
    expect(titled).toContain('generated 2026-03-15 12:34 UTC');
    expect(() => renderDashboard(DATA, { generatedAt: 'yesterday' })).toThrow(TypeError);
  });

  it('allows only its own stylesheet, and no script at all, without refresh', () => {
    expect(page).toContain(`style-src ${inlineHash(page, 'style')}`);
    expect(page).toContain('default-src &#39;none&#39;');
    expect(page).not.toContain('script-src');
    expect(page).not.toContain('data-version-url');
  });

  it('adds the polling script, allowed by its hash, and the version to compare, with refresh', () => {
    const served = renderDashboard(DATA, { refresh: { versionUrl: '/version?"x' } });
    expect(count(served, '<script>')).toBe(1);
    expect(served).toContain(`script-src ${inlineHash(served, 'script')}`);
    expect(served).toContain('connect-src &#39;self&#39;');
    expect(served).toContain('<body data-version-url="/version?&quot;x" data-version="v1-token">');
    expect(served).toContain('setTimeout(poll, 2000)');
  });

  it('tells an empty store how to record its first outcome', () => {
    const empty = renderDashboard(EMPTY);
    expect(empty).toContain('No data yet');
    expect(empty).toContain('learner.recordOutcome(');
    expect(empty).toContain('/srv/perf');
    expect(empty).not.toContain('data-chart');
    expect(empty).not.toContain('<script');
  });

  it('keeps the three charts of a task whose models have no recent attempts, with a note instead', () => {
    const quiet: TaskDashboard = { ...task('quiet-task', ['a']), trend: { days: [], series: [] } };
    const markup = renderDashboard({ ...EMPTY, tasks: [quiet] });
    expect(count(markup, 'data-chart=')).toBe(3);
    expect(markup).toContain('No attempts in the last 30 days');
  });
});
