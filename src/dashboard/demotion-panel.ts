import type { RankingRow, TaskDashboard } from './dashboard-data.js';
import { html, type SafeHtml } from './escape.js';
import { formatDay, formatPercent, formatSamples } from './format.js';

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
