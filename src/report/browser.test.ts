// The HTML report and the timeline in headless Chromium (see testing/headless-chromium.ts), on the
// ping fixture: they open offline without console errors, and show what they claim: a row and a
// chart mark per cell, a lane per node grouped by AZ, fault bands where the faults were over the
// nodes they held, a node's time down, the model's band rows and marks, and every violation.
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { resolveScenario } from '../scenario/resolve-scenario.ts';
import { MODELS, PING_SCENARIO } from '../scenario/testing/fixture-registry.ts';
import { readTraceFile, TraceReader } from '../trace/trace-reader.ts';
import { recordTrace } from '../trace/trace-writer.ts';
import { renderSweepCharts } from './sweep-charts.ts';
import { renderSweepReportHtml } from './sweep-report-html.ts';
import { browserSkipReason, launchChromium, openOffline } from './testing/headless-chromium.ts';
import { pingSweepResult } from './testing/ping-sweep-result.ts';
import { aggregateTrace } from './timeline-aggregator.ts';
import { renderTimelineHtml } from './timeline-html.ts';
import { violationsOfTrace } from './violation-records.ts';

let browser: Browser;
let dir: string;

const SKIP = browserSkipReason() !== null;

beforeAll(async () => {
  if (SKIP) return;
  browser = await launchChromium();
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'ksim-browser-'));
});

afterAll(async () => {
  await browser?.close();
  if (dir) fs.rmSync(dir, { recursive: true, force: true });
});

describe.skipIf(SKIP)('sweep report in Chromium', () => {
  it('shows a row per cell with its worst run, and a mark per cell on every chart', async () => {
    const result = pingSweepResult();
    const sweep = MODELS[0].sweep!;
    const file = path.join(dir, 'report.html');
    const charts = await renderSweepCharts(result, sweep);
    fs.writeFileSync(file, renderSweepReportHtml({ result, sweep, charts, resultPath: 'sweep.json', traceHref: (c) => c.worst.tracePath }));
    const { page, problems } = await openOffline(browser, file);
    expect(await page.locator('#cells tr.cell-row').count()).toBe(4);
    for (let i = 0; i < 4; i++)
      expect(await page.locator(`#cells tr.worst-row[data-cell="${i + 1}"] .run-command`).textContent()).toBe(result.cells[i].worst.runCommand);
    expect(await page.locator('figure[data-chart="lost"] svg [aria-roledescription="bar"]').count()).toBe(4);
    expect(await page.locator('figure[data-chart="lost-vs-found"] svg [aria-roledescription="point"]').count()).toBe(4);
    expect(problems).toEqual([]);
  });
});

describe.skipIf(SKIP)('timeline in Chromium', () => {
  // n2 is isolated from 1 s to 2.5 s and n3 crashes from 3 s to 4 s; peers never forgive, so
  // the nodes still count their peers lost at the end: all-found violations.
  const trace = () => path.join(dir, 'ping.jsonl');
  const page = () => path.join(dir, 'ping.html');

  beforeAll(() => {
    const raw = { ...PING_SCENARIO, faults: [...(PING_SCENARIO.faults as object[]), { atMs: 3000, kind: 'crash', node: 'n3', durationMs: 1000 }] };
    const { report } = recordTrace(resolveScenario(raw, MODELS, { settings: ['ping.bug="never-forgive"'] }), trace());
    expect(report.violations.length).toBeGreaterThan(0);
    const { header, footer } = readTraceFile(trace());
    const found = violationsOfTrace(header, footer, MODELS, { replay: true });
    const reader = TraceReader.open(trace());
    const data = aggregateTrace(reader, { violations: found.violations, violationsNote: found.note, timeline: MODELS[0].timeline });
    reader.close();
    fs.writeFileSync(page(), renderTimelineHtml(data));
  });

  it("has a lane per node by AZ, fault bands over the nodes they held, a node's time down, and the model's bands and marks", async () => {
    const { page: p, problems } = await openOffline(browser, page());
    await p.waitForSelector('body[data-ready="true"]');
    const lanes = await p.locator('#timeline g.lane').evaluateAll((els) => els.map((e) => [e.getAttribute('data-node'), e.getAttribute('data-az'), e.getAttribute('data-role')]));
    expect(lanes).toEqual([['n1', 'az1', 'pinger'], ['n2', 'az2', 'pinger'], ['n3', 'az3', 'pinger']]);
    expect(await p.locator('#timeline g.az-header').count()).toBe(3);
    const bands = await p.locator('#timeline rect.fault-band').evaluateAll((els) => els.map((e) => [e.getAttribute('data-lane'), e.getAttribute('data-start-us'), e.getAttribute('data-end-us')]));
    expect(bands).toEqual([['1', '1000000', '2500000'], ['2', '3000000', '4000000']]);
    expect(await p.locator('#timeline g.lane[data-node="n3"] rect.outage').count()).toBe(1);
    expect(await p.locator('#timeline g.band[data-band="n1 view"] .leader-segment').count()).toBeGreaterThan(0);
    expect(await p.locator('#timeline .mark-lost.on-band').count()).toBeGreaterThan(0);
    expect(await p.locator('#legend').textContent()).toContain('peers lost');
    expect(problems).toEqual([]);
  });

  it('lists every violation, from replaying the run', async () => {
    const { page: p, problems } = await openOffline(browser, page());
    await p.waitForSelector('body[data-ready="true"]');
    const { footer } = readTraceFile(trace());
    expect(await p.locator('.violation[data-property="all-found"]').count()).toBe(footer.summary.violations.length);
    expect(await p.locator('body').textContent()).toContain('records from replaying the run (identical trace hash)');
    expect(await p.locator('.note').first().textContent()).toContain('red crosses: peers lost; red diamonds');
    expect(problems).toEqual([]);
  });
});
