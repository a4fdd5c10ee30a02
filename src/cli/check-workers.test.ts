// `ksim check --workers N`: the same seed gives the same output for 1 and 2 worker threads (the
// printed summary and the JSON, wall time and rate aside; the counterexample's trace and its
// hash; the exit code), on a run set that passes (Kafka's check-small) and on one that fails late
// (the heartbeat model's sticky-suspicion bug with one fault a run: seed 4's first 13 runs pass,
// its 14th fails, and shrinking takes 48 attempts). Bad --workers values are one-line user errors.
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import type { CliIo } from './cli-io.ts';
import { main } from './main.ts';

const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'ksim-check-workers-'));
afterAll(() => fs.rmSync(tmp, { recursive: true, force: true }));

async function ksim(argv: string[]): Promise<{ code: number; out: string; err: string }> {
  let out = '';
  let err = '';
  const io: CliIo = { out: (t) => void (out += t), err: (t) => void (err += t), isTty: () => false };
  const code = await main(argv, io);
  return { code, out, err };
}

/** The report without its wall time and rate, the only figures that depend on the thread count. */
function untimed(text: string): string {
  return text.replace(/ in [\d.]+ s wall \([\d.]+ runs\/s\)/, ' in (wall) (rate)');
}

/** Runs the check with 1 and with 2 threads, as text and as JSON; returns the outputs, which must agree. */
async function bothWays(argv: string[], traces: string): Promise<{ code: number; text: string; json: Record<string, unknown> }> {
  const seen: { code: number; text: string; json: Record<string, unknown> }[] = [];
  for (const workers of ['1', '2']) {
    const args = [...argv, '--workers', workers, '--traces-dir', path.join(traces, `w${workers}`)];
    const text = await ksim(args);
    const json = await ksim([...args, '--json']);
    expect(json.code, json.err).toBe(text.code);
    const parsed = JSON.parse(json.out) as Record<string, unknown>;
    expect(parsed.runsPerSec).toBeGreaterThan(0);
    expect(parsed.cpuMs).toBeGreaterThan(0);
    // the CPU by kind of thread (Linux's /proc): the worker threads' share is never empty (their start-up alone)
    if (process.platform === 'linux') expect((parsed.cpuMsByThread as { workers: number }).workers).toBeGreaterThan(0);
    delete parsed.wallMs;
    delete parsed.cpuMs;
    delete parsed.cpuMsByThread;
    delete parsed.runsPerSec;
    seen.push({ code: text.code, text: untimed(text.out), json: parsed });
  }
  // the traces are saved under each run's own --traces-dir: compare them by name, without the dir
  const [one, two] = seen.map((s) => ({
    ...s,
    text: s.text.replaceAll(path.join(traces, 'w1'), 'DIR').replaceAll(path.join(traces, 'w2'), 'DIR'),
    json: JSON.parse(JSON.stringify(s.json).replaceAll(path.join(traces, 'w1'), 'DIR').replaceAll(path.join(traces, 'w2'), 'DIR')),
  }));
  expect(two.code).toBe(one.code);
  expect(two.text).toBe(one.text);
  // as text, not toEqual, which ignores the order of keys
  expect(JSON.stringify(two.json)).toBe(JSON.stringify(one.json));
  return one;
}

describe('ksim check --workers', () => {
  it('a passing run set: the same summary and JSON for 1 and 2 threads', async () => {
    const r = await bothWays(['check', '--scenario', 'check-small', '--runs', '4', '--seed', '11'], path.join(tmp, 'pass'));
    expect(r.code).toBe(0);
    expect(r.json.runs).toBe(4);
    expect(r.json.passed).toBe(true);
    expect(r.text).toMatch(/^ksim check: preset check-small, seed 11\n {2}4 runs in \(wall\) \(rate\)\n {2}every run passed/);
  }, 300_000);

  it('a failing run set: the same lowest-numbered failing run, shrunk the same way, the same trace', async () => {
    const argv = ['check', '--scenario', 'heartbeat-az-outage', '--set', 'durationMs=5000', '--set', 'heartbeat.bug=sticky-suspicion', '--faults-max', '1', '--runs', '50', '--seed', '7'];
    const r = await bothWays(argv, path.join(tmp, 'fail'));
    expect(r.code).toBe(1);
    // seed 7 fails first at run 9: runs after it, already given out to threads, must be dropped
    expect(r.json.runs).toBe(9);
    // fast-check's 20 shrink runs, then 2 absolute-time steps (absolute-shrink-arbitrary.ts) that pass
    expect(r.json.shrinkRuns).toBe(22);
    expect(r.json.path).toBe('8:0:0:0:1:0:0:1:0:0:0:2:2');
    const cx = r.json.counterexample as { traceHash: string; faultCount: number };
    expect(cx.faultCount).toBe(1);
    // each thread count saved the same trace file, named by its hash
    const w1 = fs.readdirSync(path.join(tmp, 'fail', 'w1'));
    expect(w1).toHaveLength(1);
    expect(w1[0]).toMatch(new RegExp(`^heartbeat-az-outage-eventual-trust-${cx.traceHash}-[0-9a-f]{8}\\.jsonl$`));
    expect(fs.readFileSync(path.join(tmp, 'fail', 'w2', w1[0]), 'utf8')).toBe(fs.readFileSync(path.join(tmp, 'fail', 'w1', w1[0]), 'utf8'));
    expect(r.text).toMatch(/\n {2}COUNTEREXAMPLE after 9 runs, shrunk to 1 fault:\n/);
  }, 300_000);

  it.each(['0', 'many', '2.5', '-1', String(os.availableParallelism() * 4 + 1)])('rejects --workers %s as a one-line user error (exit 2)', async (value) => {
    const r = await ksim(['check', '--scenario', 'heartbeat-az-outage', '--runs', '1', '--workers', value]);
    expect(r.code).toBe(2);
    expect(r.out).toBe('');
    const max = os.availableParallelism() * 4;
    expect(r.err).toBe(`ksim: --workers ${JSON.stringify(value)}: expected an integer from 1 to ${max} (4 per core: each loads its own copy of ksim)\n`);
  });
});
