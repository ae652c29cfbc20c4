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
export function taskSection(task: TaskDashboard, index: number, styles: ModelStyles, days: number): SafeHtml {
  const id = `task-${index + 1}`;
  const samples = task.ranking.reduce((total, row) => total + row.samples, 0);
  const models = task.ranking.length;
  return html`<section class="task" id="${id}" data-task="${task.taskType}" aria-labelledby="${id}-heading">
<h2 id="${id}-heading">${task.taskType}</h2>
<p class="meta">${formatCount(models)} ${models === 1 ? 'model' : 'models'} · ${formatSamples(samples)}</p>
<div class="cards">
${chartCard(
  'Ranking',
  'Best first. Dot: success rate; line: its Wilson confidence interval; hollow dot: too few samples to rank.',
  rankingChart(task, styles, `${id}-ranking`),
)}
${chartCard(
  'Daily success rate',
  `Per UTC day over the last ${days} days; a gap is a day without attempts.`,
  trendChart(task, styles, `${id}-trend`, days),
  trendLegend(task, styles),
)}
${chartCard(
  'Cost versus success',
  'Average cost per call against success rate; a bigger point has more samples. Top left is cheap and good.',
  costChart(task, styles, `${id}-cost`),
)}
<div class="stack">${demotionPanel(task)}${abTestPanel(task)}</div>
</div>
</section>`;
}
