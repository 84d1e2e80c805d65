/**
 * The stylesheet report.html inlines: a readable single column up to 1180 px, a sticky section nav, cards for
 * key figures and segments, and tables that sort when their headers are clicked. Charts are inline SVGs that
 * shrink to the column width.
 * @module
 */

/** The report's CSS. */
export const REPORT_CSS = `
:root { --ink: #1f2933; --muted: #5f6b7a; --line: #dde3ea; --panel: #f6f8fb; --accent: #2f5d8a; }
* { box-sizing: border-box; }
body { margin: 0; font: 15px/1.55 "DejaVu Sans", system-ui, sans-serif; color: var(--ink); background: #fff; }
header.top { background: linear-gradient(135deg, #1f3b57, #2f5d8a); color: #fff; padding: 28px 0 22px; }
.wrap { max-width: 1180px; margin: 0 auto; padding: 0 28px; }
header.top h1 { margin: 0 0 4px; font-size: 28px; letter-spacing: 0.2px; }
header.top p { margin: 0; color: #d6e2ee; }
.figures { display: grid; grid-template-columns: repeat(auto-fit, minmax(150px, 1fr)); gap: 12px; margin-top: 18px; }
.figure { background: rgba(255,255,255,0.12); border-radius: 8px; padding: 10px 14px; }
.figure b { display: block; font-size: 22px; }
.figure span { color: #d6e2ee; font-size: 13px; }
nav.sections { position: sticky; top: 0; z-index: 5; background: #fff; border-bottom: 1px solid var(--line); }
nav.sections .wrap { display: flex; flex-wrap: wrap; gap: 4px 18px; padding-top: 9px; padding-bottom: 9px; font-size: 14px; }
nav.sections a { color: var(--accent); text-decoration: none; }
nav.sections a:hover { text-decoration: underline; }
section { padding: 26px 0 8px; border-bottom: 1px solid var(--line); }
section h2 { margin: 0 0 8px; font-size: 22px; }
section h3 { margin: 22px 0 6px; font-size: 17px; }
p.lead { color: var(--muted); margin-top: 0; max-width: 860px; }
figure.chart { margin: 14px 0; overflow-x: auto; }
figure.chart svg { max-width: 100%; height: auto; }
.search { background: var(--panel); border: 1px solid var(--line); border-radius: 10px; padding: 14px 18px; margin: 12px 0; max-width: 1000px; }
.search label { font-weight: bold; margin-right: 10px; }
.search input { font: inherit; padding: 6px 10px; width: min(420px, 100%); border: 1px solid #b9c3cf; border-radius: 6px; }
#search-results .hit { margin-top: 10px; padding-top: 8px; border-top: 1px dashed var(--line); }
#search-results .hit:first-child { border-top: 0; }
.swatch { display: inline-block; width: 12px; height: 12px; border-radius: 3px; margin-right: 6px; vertical-align: -1px; }
.segments { display: grid; grid-template-columns: repeat(auto-fill, minmax(340px, 1fr)); gap: 12px; margin: 12px 0; }
.segment { border: 1px solid var(--line); border-left-width: 6px; border-radius: 8px; padding: 10px 14px; background: #fff; }
.segment h3 { margin: 0 0 4px; font-size: 16px; }
.segment p { margin: 0; font-size: 14px; color: var(--muted); }
table { border-collapse: collapse; font-size: 13.5px; margin: 8px 0 14px; }
th, td { padding: 4px 10px; border-bottom: 1px solid var(--line); text-align: left; }
td.num, th.num { text-align: right; font-variant-numeric: tabular-nums; }
table.sortable th { cursor: pointer; user-select: none; background: var(--panel); position: sticky; top: 42px; }
table.sortable th[aria-sort="ascending"]::after { content: " ▲"; font-size: 10px; }
table.sortable th[aria-sort="descending"]::after { content: " ▼"; font-size: 10px; }
details { margin: 6px 0; }
details summary { cursor: pointer; font-weight: bold; padding: 4px 0; }
.scroll { max-height: 460px; overflow: auto; border: 1px solid var(--line); border-radius: 6px; }
.scroll table { margin: 0; width: 100%; }
/* In a scrolling box the header sticks to the box's own top: the page nav's 42 px would cover the first rows. */
.scroll table.sortable th { top: 0; }
#map figure.chart { position: relative; }
#map-tooltip { position: absolute; max-width: 320px; padding: 6px 9px; background: #fff; border: 1px solid var(--line); border-radius: 6px; box-shadow: 0 2px 8px rgba(0,0,0,0.18); font-size: 12.5px; pointer-events: none; z-index: 2; }
#map-tooltip b { margin-right: 4px; }
footer { color: var(--muted); font-size: 13px; padding: 18px 0 40px; }
`;
