import type { TaskDashboard } from './dashboard-data.js';
import { html, type SafeHtml } from './escape.js';

/**
 * The models the learner would demote, each with a badge and the learner's own sentence, so the numbers
 * behind the flag are on the page; the reasons for keeping the others fold away beneath.
 */
export function demotionPanel(task: TaskDashboard): SafeHtml {
  const flagged = task.demotions.filter((flag) => flag.demote);
  const kept = task.demotions.filter((flag) => !flag.demote);
  const flags =
    flagged.length === 0
      ? html`<p class="quiet">No model is flagged for demotion.</p>`
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
  return html`<section class="card" data-panel="demotion"><h3>Demotion</h3><p class="hint">A model is demoted when even the upper end of its confidence interval is below the threshold.</p>${flags}${reasonsToKeep}</section>`;
}
