import type { DashboardData } from './dashboard-data.js';
import { html, type SafeHtml } from './escape.js';

/** What a store without outcomes shows: that this is expected, and the one call that fills the page. */
export function emptyState(data: DashboardData): SafeHtml {
  return html`<section class="card empty" data-empty>
<h2>No data yet</h2>
<p>The store at <code>${data.store.dir}</code> (${data.store.backend}) has no recorded outcomes. The dashboard fills in as soon as your agent runtime records its first one:</p>
<pre><code>import { ModelLearner } from 'model-perf';

const learner = await ModelLearner.open();
// After each dispatch: the task type, the model, and how it went.
await learner.recordOutcome('execute-task', 'gpt-4o', {
  success: true,
  costUsd: 0.012,
  latencyMs: 850,
});</code></pre>
<p>Then render the dashboard again; a served dashboard reloads by itself.</p>
</section>`;
}
