import type { ModelStyles } from './chart.js';
import { costChart } from './cost-chart.js';
import type { RankingRow, TaskDashboard } from './dashboard-data.js';
import { rankingChart } from './ranking-chart.js';
import { formatCount, formatDay, formatPercent, formatSamples, html, type SafeHtml } from './text.js';
import { trendChart, trendLegend } from './trend-chart.js';

function chartCard(title: string, hint: string, chart: SafeHtml, legend: SafeHtml = html``): SafeHtml {
  return html`<figure class="card"><figcaption><h3>${title}</h3><p class="hint">${hint}</p></figcaption><div class="chart-scroll">${chart}</div>${legend}</figure>`;
}

/** One task type: its three charts, then its demotion flags and A/B pair. */
export function taskSection(
  task: TaskDashboard,
  index: number,
  styles: ModelStyles,
  windows: { days: number; recentDays: number },
): SafeHtml {
  const { days, recentDays } = windows;
  const id = `task-${index + 1}`;
  const samples = task.ranking.reduce((total, row) => total + row.samples, 0);
  const models = task.ranking.length;
  return html`<section class="task" id="${id}" data-task="${task.taskType}" aria-labelledby="${id}-heading">
<h2 id="${id}-heading">${task.taskType}</h2>
<p class="meta">${formatCount(models)} ${models === 1 ? 'model' : 'models'} · ${formatSamples(samples)}</p>
<div class="cards">
${chartCard(
  'Ranking',
  'Sorted by the lower end of the 95% confidence interval (the bold number and tick): a rate proven over many samples beats a lucky few. Bar: the interval; dot: the observed rate, hollow with too few samples to rank.',
  rankingChart(task, styles, `${id}-ranking`, recentDays),
)}
${chartCard(
  `Success rate, rolling ${recentDays} days`,
  `Each day: the rate over the ${recentDays} UTC days ending on it, for the last ${days} days. The top 3 of the ranking and any degraded model are bold; a gap means no attempts in those ${recentDays} days.`,
  trendChart(task, styles, `${id}-trend`, windows),
  trendLegend(task, styles),
)}
${chartCard(
  'Cost versus success',
  'Average cost per call (log scale) against success rate; a bigger point has more samples. Top left is cheap and good.',
  costChart(task, styles, `${id}-cost`),
)}
<div class="stack">${demotionPanel(task, days)}${abTestPanel(task)}</div>
</div>
</section>`;
}

function driftReason(row: RankingRow): string {
  const drift = row.drift;
  if (drift === null) return '';
  return `Since ${formatDay(drift.since)} it succeeded in ${formatPercent(drift.recentRate)} of ${formatSamples(drift.recentSamples)}, against ${formatPercent(drift.earlierRate)} of ${formatSamples(drift.earlierSamples)} before (p = ${drift.pValue.toPrecision(2)}). Its all-time rate hides the drop: prefer another model until it recovers.`;
}

/** Models whose recent rate fell significantly: the all-time ranking is slow to show it, so it is said here. */
function degradedList(task: TaskDashboard): SafeHtml | string {
  const degraded = task.ranking.filter((row) => row.drift !== null);
  if (degraded.length === 0) return '';
  return html`<ul class="flags">${degraded.map(
    (row) =>
      html`<li data-degraded="${row.modelId}"><span class="badge demote">Degraded</span> <span class="model">${row.modelId}</span><p class="reason">${driftReason(row)}</p></li>`,
  )}</ul>`;
}

/**
 * The models the learner would demote, each with a badge and the learner's own sentence, so the numbers
 * behind the flag are on the page; the reasons for keeping the others fold away beneath.
 */
export function demotionPanel(task: TaskDashboard, days: number): SafeHtml {
  const flagged = task.demotions.filter((flag) => flag.demote);
  const kept = task.demotions.filter((flag) => !flag.demote);
  const degraded = degradedList(task);
  const flags =
    flagged.length === 0
      ? html`<p class="quiet">No model is flagged for demotion over all time.</p>`
      : html`<ul class="flags">${flagged.map(
          (flag) =>
            html`<li data-demoted="${flag.modelId}"><span class="badge demote">Demote</span> <span class="model">${flag.modelId}</span><p class="reason">${flag.reason}</p></li>`,
        )}</ul>`;
  const reasonsToKeep =
    kept.length === 0
      ? ''
      : html`<details><summary>Kept: ${kept.length} ${kept.length === 1 ? 'model' : 'models'}, and why</summary><ul>${kept.map(
          (flag) => html`<li data-kept="${flag.modelId}"><span class="badge keep">Keep</span> ${flag.reason}</li>`,
        )}</ul></details>`;
  return html`<section class="card" data-panel="demotion"><h3>Demotion and drift</h3><p class="hint">Degraded: significantly worse since a day of the last ${days} days than before it. Demote: even the upper end of its all-time confidence interval is below the threshold.</p>${degraded}${flags}${reasonsToKeep}</section>`;
}

/** The pair the learner proposes for an A/B trial, and its reason. */
export function abTestPanel(task: TaskDashboard): SafeHtml {
  const pair = task.abTest;
  const body =
    pair === null
      ? html`<p class="quiet">A trial needs outcomes from at least two models.</p>`
      : html`<dl class="pair"><dt>Incumbent</dt><dd data-role="incumbent">${pair.incumbent}</dd><dt>Challenger</dt><dd data-role="challenger">${pair.challenger}</dd></dl><p class="reason">${pair.reason}</p>`;
  return html`<section class="card" data-panel="ab-test"><h3>A/B candidates</h3>${body}</section>`;
}
