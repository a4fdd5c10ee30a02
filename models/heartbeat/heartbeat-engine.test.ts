// The heartbeat fixture swept and drawn through the CLI, as a user would: the engine tabulates and
// charts the figures the model names (no Kafka column anywhere), and draws its events on the
// timeline with the model's marks.
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import type { CliIo } from '../../src/cli/cli-io.ts';
import { main } from '../../src/cli/main.ts';

const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'ksim-heartbeat-'));
afterAll(() => fs.rmSync(tmp, { recursive: true, force: true }));

async function ksim(...argv: string[]): Promise<{ code: number; out: string; err: string }> {
  let out = '';
  let err = '';
  const io: CliIo = { out: (t) => void (out += t), err: (t) => void (err += t), isTty: () => false };
  const code = await main(argv, io);
  return { code, out, err };
}

describe('heartbeat fixture through the engine', () => {
  it('ksim sweep tabulates its own figures, and ksim report charts them', async () => {
    const dir = path.join(tmp, 'sweep');
    const swept = await ksim('sweep', '--scenario', 'heartbeat-az-outage', '--grid', 'heartbeat.intervalMs=100,200', '--seeds', '3', '--workers', '1', '--out', dir);
    expect(swept.code).toBe(0);
    expect(swept.out).toMatch(/^\| heartbeat\.intervalMs \| runs \| failed \(--fail-on breach,configuration\) \| runs violated \| suspicions mean \| suspicions max \| recoveries mean \| heartbeats mean \|$/m);
    expect(swept.out).toMatch(/worst runs \(most suspicions\):\n {2}heartbeat\.intervalMs=100: seed \d suspected \d+/);
    expect(swept.out).not.toMatch(/lost|records|latency/);
    const result = JSON.parse(fs.readFileSync(path.join(dir, 'sweep.json'), 'utf8'));
    expect(result.cells).toHaveLength(2);
    expect(Object.keys(result.cells[0].figures)).toEqual(['runs', 'runsViolated', 'suspicionsMean', 'suspicionsMax', 'recoveriesMean', 'heartbeatsReceivedMean']);
    expect(result.cells[0].worst.suspicions).toBeGreaterThan(0);
    // Twice the interval, about half the heartbeats.
    expect(result.cells[1].figures.heartbeatsReceivedMean).toBeLessThan(result.cells[0].figures.heartbeatsReceivedMean * 0.6);

    const reported = await ksim('report', dir, '-o', path.join(tmp, 'report.html'), '--svg-dir', path.join(tmp, 'svg'));
    expect(reported.code).toBe(0);
    expect(fs.readdirSync(path.join(tmp, 'svg')).sort()).toEqual(['suspicions-vs-recoveries.svg', 'suspicions.svg']);
    const html = fs.readFileSync(path.join(tmp, 'report.html'), 'utf8');
    expect(html).toContain('<h2>Suspicions and recoveries per configuration</h2>');
    expect(html).toMatch(/<th class="grid" title="grid key heartbeat\.intervalMs">interval<\/th>/);
  });

  it('ksim timeline draws its boots, suspicions and recoveries', async () => {
    const trace = path.join(tmp, 'run.jsonl');
    expect((await ksim('run', '--scenario', 'heartbeat-az-outage', '--trace', trace)).code).toBe(0);
    const page = path.join(tmp, 'run.html');
    expect((await ksim('timeline', trace, '-o', page)).code).toBe(0);
    const html = fs.readFileSync(page, 'utf8');
    const data = JSON.parse(/<script type="application\/json" id="timeline-data">(.*?)<\/script>/s.exec(html)![1]);
    expect(data.lanes.map((l: { role: string }) => l.role)).toEqual(['node', 'node', 'node', 'node', 'node']);
    expect(data.activityTotals.suspect).toBeGreaterThan(0);
    expect(data.activityTotals.trust).toBe(data.activityTotals.suspect);
    expect(data.marks.some((m: unknown[]) => m[2] === 'suspect' && /n\d suspects n\d/.test(m[3] as string))).toBe(true);
    expect(data.bands).toEqual([]);
    expect(html).toContain('red crosses: a node suspects a peer');
    expect(html.replace(/<script[\s\S]*?<\/script>/g, '')).not.toMatch(/ISR|broker|elections/);
  });
});
