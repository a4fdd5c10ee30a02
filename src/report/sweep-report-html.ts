// The HTML sweep report: one self-contained page (inline CSS and SVG, no script, no network)
// with what the sweep was, a table of every cell and the charts. Each table row is a cell,
// numbered as on the charts, with its grid values, figures, and its worst run: the seed, a link
// to the saved trace (relative to the page) and the commands that reproduce it. Columns a sweep
// cannot fill (no consumers: every value null) are left out and named under the table.
// The page has no timestamp: the same result renders to the same bytes.

import { htmlDocument } from './html-document.ts';
import type { CellFigures, CellResult, SweepResult } from '../explore/sweep/sweep-result.ts';
import type { RenderedChart } from './sweep-charts.ts';
import { formatNumber } from './format-number.ts';
import { shortKey } from './cell-label.ts';
import { escapeHtml } from './html-escape.ts';

export interface SweepReportInput {
  result: SweepResult;
  charts: RenderedChart[];
  /** Where the page links a cell's worst trace (relative to the page), or null when none was saved. */
  traceHref: (cell: CellResult) => string | null;
  /** Shown as the page's source line, e.g. the result file's path. */
  resultPath: string;
}

interface FigureColumn {
  key: keyof CellFigures;
  header: string;
  /** Tooltip: what the figure is. */
  help: string;
  /** Alert styling when the value is above zero. */
  alert?: boolean;
  /** Shown in seconds instead of ms. */
  seconds?: boolean;
}

const FIGURE_COLUMNS: FigureColumn[] = [
  { key: 'runs', header: 'runs', help: 'seeded runs of this cell' },
  { key: 'runsWithLoss', header: 'runs with loss', help: 'runs that lost at least one acknowledged record', alert: true },
  { key: 'recordsLostMean', header: 'lost mean', help: 'acknowledged records lost per run, mean', alert: true },
  { key: 'recordsLostMax', header: 'lost max', help: 'acknowledged records lost in the worst run', alert: true },
  { key: 'breaches', header: 'breaches', help: 'violations that break the configured guarantee, summed over runs', alert: true },
  { key: 'permitted', header: 'permitted', help: 'violations the configuration and faults permit (acks=1, unclean election, power loss), summed over runs' },
  { key: 'recordsDuplicatedMean', header: 'dup mean', help: 'records duplicated in a log per run, mean' },
  { key: 'recordsReorderedMean', header: 'reorder mean', help: 'records out of send order per run, mean' },
  { key: 'unavailabilityMsMean', header: 'unavail. mean (s)', help: 'per partition and run: time offline plus time with the ISR below min.insync.replicas, mean', seconds: true },
  { key: 'unavailabilityMsP99', header: 'unavail. p99 (s)', help: 'the same, 99th percentile', seconds: true },
  { key: 'produceLatencyMsP50', header: 'produce p50 (ms)', help: 'send() to acknowledgement, median' },
  { key: 'produceLatencyMsP99', header: 'produce p99 (ms)', help: 'send() to acknowledgement, 99th percentile' },
  { key: 'produceLatencyMsMax', header: 'produce max (ms)', help: 'send() to acknowledgement, slowest' },
  { key: 'endToEndLatencyMsP50', header: 'e2e p50 (ms)', help: 'send() to processing by a consumer, median' },
  { key: 'endToEndLatencyMsP99', header: 'e2e p99 (ms)', help: 'send() to processing by a consumer, 99th percentile' },
  { key: 'consumerDuplicatesMean', header: 'consumer dup mean', help: 'records a consumer group processed more than once per run, mean' },
  { key: 'consumerGapsMean', header: 'consumer gaps mean', help: 'committed records a consumer group never processed per run, mean', alert: true },
  { key: 'rebalanceMsMean', header: 'rebalance mean (ms)', help: 'consumer group rebalance duration, mean' },
];

const STYLE = `
  :root { color-scheme: light; }
  body { font: 14px/1.45 system-ui, -apple-system, "Segoe UI", Roboto, Helvetica, Arial, sans-serif; margin: 24px; color: #1d1d1f; background: #fff; }
  h1 { font-size: 22px; margin: 0 0 4px; }
  h2 { font-size: 17px; margin: 28px 0 8px; }
  .meta { color: #555; margin: 2px 0; }
  code, .cmd { font: 12px/1.4 ui-monospace, SFMono-Regular, Menlo, Consolas, monospace; }
  table { border-collapse: collapse; margin-top: 8px; }
  th, td { border-bottom: 1px solid #e3e3e3; padding: 5px 8px; text-align: right; vertical-align: top; white-space: nowrap; }
  th { background: #f6f6f8; font-weight: 600; cursor: help; white-space: normal; max-width: 84px; vertical-align: bottom; }
  td.grid, th.grid { text-align: left; background: #fbfbfd; }
  td.worst { text-align: left; white-space: normal; color: #444; font-size: 12px; padding-top: 0; }
  tr.cell-row td { border-bottom: none; padding-bottom: 2px; }
  td.number { font-weight: 600; }
  td.alert { color: #b00020; font-weight: 600; }

  .cmd { display: inline-block; background: #f2f2f5; border-radius: 4px; padding: 1px 6px; margin: 2px 6px 0 0; white-space: normal; overflow-wrap: anywhere; user-select: all; }
  .no-trace { color: #777; }
  .table-wrap { overflow-x: auto; }
  .charts { display: flex; flex-wrap: wrap; gap: 24px; }
  figure { margin: 0; padding: 12px; border: 1px solid #e3e3e3; border-radius: 6px; }
  figure h3 { margin: 0 0 6px; font-size: 15px; }
  figcaption { color: #555; font-size: 12px; max-width: 640px; margin-top: 4px; }
  .note { color: #555; font-size: 12px; }
`;

