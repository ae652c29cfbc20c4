import { contentSecurityPolicy } from './content-policy.js';
import type { DashboardData } from './dashboard-data.js';
import { emptyState } from './empty-state.js';
import { html, SafeHtml } from './escape.js';
import { formatCount, formatTimestamp } from './format.js';
import { assignModelStyles } from './palette.js';
import { REFRESH_SCRIPT } from './refresh-script.js';
import { STYLESHEET } from './styles.js';
import { taskSection } from './task-section.js';

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
