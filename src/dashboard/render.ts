import { createHash } from 'node:crypto';
import { assignModelStyles } from './chart.js';
import type { DashboardData } from './dashboard-data.js';
import { STYLESHEET } from './styles.js';
import { taskSection } from './task-section.js';
import { formatCount, formatTimestamp, html, SafeHtml } from './text.js';

export interface RenderOptions {
  /** Default "model-perf dashboard". */
  title?: string;
  /** When the data was collected, shown in the header. Default: now. */
  generatedAt?: Date | string;
  /**
   * Serve mode: the page polls versionUrl every 2 s and reloads when the token it returns differs from
   * data.version. Without it the page contains no script at all.
   */
  refresh?: { versionUrl: string };
}

function toTime(value: Date | string | undefined): Date {
  const time = value === undefined ? new Date() : new Date(value);
  if (Number.isNaN(time.getTime())) throw new TypeError(`renderDashboard: generatedAt is not a time: ${String(value)}`);
  return time;
}

function summary(data: DashboardData): SafeHtml {
  // An empty store's page says so in words; a row of zeros would only repeat it.
  if (data.tasks.length === 0) return html``;
  const models = new Set(data.tasks.flatMap((task) => task.ranking.map((row) => row.modelId)));
  const samples = data.tasks.reduce(
    (total, task) => total + task.ranking.reduce((sum, row) => sum + row.samples, 0),
    0,
  );
  const figures: Array<[number, string]> = [
    [data.tasks.length, data.tasks.length === 1 ? 'task type' : 'task types'],
    [models.size, models.size === 1 ? 'model' : 'models'],
    [samples, samples === 1 ? 'sample' : 'samples'],
    [data.days, 'days of trend'],
  ];
  const degraded = data.tasks.flatMap((task) => task.ranking.filter((row) => row.drift !== null));
  if (degraded.length > 0) figures.push([degraded.length, `${degraded.length === 1 ? 'model' : 'models'} degraded ⚑`]);
  return html`<ul class="summary">${figures.map(([value, unit]) => html`<li${unit.endsWith('⚑') ? html` class="alert"` : ''}><strong>${formatCount(value)}</strong>${unit}</li>`)}</ul>`;
}

function taskNavigation(data: DashboardData): SafeHtml {
  if (data.tasks.length < 2) return html``;
  const links = data.tasks.map((task, index) => html`<li><a href="#task-${index + 1}">${task.taskType}</a></li>`);
  return html`<nav aria-label="Task types"><ul class="task-nav">${links}</ul></nav>`;
}

/**
 * One self-contained HTML document: inline CSS and SVG, nothing fetched from anywhere, so the file can be
 * mailed, archived or opened offline. Every text from the store goes through the `html` tag's escaping.
 */
export function renderDashboard(data: DashboardData, options: RenderOptions = {}): string {
  const title = options.title ?? 'model-perf dashboard';
  const generatedAt = toTime(options.generatedAt);
  const { refresh } = options;
  const styles = assignModelStyles(data);
  const body =
    data.tasks.length === 0
      ? emptyState(data)
      : data.tasks.map((task, index) => taskSection(task, index, styles, data));
  const refreshAttributes =
    refresh === undefined ? '' : html` data-version-url="${refresh.versionUrl}" data-version="${data.version}"`;
  const refreshScript = refresh === undefined ? '' : SafeHtml.fromTrustedSource(`<script>${REFRESH_SCRIPT}</script>`);
  return html`<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta http-equiv="Content-Security-Policy" content="${contentSecurityPolicy(refresh !== undefined)}">
<meta name="referrer" content="no-referrer">
<title>${title}</title>
${SafeHtml.fromTrustedSource(`<style>${STYLESHEET}</style>`)}
</head>
<body${refreshAttributes}>
<header class="page-header">
<h1>${title}</h1>
<p class="meta">How each model performs on each task type · generated ${formatTimestamp(generatedAt)}</p>
${summary(data)}
${taskNavigation(data)}
</header>
<main>
${body}
</main>
<footer>Store: ${data.store.backend} at ${data.store.dir} · data version ${data.version} · this page loads nothing from the network.</footer>
${refreshScript}
</body>
</html>
`.toString();
}

function sourceHash(source: string): string {
  return `'sha256-${createHash('sha256').update(source).digest('base64')}'`;
}

/**
 * Defence in depth behind escaping: the page may load nothing from anywhere, and may run only its own
 * stylesheet and (when served) its own refresh script, each allowed by its hash. Even markup that slipped
 * through would then neither run nor fetch.
 */
export function contentSecurityPolicy(withRefresh: boolean): string {
  const directives = [
    "default-src 'none'",
    `style-src ${sourceHash(STYLESHEET)}`,
    "base-uri 'none'",
    "form-action 'none'",
    ...(withRefresh ? [`script-src ${sourceHash(REFRESH_SCRIPT)}`, "connect-src 'self'"] : []),
  ];
  return directives.join('; ');
}

/**
 * The only script the dashboard ever contains, and only when served: it polls the version URL every two
 * seconds and reloads the page when the token differs from the one the page was rendered with. It reads
 * both from data attributes of <body>, so the script itself is a constant that the content policy allows
 * by its hash, and no data ever has to be escaped for a script context.
 */
export const REFRESH_SCRIPT = `
(() => {
  const { versionUrl, version } = document.body.dataset;
  const poll = async () => {
    try {
      const response = await fetch(versionUrl, { cache: 'no-store' });
      if (response.ok && (await response.text()) !== version) {
        location.reload();
        return;
      }
    } catch {
      // The server may be restarting: keep polling.
    }
    setTimeout(poll, 2000);
  };
  setTimeout(poll, 2000);
})();
`;

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
