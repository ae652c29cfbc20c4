import type { TaskDashboard } from './dashboard-data.js';
import { html, type SafeHtml } from './escape.js';

/** The pair the learner proposes for an A/B trial, and its reason. */
export function abTestPanel(task: TaskDashboard): SafeHtml {
  const pair = task.abTest;
  const body =
    pair === null
      ? html`<p class="quiet">A trial needs outcomes from at least two models.</p>`
      : html`<dl class="pair"><dt>Incumbent</dt><dd data-role="incumbent">${pair.incumbent}</dd><dt>Challenger</dt><dd data-role="challenger">${pair.challenger}</dd></dl><p class="reason">${pair.reason}</p>`;
  return html`<section class="card" data-panel="ab-test"><h3>A/B candidates</h3>${body}</section>`;
}