export function renderSweepReportHtml(input: SweepReportInput): string {
  const { result } = input;
  const columns = FIGURE_COLUMNS.filter((c) => result.cells.some((cell) => cell.figures[c.key] !== null));
  const absent = FIGURE_COLUMNS.filter((c) => !columns.includes(c));
  const gridKeys = result.grid.map((g) => g.key);
  const cellCount = result.cells.length;

  const head =
    `<tr><th title="cell number, as on the charts">#</th>` +
    gridKeys.map((k) => `<th class="grid" title="grid key ${escapeHtml(k)}">${escapeHtml(shortKey(k))}</th>`).join('') +
    columns.map((c) => `<th title="${escapeHtml(c.help)}">${escapeHtml(c.header)}</th>`).join('') +
    `</tr>`;
  const columnCount = 1 + gridKeys.length + columns.length;

  const rows = result.cells.map((cell, i) => {
    const grid = gridKeys.map((k) => `<td class="grid">${escapeHtml(cell.cell[k] ?? '')}</td>`).join('');
    const figures = columns
      .map((c) => {
        const value = cell.figures[c.key];
        if (value === null) return '<td class="na">n/a</td>';
        const shown = c.seconds ? value / 1000 : value;
        return `<td class="${c.alert && value > 0 ? 'alert' : ''}" data-figure="${c.key}">${formatNumber(shown)}</td>`;
      })
      .join('');
    // The worst run gets a row of its own under the figures: commands are too long for a column.
    return (
      `<tr class="cell-row" data-cell="${i + 1}"><td class="number">${i + 1}</td>${grid}${figures}</tr>\n` +
      `<tr class="worst-row" data-cell="${i + 1}"><td></td><td class="worst" colspan="${columnCount - 1}">${worstRun(cell, input.traceHref(cell))}</td></tr>`
    );
  });

  const charts = input.charts
    .map(
      (c) =>
        `<figure class="chart" id="chart-${escapeHtml(c.id)}" data-chart="${escapeHtml(c.id)}"><h3>${escapeHtml(c.title)}</h3>${c.svg}<figcaption>${escapeHtml(c.caption)}</figcaption></figure>`,
    )
    .join('\n');

  const settings = result.settings.length > 0 ? result.settings.map((s) => `<code>--set ${escapeHtml(s)}</code>`).join(' ') : 'none';
  const grid = result.grid.map((g) => `<code>${escapeHtml(g.key)}</code> = ${g.values.map(escapeHtml).join(', ')}`).join('; ');
  const title = `ksim sweep: ${result.scenarioName}`;
  return htmlDocument(title, STYLE, `<h1>${escapeHtml(title)}</h1>
<p class="meta">${cellCount} cells × ${result.seeds} seeds (seed base ${result.seedBase}) on ${escapeHtml(result.source)}, ksim ${escapeHtml(result.ksimVersion)}; result <code>${escapeHtml(input.resultPath)}</code></p>
<p class="meta">Grid: ${grid || 'none (one cell: the base scenario)'}</p>
<p class="meta">Fixed settings: ${settings}</p>

<h2>Cells</h2>
<div class="table-wrap">
<table id="cells">
<thead>${head}</thead>
<tbody>
${rows.join('\n')}
</tbody>
</table>
</div>
${absent.length > 0 ? `<p class="note">Not measured in this sweep (no run produced them): ${absent.map((c) => escapeHtml(c.header)).join(', ')}.</p>` : ''}

<h2>Loss, availability and latency per configuration</h2>
<div class="charts">
${charts}
</div>
</body>
</html>
`);
}

function worstRun(cell: CellResult, href: string | null): string {
  const w = cell.worst;
  const summary = `<b>worst run</b>: seed ${escapeHtml(w.seed)}, ${formatNumber(w.recordsLost)} lost, trace hash <code>${escapeHtml(w.traceHash)}</code>`;
  const trace = href
    ? `, trace <a class="trace-link" href="${escapeHtml(href)}">${escapeHtml(href)}</a><br><span class="cmd replay-command" title="replay the saved trace (path relative to this page)">ksim replay ${escapeHtml(href)}</span>`
    : `, <span class="no-trace">no trace saved</span><br>`;
  return `${summary}${trace}<span class="cmd run-command" title="re-run the worst run and write its trace">${escapeHtml(w.runCommand)}</span>`;
}
