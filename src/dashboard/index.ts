export { type CollectOptions, collectDashboardData } from './collect.js';
export type * from './dashboard-data.js';
export { escapeHtml } from './escape.js';
export { type RenderOptions, renderDashboard } from './render.js';
export { type DashboardServer, type ServeOptions, serveDashboard } from './server.js';
