// `ksim report SWEEP -o FILE.html [--svg-dir DIR]`: renders a sweep's result (its directory or its
// sweep.json) into one self-contained HTML page, a table of every cell and the swept model's
// charts, and optionally writes the same charts as standalone SVG files.
// Every file is written atomically. Exit 0 on success, 2 for a missing or foreign result file.

import * as path from 'node:path';
import { Command } from 'commander';
import { MODELS } from '../../models/index.ts';
import { checkOutputDir, checkReplaceable, ensureOutputDir, writeFileAtomic } from '../files/output-file.ts';
import { loadSweepResult } from '../report/load-sweep-result.ts';
import { renderSweepReportHtml } from '../report/sweep-report-html.ts';
import { EXIT_OK } from './cli-errors.ts';
import type { CliIo } from './cli-io.ts';

interface ReportCommandOptions {
  output: string;
  svgDir?: string;
}

const EXAMPLES = `
Examples:
  $ npx ksim sweep --scenario msk-3az-outage --grid acks=1,all --seeds 50 --out sweeps/acks
  $ npx ksim report sweeps/acks -o acks.html
  $ npx ksim report sweeps/acks/sweep.json -o acks.html --svg-dir docs/charts

The page works offline: styles and charts (SVG, rendered with Vega-Lite) are inline. Each cell
links its worst run's trace, relative to the page; open one with: ksim timeline TRACE -o run.html

Exit codes: 0 written, 2 bad input (no such result, not a sweep result, unwritable output), 3 a bug in ksim.`;

export function registerReportCommand(program: Command, io: CliIo, done: (exitCode: number) => void): void {
  program
    .command('report')
    .description('render a sweep result into a self-contained HTML report with charts')
    .argument('<sweep>', 'sweep directory (holding sweep.json) or a sweep result JSON file')
    .requiredOption('-o, --output <file.html>', 'HTML file to write')
    .option('--svg-dir <dir>', 'also write each chart as a standalone SVG file into this directory')
    .addHelpText('after', EXAMPLES)
    .action(async (sweep: string, options: ReportCommandOptions) => done(await reportCommand(sweep, options, io)));
}

export async function reportCommand(sweep: string, options: ReportCommandOptions, io: CliIo): Promise<number> {
  const output = `-o "${options.output}"`;
  // Checked before the charts are rendered, so a bad path costs nothing.
  checkReplaceable(options.output, output);
  if (options.svgDir !== undefined) checkOutputDir(options.svgDir, `--svg-dir "${options.svgDir}"`);
  const loaded = loadSweepResult(sweep, MODELS);
  const pageDir = path.dirname(path.resolve(options.output));
  // Loaded here, not at the top: vega is large, and every other ksim command would pay for it.
  const { renderSweepCharts } = await import('../report/sweep-charts.ts');
  const charts = await renderSweepCharts(loaded.result, loaded.sweep);
  const html = renderSweepReportHtml({
    result: loaded.result,
    sweep: loaded.sweep,
    charts,
    resultPath: loaded.filePath,
    traceHref: (cell) => {
      if (cell.worst.tracePath === null) return null;
      const trace = path.resolve(loaded.baseDir, cell.worst.tracePath);
      return path.relative(pageDir, trace).split(path.sep).join('/');
    },
  });
  writeFileAtomic(options.output, html, output);
  io.out(`ksim report: ${loaded.result.cells.length} cells from ${loaded.filePath}\n`);
  io.out(`  report written to ${options.output} (${(Buffer.byteLength(html) / 1024).toFixed(0)} KiB, ${charts.length} charts)\n`);
  if (options.svgDir !== undefined) {
    ensureOutputDir(options.svgDir, `--svg-dir "${options.svgDir}"`);
    for (const chart of charts) writeFileAtomic(path.join(options.svgDir, `${chart.id}.svg`), chart.svg);
    io.out(`  charts written to ${options.svgDir}: ${charts.map((c) => `${c.id}.svg`).join(', ')}\n`);
  }
  return EXIT_OK;
}
