// The sweep report's charts, as the model's sweep definition lists them: bar charts of a figure
// per configuration cell, and scatter plots of two figures with one point per cell. Each chart is
// a Vega-Lite spec built from the SweepResult, compiled to Vega and rendered to SVG in Node by
// vega's headless View (renderer 'none', View.toSVG): no browser, no canvas package, no network.
// The SVG is both inlined into the HTML report and written as a standalone file for READMEs.
//
// Cells are numbered #1..#N in result order on every chart and in the report's table, so a bar,
// a point and a table row can be matched. Bars keep result order (the grid order), never sorted
// by value, so the same configuration sits at the same place on every chart.

import * as vega from 'vega';
import * as vegaLite from 'vega-lite';
import type { ModelSweep, SweepBarChart, SweepScatterChart } from '../scenario/model-sweep.ts';
import type { SweepResult } from '../explore/sweep/sweep-result.ts';
import { cellLabel, shortKey } from './cell-label.ts';

export interface ChartSpec {
  /** File stem of the standalone SVG, and the id of the chart's <figure> in the report. */
  id: string;
  title: string;
  /** One line under the chart: what a bar or point is. */
  caption: string;
  spec: vegaLite.TopLevelSpec;
}

export interface RenderedChart {
  id: string;
  title: string;
  caption: string;
  svg: string;
}

/** One row per cell: its number and name, the fields a chart plots, its grid values. */
type CellDatum = Record<string, string | number | null>;

const BAR_CHART_WIDTH = 420;
const BAR_STEP = 24;
const FONT = 'system-ui, -apple-system, "Segoe UI", Roboto, Helvetica, Arial, sans-serif';

const CHART_CONFIG: vegaLite.Config = {
  font: FONT,
  axis: { labelFontSize: 12, titleFontSize: 12, labelLimit: 360 },
  legend: { labelFontSize: 12, titleFontSize: 12 },
  title: { fontSize: 14, anchor: 'start' },
  view: { stroke: null },
};

/** The cells' rows for one chart: number, name, the chart's fields, then the grid values. */
function cellData(result: SweepResult, sweep: ModelSweep, fields: (cell: SweepResult['cells'][number]) => CellDatum): CellDatum[] {
  return result.cells.map((cell, i) => {
    const datum: CellDatum = { cellNumber: i + 1, cellName: `#${i + 1} ${cellLabel(cell, sweep)}`, ...fields(cell) };
    for (const [key, value] of Object.entries(cell.cell)) datum[groupField(key)] = value;
    return datum;
  });
}

/** Vega field names must not contain dots (they mean nesting). */
function groupField(key: string): string {
  return `grid_${key.replace(/[^A-Za-z0-9_]/g, '_')}`;
}

function barChart(result: SweepResult, sweep: ModelSweep, chart: SweepBarChart): vegaLite.TopLevelSpec {
  const data = cellData(result, sweep, (cell) => ({
    [chart.value.field]: chart.value.of(cell.figures),
    [chart.label.field]: chart.label.of(cell.figures),
  }));
  return horizontalBars(data, chart.value.field, chart.axisTitle, chart.label.field, chart.scale, chart.color);
}

function horizontalBars(
  data: CellDatum[],
  field: string,
  axisTitle: string,
  labelField: string,
  scaleType: 'linear' | 'symlog',
  color: string,
): vegaLite.TopLevelSpec {
  const y = { field: 'cellName', type: 'nominal', sort: null, title: null } as const;
  const plotted = data.filter((d) => d[field] !== null);
  return {
    $schema: 'https://vega.github.io/schema/vega-lite/v5.json',
    config: CHART_CONFIG,
    width: BAR_CHART_WIDTH,
    height: { step: BAR_STEP },
    data: { values: plotted },
    encoding: { y },
    layer: [
      {
        name: 'bars',
        mark: { type: 'bar', color, height: { band: 0.7 } },
        encoding: { x: { field, type: 'quantitative', title: axisTitle, scale: { type: scaleType }, axis: axisFor(scaleType, plotted, field) } },
      },
      {
        name: 'values',
        mark: { type: 'text', align: 'left', dx: 4, fontSize: 11, color: '#333' },
        encoding: { x: { field, type: 'quantitative' }, text: { field: labelField } },
      },
    ],
  } as vegaLite.TopLevelSpec;
}

