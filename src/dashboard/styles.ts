/**
 * The page's only stylesheet, inlined so the file works offline. Light mode on purpose: the charts use
 * dark ink on white, which is also what prints. Marks get their colours from SVG attributes, so no
 * element needs a style attribute and the content policy can allow exactly this stylesheet by its hash.
 */
export const STYLESHEET = `
:root {
  color-scheme: light;
  --ink: #1f2328;
  --muted: #57606a;
  --line: #d0d7de;
  --gridline: #e3e7eb;
  --panel: #ffffff;
  --page: #f3f5f7;
  --stripe: #f7f9fb;
  --warn: #b42318;
  --warn-bg: #fdecea;
  --ok: #1a6b46;
  --ok-bg: #e6f4ec;
}
* { box-sizing: border-box; }
body {
  margin: 0;
  background: var(--page);
  color: var(--ink);
  font: 15px/1.5 system-ui, -apple-system, "Segoe UI", Roboto, "Helvetica Neue", Arial, sans-serif;
}
.page-header, main, footer { padding-inline: clamp(14px, 4vw, 40px); }
.page-header { padding-block: 24px 4px; }
h1 { font-size: 1.6rem; margin: 0; }
.meta { color: var(--muted); margin: 2px 0 0; font-size: 0.9rem; }
.summary { display: flex; flex-wrap: wrap; gap: 10px; list-style: none; margin: 16px 0 0; padding: 0; }
.summary li { background: var(--panel); border: 1px solid var(--line); border-radius: 8px; padding: 6px 14px; color: var(--muted); font-size: 0.85rem; }
.summary strong { display: block; color: var(--ink); font-size: 1.3rem; font-variant-numeric: tabular-nums; }
.task-nav { display: flex; flex-wrap: wrap; gap: 8px; margin: 14px 0 0; padding: 0; list-style: none; }
.task-nav a { color: #0b5cad; text-decoration: none; border: 1px solid var(--line); border-radius: 999px; padding: 2px 12px; background: var(--panel); font-size: 0.88rem; overflow-wrap: anywhere; }
.task-nav a:hover, .task-nav a:focus-visible { border-color: #0b5cad; }
main { display: grid; gap: 28px; padding-block: 12px 32px; }
.task > h2 { font-size: 1.3rem; margin: 12px 0 2px; overflow-wrap: anywhere; }
.task > .meta { margin-bottom: 12px; }
.cards { display: grid; gap: 16px; grid-template-columns: repeat(auto-fit, minmax(min(100%, 480px), 1fr)); align-items: start; }
.stack { display: grid; gap: 16px; min-width: 0; }
.card { background: var(--panel); border: 1px solid var(--line); border-radius: 10px; padding: 14px 16px; margin: 0; min-width: 0; }
.card h3 { font-size: 1.02rem; margin: 0; }
.hint { color: var(--muted); font-size: 0.82rem; margin: 2px 0 10px; }
.chart-scroll { overflow-x: auto; }
.chart { display: block; width: 100%; height: auto; max-width: 640px; margin-inline: auto; }
.cards > .card:first-child .chart { max-width: 560px; }
.chart text { fill: var(--ink); font-size: 12px; font-family: inherit; }
.chart .tick, .chart .axis-title { fill: var(--muted); font-size: 11px; }
.chart .label { font-weight: 600; paint-order: stroke; stroke: #ffffff; stroke-width: 3px; stroke-linejoin: round; }
.chart .note { fill: var(--muted); font-size: 11px; }
.chart .flag { fill: var(--warn); font-weight: 700; font-size: 11px; }
.chart .value { font-weight: 700; font-variant-numeric: tabular-nums; }
.chart .gridline { stroke: var(--gridline); stroke-width: 1; }
.chart .stripe { fill: var(--stripe); }
.chart .interval { stroke-width: 5; stroke-linecap: round; stroke-opacity: 0.45; }
.chart .bound { stroke-width: 3.5; }
.chart .leader { stroke-width: 1; stroke-opacity: 0.7; }
.chart circle { stroke-width: 2; }
.chart .line { fill: none; stroke-width: 2.25; stroke-linejoin: round; stroke-linecap: round; }
.chart .line.leading { stroke-width: 3; }
.chart .line.faded { stroke-width: 1.5; stroke-opacity: 0.3; }
.chart g:not([data-leading]) > path.faded + circle { fill-opacity: 0.4; }
.chart .point { fill-opacity: 0.3; }
.chart .empty-note { fill: var(--muted); font-size: 14px; }
.legend { display: flex; flex-wrap: wrap; gap: 4px 16px; list-style: none; margin: 10px 0 0; padding: 0; font-size: 0.85rem; }
.legend li { display: flex; align-items: center; gap: 6px; overflow-wrap: anywhere; color: var(--muted); }
.legend li.leading { color: var(--ink); font-weight: 700; }
.warn-text { color: var(--warn); font-weight: 700; }
.summary li.alert { border-color: #f0b4ad; background: var(--warn-bg); color: var(--warn); font-weight: 700; }
.summary li.alert strong { color: var(--warn); }
.swatch { width: 28px; height: 10px; flex: none; }
.swatch line { stroke-width: 3; }
.badge { display: inline-block; border-radius: 999px; padding: 0 9px; font-size: 0.75rem; font-weight: 700; letter-spacing: 0.04em; text-transform: uppercase; vertical-align: 1px; }
.badge.demote { background: var(--warn-bg); color: var(--warn); border: 1px solid #f0b4ad; }
.badge.keep { background: var(--ok-bg); color: var(--ok); border: 1px solid #b5dcc6; }
.flags { display: grid; gap: 10px; list-style: none; margin: 0; padding: 0; }
.flags > li { border-left: 4px solid var(--warn); background: #fffafa; border-radius: 0 6px 6px 0; padding: 6px 10px; }
.model { font-weight: 700; overflow-wrap: anywhere; }
.reason { margin: 4px 0 0; font-size: 0.9rem; }
.quiet { color: var(--muted); margin: 0; }
details { margin-top: 10px; font-size: 0.88rem; }
summary { cursor: pointer; color: var(--muted); }
details ul { padding-left: 18px; margin: 6px 0 0; }
details li { margin-bottom: 6px; }
.pair { display: grid; grid-template-columns: max-content 1fr; gap: 2px 12px; margin: 4px 0 8px; }
.pair dt { color: var(--muted); }
.pair dd { margin: 0; font-weight: 700; overflow-wrap: anywhere; }
.empty { max-width: 760px; }
.empty h2 { margin-top: 0; }
pre { background: var(--stripe); border: 1px solid var(--line); border-radius: 8px; padding: 12px; overflow-x: auto; font-size: 0.85rem; }
footer { color: var(--muted); font-size: 0.82rem; padding-block: 0 28px; overflow-wrap: anywhere; }
`;
