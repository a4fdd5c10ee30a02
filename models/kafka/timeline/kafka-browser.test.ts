// The Kafka sweep report and a Kafka run's timeline in headless Chromium (see
// src/report/testing/headless-chromium.ts): they open offline without console errors, and show what
// they claim: a chart mark per cell, a table row per cell with its worst trace link, a lane per node
// grouped by AZ, fault bands where the faults were, an element per violating record with its
// explanation, elections and truncations on the partition's row.
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { reportCommand } from '../../../src/cli/report-command.ts';
import { timelineCommand } from '../../../src/cli/timeline-command.ts';
import { browserSkipReason, launchChromium, openOffline } from '../../../src/report/testing/headless-chromium.ts';
import { resolveScenario } from '../../../src/scenario/resolve-scenario.ts';
import { recordTrace } from '../../../src/trace/trace-writer.ts';
import { MODELS, SCENARIO_PRESETS } from '../../index.ts';

/** The browser globals the functions run inside the page use (the tsconfig has no DOM lib). */
type PageGlobals = { document: { getElementById(id: string): { textContent: string; dataset: Record<string, string> } } };

const FIXTURE = path.join(import.meta.dirname, '..', 'sweep', 'fixtures', 'sample-sweep.json');
const quietIo = { out: () => {}, err: () => {} };

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
  it('shows a row per cell with its worst trace, and a mark per cell on every chart', async () => {
    const html = path.join(dir, 'report.html');
    expect(await reportCommand(FIXTURE, { output: html }, quietIo)).toBe(0);
    const { page, problems } = await openOffline(browser, html);
    const cells = JSON.parse(fs.readFileSync(FIXTURE, 'utf8')).cells as { worst: { tracePath: string | null; runCommand: string } }[];

    expect(await page.locator('#cells tr.cell-row').count()).toBe(cells.length);
    for (let i = 0; i < cells.length; i++) {
      const worst = page.locator(`#cells tr.worst-row[data-cell="${i + 1}"]`);
      expect(await worst.locator('.run-command').textContent()).toBe(cells[i].worst.runCommand);
      const link = worst.locator('a.trace-link');
      if (cells[i].worst.tracePath === null) expect(await link.count()).toBe(0);
      else {
        const href = await link.getAttribute('href');
        expect(path.resolve(dir, href!)).toBe(path.resolve(path.dirname(FIXTURE), cells[i].worst.tracePath!));
        expect(await worst.locator('.replay-command').textContent()).toBe(`npx ksim replay ${href}`);
      }
    }
    for (const chart of ['records-lost', 'unavailability-p99', 'produce-latency-p99']) {
      const bars = page.locator(`figure[data-chart="${chart}"] svg [aria-roledescription="bar"]`);
      expect(await bars.count(), chart).toBe(cells.length);
      // Bars are drawn: each has a non-empty box (cell #8 lost nothing, so its loss bar is empty).
      const widths = await bars.evaluateAll((els) => els.map((e) => (e as unknown as { getBBox(): { height: number } }).getBBox().height));
      expect(widths.every((h) => h > 0)).toBe(true);
    }
    expect(await page.locator('figure[data-chart="loss-vs-unavailability"] svg [aria-roledescription="point"]').count()).toBe(cells.length);
    expect(problems).toEqual([]);
  });
});