/** A symlog axis gets decade ticks (0, 10, 100, ...); vega's own symlog ticks crowd at the top. */
function axisFor(scaleType: 'linear' | 'symlog', data: CellDatum[], field: string): Record<string, unknown> {
  if (scaleType === 'linear') return {};
  const max = Math.max(1, ...data.map((d) => Number(d[field])));
  const values = [0];
  for (let v = 1; v <= max * 10; v *= 10) values.push(v);
  return { values, labelExpr: "format(datum.value, ',')", grid: true };
}

/**
 * Points labelled with their cell numbers; cells with (nearly) the same figures sit on the same
 * point, and one label names them all ("1, 3" on the first, "" on the others), so the numbers do
 * not print over each other. "Nearly": within 1% of each axis's range.
 */
function pointLabels(data: CellDatum[], x: string, y: string): void {
  const xStep = Math.max(...data.map((d) => d[x] as number), 1e-9) / 100;
  const yStep = Math.max(...data.map((d) => d[y] as number), 1e-9) / 100;
  const atPoint = new Map<string, CellDatum[]>();
  for (const d of data) {
    const key = `${Math.round((d[x] as number) / xStep)}/${Math.round((d[y] as number) / yStep)}`;
    atPoint.set(key, [...(atPoint.get(key) ?? []), d]);
  }
  for (const d of data) d.pointLabel = '';
  for (const group of atPoint.values()) group[0].pointLabel = group.map((d) => d.cellNumber).join(', ');
}

function scatterChart(result: SweepResult, sweep: ModelSweep, chart: SweepScatterChart): vegaLite.TopLevelSpec {
  const data = cellData(result, sweep, (cell) => ({ [chart.x.field]: chart.x.of(cell.figures), [chart.y.field]: chart.y.of(cell.figures) }));
  pointLabels(data, chart.x.field, chart.y.field);
  const [colorAxis, shapeAxis] = result.grid;
  const point: Record<string, unknown> = {
    x: { field: chart.x.field, type: 'quantitative', title: chart.x.title },
    y: { field: chart.y.field, type: 'quantitative', title: chart.y.title },
  };
  if (colorAxis)
    point.color = { field: groupField(colorAxis.key), type: 'nominal', title: shortKey(colorAxis.key, sweep), scale: { scheme: 'tableau10', domain: colorAxis.values } };
  if (shapeAxis) point.shape = { field: groupField(shapeAxis.key), type: 'nominal', title: shortKey(shapeAxis.key, sweep), scale: { domain: shapeAxis.values } };
  return {
    $schema: 'https://vega.github.io/schema/vega-lite/v5.json',
    config: CHART_CONFIG,
    width: BAR_CHART_WIDTH,
    height: 300,
    data: { values: data },
    layer: [
      { name: 'points', mark: { type: 'point', filled: true, size: 90, opacity: 0.85 }, encoding: point },
      {
        name: 'numbers',
        mark: { type: 'text', align: 'left', dx: 7, dy: -7, fontSize: 11, color: '#333' },
        encoding: { x: point.x, y: point.y, text: { field: 'pointLabel', type: 'nominal' } },
      },
    ],
  } as vegaLite.TopLevelSpec;
}

/** The report's charts, in page order. */
export function sweepChartSpecs(result: SweepResult, sweep: ModelSweep): ChartSpec[] {
  return sweep.charts.list.map((chart) => ({
    id: chart.id,
    title: chart.title,
    caption: chart.caption(result.seeds),
    spec: chart.kind === 'bars' ? barChart(result, sweep, chart) : scatterChart(result, sweep, chart),
  }));
}

/** Renders one Vega-Lite spec to an SVG document string. */
export async function renderChartSvg(spec: vegaLite.TopLevelSpec): Promise<string> {
  const compiled = vegaLite.compile(spec).spec;
  // loader with no base URL: the data is inline, so nothing is ever fetched.
  const view = new vega.View(vega.parse(compiled), { renderer: 'none', logLevel: vega.Warn });
  try {
    return await view.toSVG();
  } finally {
    view.finalize();
  }
}

export async function renderSweepCharts(result: SweepResult, sweep: ModelSweep): Promise<RenderedChart[]> {
  const charts: RenderedChart[] = [];
  for (const chart of sweepChartSpecs(result, sweep)) {
    charts.push({ id: chart.id, title: chart.title, caption: chart.caption, svg: await renderChartSvg(chart.spec) });
  }
  return charts;
}
