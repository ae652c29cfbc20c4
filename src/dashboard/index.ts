export { type CollectOptions, collectDashboardData } from './collect.js';
export type * from './dashboard-data.js';
export { type RenderOptions, renderDashboard } from './render.js';
export { type DashboardServer, type ServeOptions, serveDashboard } from './server.js';
// The one cost format of model-perf's output: the CLI prints costs as the dashboard shows them.
export { escapeHtml, formatCost } from './text.js';
