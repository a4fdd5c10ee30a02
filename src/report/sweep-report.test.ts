// The sweep report without a browser, on a ping fixture result: the model's figures become the
// table's columns (those no cell measured are named under it), its charts get one bar or point per
// cell, worst runs link their traces relative to the page; loading a result finds the model by its
// figures and refuses a missing, foreign, newer or damaged result with one line.
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { describe, expect, it } from 'vitest';
import { MODELS } from '../scenario/testing/fixture-registry.ts';
import { UserError } from '../scenario/user-error.ts';
import { loadSweepResult } from './load-sweep-result.ts';
import { renderSweepCharts } from './sweep-charts.ts';
import { renderSweepReportHtml } from './sweep-report-html.ts';
import { pingSweepResult } from './testing/ping-sweep-result.ts';

function count(text: string, re: RegExp): number {
  return (text.match(re) ?? []).length;
}

function written(result: unknown): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'ksim-report-'));
  fs.writeFileSync(path.join(dir, 'sweep.json'), JSON.stringify(result));
  return dir;
}

describe('sweep report', () => {
  it("finds the swept model by the result's figures and draws its charts, a bar or point per cell", async () => {
    const { result, sweep } = loadSweepResult(written(pingSweepResult()), MODELS);
    expect(sweep).toBe(MODELS[0].sweep);
    const charts = await renderSweepCharts(result, sweep);
    expect(charts.map((c) => c.id)).toEqual(['lost', 'lost-vs-found']);
    expect(count(charts[0].svg, /aria-roledescription="bar"/g)).toBe(4);
    expect(count(charts[1].svg, /aria-roledescription="point"/g)).toBe(4);
    expect(charts[0].svg).toContain('interval=50');
    for (const chart of charts) expect(chart.svg).not.toMatch(/https?:\/\/(?!www\.w3\.org)/);
  });

  it("renders the model's columns, the worst runs with their trace links, and names the columns no cell measured", () => {
    const result = pingSweepResult();
    const html = renderSweepReportHtml({
      result,
      sweep: MODELS[0].sweep!,
      charts: [],
      resultPath: 'out/sweep.json',
      traceHref: (cell) => (cell.worst.tracePath === null ? null : `out/${cell.worst.tracePath}`),
    });
    expect(count(html, /<tr class="cell-row"/g)).toBe(4);
    expect(html).toContain('title="peers lost per run, mean">lost mean</th>');
    expect(html).toContain('<h2>Peers lost and found</h2>');
    expect(html).toMatch(/Not measured in this sweep \(no run produced them\): violations max\./);
    expect([...html.matchAll(/class="trace-link" href="([^"]+)"/g)].map((m) => m[1])).toEqual(['out/traces/cell-0-seed-2.jsonl', 'out/traces/cell-1-seed-2.jsonl']);
    expect(html).toContain('<b>worst run</b>: seed 2, 6 lost');
    expect(html).not.toMatch(/<script|<link|src="http/);
  });

  it('refuses a missing, foreign, newer, damaged or unknown-model result with one line', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'ksim-report-'));
    expect(() => loadSweepResult(path.join(dir, 'nope.json'), MODELS)).toThrow(UserError);
    expect(() => loadSweepResult(dir, MODELS)).toThrow(/no sweep\.json in this directory/);
    fs.writeFileSync(path.join(dir, 'a.json'), '{"name":"x"}');
    expect(() => loadSweepResult(path.join(dir, 'a.json'), MODELS)).toThrow(/not a ksim sweep result/);
    expect(() => loadSweepResult(written({ ...pingSweepResult(), version: 99 }), MODELS)).toThrow(/version 99 is newer/);
    const broken = pingSweepResult();
    delete broken.cells[2].figures.foundMean;
    expect(() => loadSweepResult(written(broken), MODELS)).toThrow(/"cells\.2\.figures\.foundMean"/);
    const foreign = pingSweepResult();
    for (const c of foreign.cells) c.figures = { runs: 2, recordsLostMean: 0 };
    expect(() => loadSweepResult(written(foreign), MODELS)).toThrow(/figures are those of no model this ksim can sweep \(ping\)/);
  });
});
