import { abTestPanel } from './ab-test-panel.js';
import { costChart } from './cost-chart.js';
import type { TaskDashboard } from './dashboard-data.js';
import { demotionPanel } from './demotion-panel.js';
import { html, type SafeHtml } from './escape.js';
import { formatCount, formatSamples } from './format.js';
import type { ModelStyles } from './palette.js';
import { rankingChart } from './ranking-chart.js';
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
