// The sweep report's charts: loss, unavailability and produce latency per configuration cell,
// and loss against unavailability with one point per cell. Each chart is a Vega-Lite spec built
// from the SweepResult, compiled to Vega and rendered to SVG in Node by vega's headless View
// (renderer 'none', View.toSVG): no browser, no canvas package, no network. The SVG is both
// inlined into the HTML report and written as a standalone file for READMEs.
//
// Cells are numbered #1..#N in result order on every chart and in the report's table, so a bar,
// a point and a table row can be matched. Bars keep result order (the grid order), never sorted
// by value, so the same configuration sits at the same place on every chart.

import * as vega from 'vega';
import * as vegaLite from 'vega-lite';
import type { SweepResult } from '../explore/sweep/sweep-result.ts';
import { cellLabel, shortKey } from './cell-label.ts';
import { formatNumber } from './format-number.ts';

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

/** One row per cell, the fields the charts plot. */
interface CellDatum {
  cellNumber: number;
  cellName: string;
  recordsLostMean: number;
  recordsLostMax: number;
  runsWithLoss: number;
  runs: number;
  unavailabilityP99Seconds: number;
  produceLatencyMsP99: number | null;
  lossLabel: string;
  unavailabilityLabel: string;
  latencyLabel: string;
  /** On the scatter: "1" or, for cells at the same point, "1, 3" on the first of them and "" on the others. */
  pointLabel: string;
  [groupKey: string]: string | number | null;
}

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

export function cellData(result: SweepResult): CellDatum[] {
  const data = result.cells.map((cell, i) => {
    const f = cell.figures;
    const datum: CellDatum = {
      cellNumber: i + 1,
      cellName: `#${i + 1} ${cellLabel(cell)}`,
      recordsLostMean: f.recordsLostMean,
      recordsLostMax: f.recordsLostMax,
      runsWithLoss: f.runsWithLoss,
      runs: f.runs,
      unavailabilityP99Seconds: f.unavailabilityMsP99 / 1000,
      produceLatencyMsP99: f.produceLatencyMsP99,
      lossLabel: `${formatNumber(f.recordsLostMean)} (max ${formatNumber(f.recordsLostMax)}, ${f.runsWithLoss}/${f.runs} runs)`,
      unavailabilityLabel: `${formatNumber(f.unavailabilityMsP99 / 1000)} s`,
      latencyLabel: f.produceLatencyMsP99 === null ? 'n/a' : `${formatNumber(f.produceLatencyMsP99)} ms`,
      pointLabel: '',
    };
    for (const [key, value] of Object.entries(cell.cell)) datum[groupField(key)] = value;
    return datum;
  });
  // Cells with (nearly) the same figures sit on the same point; one label names them all, so the
  // numbers do not print over each other. "Nearly": within 1% of each axis's range.
  const xStep = Math.max(...data.map((d) => d.unavailabilityP99Seconds), 1e-9) / 100;
  const yStep = Math.max(...data.map((d) => d.recordsLostMean), 1e-9) / 100;
  const atPoint = new Map<string, CellDatum[]>();
  for (const d of data) {
    const key = `${Math.round(d.unavailabilityP99Seconds / xStep)}/${Math.round(d.recordsLostMean / yStep)}`;
    atPoint.set(key, [...(atPoint.get(key) ?? []), d]);
  }
  for (const group of atPoint.values()) group[0].pointLabel = group.map((d) => d.cellNumber).join(', ');
  return data;
}

/** Vega field names must not contain dots (they mean nesting). */
function groupField(key: string): string {
  return `grid_${key.replace(/[^A-Za-z0-9_]/g, '_')}`;
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

function lossVersusUnavailability(result: SweepResult, data: CellDatum[]): vegaLite.TopLevelSpec {
  const [colorAxis, shapeAxis] = result.grid;
  const colorKey = colorAxis?.key;
  const shapeKey = shapeAxis?.key;
  const point: Record<string, unknown> = {
    x: { field: 'unavailabilityP99Seconds', type: 'quantitative', title: 'unavailability p99 per partition (s)' },
    y: { field: 'recordsLostMean', type: 'quantitative', title: 'acknowledged records lost per run (mean)' },
  };
  if (colorKey) point.color = { field: groupField(colorKey), type: 'nominal', title: shortKey(colorKey), scale: { scheme: 'tableau10', domain: colorAxis.values } };
  if (shapeKey) point.shape = { field: groupField(shapeKey), type: 'nominal', title: shortKey(shapeKey), scale: { domain: shapeAxis.values } };
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
export function sweepChartSpecs(result: SweepResult): ChartSpec[] {
  const data = cellData(result);
  const runs = result.seeds;
  return [
    {
      id: 'records-lost',
      title: 'Acknowledged records lost per run',
      caption: `Bar: mean over the cell's ${runs} seeded runs; label: mean (max, runs that lost any).`,
      spec: horizontalBars(data, 'recordsLostMean', 'acknowledged records lost per run (mean)', 'lossLabel', 'linear', '#d62728'),
    },
    {
      id: 'unavailability-p99',
      title: 'Unavailability p99 per partition',
      caption: 'Time a partition was offline or had its ISR below min.insync.replicas, 99th percentile over partitions and runs.',
      spec: horizontalBars(data, 'unavailabilityP99Seconds', 'unavailability p99 (s)', 'unavailabilityLabel', 'linear', '#1f77b4'),
    },
    {
      id: 'produce-latency-p99',
      title: 'Produce latency p99',
      caption: 'From send() to the acknowledgement, 99th percentile over acknowledged records (symmetric log scale).',
      spec: horizontalBars(data, 'produceLatencyMsP99', 'produce latency p99 (ms, symlog)', 'latencyLabel', 'symlog', '#9467bd'),
    },
    {
      id: 'loss-vs-unavailability',
      title: 'Loss versus unavailability',
      caption: 'One point per cell, numbered as in the table: down and to the left is better.',
      spec: lossVersusUnavailability(result, data),
    },
  ];
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

export async function renderSweepCharts(result: SweepResult): Promise<RenderedChart[]> {
  const charts: RenderedChart[] = [];
  for (const chart of sweepChartSpecs(result)) {
    charts.push({ id: chart.id, title: chart.title, caption: chart.caption, svg: await renderChartSvg(chart.spec) });
  }
  return charts;
}
