// The HTML sweep report: one self-contained page (inline CSS and SVG, no script, no network)
// with what the sweep was, a table of every cell and the charts. Each table row is a cell,
// numbered as on the charts, with its grid values, figures, and its worst run: the seed, a link
// to the saved trace (relative to the page) and the commands that reproduce it. The figure columns
// are the model's (its sweep definition); columns a sweep cannot fill (every value null) are left
// out and named under the table.
// The page has no timestamp: the same result renders to the same bytes.

import { htmlDocument } from './html-document.ts';
import type { ModelSweep, SweepFigure } from '../scenario/model-sweep.ts';
import type { CellResult, SweepResult } from '../explore/sweep/sweep-result.ts';
import type { RenderedChart } from './sweep-charts.ts';
import { formatNumber } from './format-number.ts';
import { ksimCommandLine } from '../explore/run-command-line.ts';
import { shortKey } from './cell-label.ts';
import { escapeHtml } from './html-escape.ts';

interface SweepReportInput {
  result: SweepResult;
  /** The swept model's definition of the figures. */
  sweep: ModelSweep;
  charts: RenderedChart[];
  /** Where the page links a cell's worst trace (relative to the page), or null when none was saved. */
  traceHref: (cell: CellResult) => string | null;
  /** Shown as the page's source line, e.g. the result file's path. */
  resultPath: string;
}

interface FigureColumn {
  key: string;
  report: SweepFigure<unknown>['report'];
}

/** "runs", then the model's figures, in CellFigures order. */
function figureColumns(sweep: ModelSweep): FigureColumn[] {
  return [{ key: 'runs', report: { header: 'runs', help: 'seeded runs of this cell' } }, ...sweep.figures.map((f) => ({ key: f.key, report: f.report }))];
}

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
  const { result, sweep } = input;
  const all = figureColumns(sweep);
  const columns = all.filter((c) => result.cells.some((cell) => cell.figures[c.key] !== null));
  const absent = all.filter((c) => !columns.includes(c));
  const gridKeys = result.grid.map((g) => g.key);
  const cellCount = result.cells.length;

  const head =
    `<tr><th title="cell number, as on the charts">#</th>` +
    gridKeys.map((k) => `<th class="grid" title="grid key ${escapeHtml(k)}">${escapeHtml(shortKey(k, sweep))}</th>`).join('') +
    columns.map((c) => `<th title="${escapeHtml(c.report.help)}">${escapeHtml(c.report.header)}</th>`).join('') +
    `</tr>`;
  const columnCount = 1 + gridKeys.length + columns.length;

  const rows = result.cells.map((cell, i) => {
    const grid = gridKeys.map((k) => `<td class="grid">${escapeHtml(cell.cell[k] ?? '')}</td>`).join('');
    const figures = columns
      .map((c) => {
        const value = cell.figures[c.key];
        if (value === null || value === undefined) return '<td class="na">n/a</td>'; // undefined: a result written before this figure existed
        const shown = c.report.seconds ? value / 1000 : value;
        return `<td class="${c.report.alert && value > 0 ? 'alert' : ''}" data-figure="${c.key}">${formatNumber(shown)}</td>`;
      })
      .join('');
    // The worst run gets a row of its own under the figures: commands are too long for a column.
    return (
      `<tr class="cell-row" data-cell="${i + 1}"><td class="number">${i + 1}</td>${grid}${figures}</tr>\n` +
      `<tr class="worst-row" data-cell="${i + 1}"><td></td><td class="worst" colspan="${columnCount - 1}">${worstRun(cell, sweep, input.traceHref(cell))}</td></tr>`
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
${absent.length > 0 ? `<p class="note">Not measured in this sweep (no run produced them): ${absent.map((c) => escapeHtml(c.report.header)).join(', ')}.</p>` : ''}

<h2>${escapeHtml(sweep.charts.heading)}</h2>
<div class="charts">
${charts}
</div>
</body>
</html>
`);
}

function worstRun(cell: CellResult, sweep: ModelSweep, href: string | null): string {
  const w = cell.worst;
  const score = formatNumber(Number(w[sweep.worstRun.figure] ?? 0));
  const summary = `<b>worst run</b>: seed ${escapeHtml(w.seed)}, ${score} ${escapeHtml(sweep.worstRun.verb)}, trace hash <code>${escapeHtml(w.traceHash)}</code>`;
  const trace = href
    ? `, trace <a class="trace-link" href="${escapeHtml(href)}">${escapeHtml(href)}</a><br><span class="cmd replay-command" title="replay the saved trace (path relative to this page)">${escapeHtml(ksimCommandLine(['replay', href]))}</span>`
    : `, <span class="no-trace">no trace saved</span><br>`;
  return `${summary}${trace}<span class="cmd run-command" title="re-run the worst run and write its trace">${escapeHtml(w.runCommand)}</span>`;
}