describe.skipIf(SKIP)('timeline in Chromium', () => {
  // acks=1 and an unclean election after the leader crashed: acknowledged records are lost.
  const trace = () => path.join(dir, 'unclean.jsonl');
  const page = () => path.join(dir, 'unclean.html');

  beforeAll(() => {
    const res = resolveScenario(SCENARIO_PRESETS['unclean-election'], MODELS, { settings: ['durationMs=40000'] });
    const { report } = recordTrace(res, trace());
    expect(report.violations.some((v) => v.property === 'lost-write')).toBe(true);
    expect(timelineCommand(trace(), { output: page() }, quietIo)).toBe(0);
  });

  it('has a lane per node grouped by AZ, and fault bands at the faults\' times over the nodes they held', async () => {
    const { page: p, problems } = await openOffline(browser, page());
    await p.waitForSelector('body[data-ready="true"]');
    const header = JSON.parse(fs.readFileSync(trace(), 'utf8').split('\n', 1)[0]) as { nodes: { name: string; az: string }[] };
    const lanes = await p.locator('#timeline g.lane').evaluateAll((els) => els.map((e) => ({ node: e.getAttribute('data-node'), az: e.getAttribute('data-az') })));
    expect(lanes.map((l) => l.node).sort()).toEqual(header.nodes.map((n) => n.name).sort());
    for (const l of lanes) expect(l.az).toBe(header.nodes.find((n) => n.name === l.node)!.az);
    // Grouped: each AZ's lanes come together, under its header.
    const azOrder = lanes.map((l) => l.az).filter((az, i, all) => i === 0 || all[i - 1] !== az);
    expect(new Set(azOrder).size).toBe(azOrder.length);
    expect(await p.locator('#timeline g.az-header').count()).toBe(azOrder.length);

    // The scenario isolates b2 and b3 from 5 s to 25 s and crashes b1 from 15 s to 35 s.
    const geometry = await p.locator('#timeline').evaluate((svg) => ({ ...(svg as unknown as { dataset: Record<string, string> }).dataset }));
    const xOf = (us: number) => Number(geometry.plotLeft) + ((us - Number(geometry.t0)) / (Number(geometry.t1) - Number(geometry.t0))) * Number(geometry.plotWidth);
    const bands = await p.locator('#timeline rect.fault-band').evaluateAll((els) =>
      els.map((e) => ({ lane: Number(e.getAttribute('data-lane')), start: Number(e.getAttribute('data-start-us')), end: Number(e.getAttribute('data-end-us')), x: Number(e.getAttribute('x')), width: Number(e.getAttribute('width')) })),
    );
    const laneName: string[] = await p.evaluate(() => JSON.parse((globalThis as unknown as PageGlobals).document.getElementById('timeline-data').textContent).lanes.map((l: { name: string }) => l.name));
    const bandsOf = (node: string) => bands.filter((b) => laneName[b.lane] === node);
    for (const node of ['b2', 'b3']) {
      expect(bandsOf(node).map((b) => [b.start, b.end])).toEqual([[5_000_000, 25_000_000]]);
      expect(bandsOf(node)[0].x).toBeCloseTo(xOf(5_000_000), 1);
      expect(bandsOf(node)[0].x + bandsOf(node)[0].width).toBeCloseTo(xOf(25_000_000), 1);
    }
    expect(bandsOf('b1').map((b) => [b.start, b.end])).toEqual([[15_000_000, 35_000_000]]);
    // b1's crash is also drawn as its time down.
    expect(await p.locator('#timeline g.lane[data-node="b1"] rect.outage').count()).toBe(1);
    expect(problems).toEqual([]);
  });

  it('highlights every violating record with its explanation, on the chart and in the list', async () => {
    const { page: p, problems } = await openOffline(browser, page());
    await p.waitForSelector('body[data-ready="true"]');
    const items = p.locator('.violation[data-property="lost-write"] li.violating-record');
    const count = await items.count();
    expect(count).toBeGreaterThan(0);
    for (let i = 0; i < count; i++) {
      const item = items.nth(i);
      const record = await item.getAttribute('data-record');
      const text = (await item.locator('.explanation').textContent())!;
      expect(text).toMatch(/lost-write, permitted/);
      expect(text).toContain(`ack r${record} `);
      expect(text).toMatch(/truncated/);
      // Marked on the chart: its send and ack on p1, its append and truncation on b1.
      expect(await p.locator(`#timeline .record-mark[data-record="${record}"]`).count()).toBeGreaterThanOrEqual(3);
    }
    // The records came from replaying the run (the footer keeps only messages).
    expect(await p.locator('body').textContent()).toContain('records from replaying the run (identical trace hash)');
    // The violation's own explanation, in Kafka terms, is shown too.
    expect(await p.locator('.violation[data-property="lost-write"] .message').textContent()).toMatch(/unclean election/);

    // Clicking one of a record's events zooms to it, where individual events replace the aggregates.
    await items.first().locator('a.event-link').first().click();
    await p.waitForFunction(() => (globalThis as unknown as PageGlobals).document.getElementById('timeline').dataset.mode === 'events');
    expect(await p.locator('#timeline line.event').count()).toBeGreaterThan(0);
    // An election and a truncation are marked on the partition's row.
    await p.dblclick('#timeline');
    expect(await p.locator('#timeline .mark-election.on-band').count()).toBeGreaterThan(0);
    expect(await p.locator('#timeline .mark-truncate.on-band').count()).toBe(1);
    expect(await p.locator('#timeline g.band[data-band="jepsen-0"] .leader-segment').count()).toBeGreaterThan(1);
    expect(problems).toEqual([]);
  });
});
