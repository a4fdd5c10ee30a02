// The Kafka sweep report without a browser: the fixture (a Kafka sweep result) renders to a page
// with a row per cell, a trace link per saved worst run, and charts with one bar (or point) per
// cell; every committed study still loads and renders; bad inputs are UserErrors.
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { describe, expect, it } from 'vitest';
import { reportCommand } from '../../../src/cli/report-command.ts';
import { loadSweepResult } from '../../../src/report/load-sweep-result.ts';
import { renderSweepCharts } from '../../../src/report/sweep-charts.ts';
import { UserError } from '../../../src/scenario/user-error.ts';
import { MODELS } from '../../index.ts';

const FIXTURE = path.join(import.meta.dirname, 'fixtures', 'sample-sweep.json');

function count(text: string, re: RegExp): number {
  return (text.match(re) ?? []).length;
}

describe('sweep report', () => {
  it('renders one bar per cell on each bar chart and one point per cell on the scatter', async () => {
    const { result, sweep } = loadSweepResult(FIXTURE, MODELS);
    const charts = await renderSweepCharts(result, sweep);
    expect(charts.map((c) => c.id)).toEqual(['records-lost', 'unavailability-p99', 'produce-latency-p99', 'loss-vs-unavailability']);
    for (const chart of charts.slice(0, 3)) expect(count(chart.svg, /aria-roledescription="bar"/g)).toBe(result.cells.length);
    expect(count(charts[3].svg, /aria-roledescription="point"/g)).toBe(result.cells.length);
    // Self-contained: no external references.
    for (const chart of charts) expect(chart.svg).not.toMatch(/https?:\/\/(?!www\.w3\.org)/);
  });

  it('writes the page and the standalone SVGs atomically, linking traces relative to the page', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'ksim-report-'));
    const out: string[] = [];
    const io = { out: (t: string) => void out.push(t), err: (t: string) => void out.push(t) };
    const code = await reportCommand(FIXTURE, { output: path.join(dir, 'report.html'), svgDir: path.join(dir, 'svg') }, io);
    expect(code).toBe(0);
    const html = fs.readFileSync(path.join(dir, 'report.html'), 'utf8');
    expect(count(html, /<tr class="cell-row"/g)).toBe(8);
    // 7 of the 8 worst runs saved a trace; the link is relative to the page.
    const links = [...html.matchAll(/class="trace-link" href="([^"]+)"/g)].map((m) => m[1]);
    expect(links).toHaveLength(7);
    expect(path.resolve(dir, links[0])).toBe(path.join(import.meta.dirname, 'fixtures', 'traces', 'cell-0-seed-17.jsonl'));
    expect(html).not.toMatch(/<script|<link|src="http/);
    expect(fs.readdirSync(path.join(dir, 'svg')).sort()).toEqual([
      'loss-vs-unavailability.svg',
      'produce-latency-p99.svg',
      'records-lost.svg',
      'unavailability-p99.svg',
    ]);
    expect(fs.readdirSync(dir).filter((f) => f.endsWith('.tmp'))).toEqual([]);
  });

  it('refuses a missing, foreign or newer result with one line', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'ksim-report-'));
    expect(() => loadSweepResult(path.join(dir, 'nope.json'), MODELS)).toThrow(UserError);
    expect(() => loadSweepResult(dir, MODELS)).toThrow(/no sweep\.json in this directory/);
    fs.writeFileSync(path.join(dir, 'a.json'), '{"name":"x"}');
    expect(() => loadSweepResult(path.join(dir, 'a.json'), MODELS)).toThrow(/not a ksim sweep result/);
    const newer = { ...JSON.parse(fs.readFileSync(FIXTURE, 'utf8')), version: 99 };
    fs.writeFileSync(path.join(dir, 'sweep.json'), JSON.stringify(newer));
    expect(() => loadSweepResult(dir, MODELS)).toThrow(/version 99 is newer/);
    const broken = JSON.parse(fs.readFileSync(FIXTURE, 'utf8'));
    delete broken.cells[2].figures.unavailabilityMsP99;
    fs.writeFileSync(path.join(dir, 'sweep.json'), JSON.stringify(broken));
    expect(() => loadSweepResult(dir, MODELS)).toThrow(/"cells\.2\.figures\.unavailabilityMsP99"/);
  });

  it('still loads and renders every committed study', async () => {
    const studies = path.join(import.meta.dirname, '..', 'studies');
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'ksim-report-'));
    const io = { out: () => {}, err: () => {} };
    for (const study of fs.readdirSync(studies)) {
      expect(await reportCommand(path.join(studies, study), { output: path.join(dir, `${study}.html`) }, io), study).toBe(0);
      expect(fs.readFileSync(path.join(dir, `${study}.html`), 'utf8')).toContain('Loss, availability and latency per configuration');
    }
  });
});
