// `ksim check` in-process: a correct model passes and prints coverage; a broken one yields a saved,
// replayable, shrunk counterexample and both reproduce commands; bad flags are user errors.
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { describe, expect, it } from 'vitest';
import { MODELS } from '../../models/index.ts';
import { replayTrace } from '../trace/replay.ts';
import { checkCommand } from './check-command.ts';
import type { CliIo } from './cli-io.ts';

function capture(): CliIo & { stdout: string; stderr: string } {
  const io = { stdout: '', stderr: '', out: (t: string) => void (io.stdout += t), err: (t: string) => void (io.stderr += t) };
  return io;
}

describe('ksim check', () => {
  it('passes a correct model and reports coverage', async () => {
    const io = capture();
    const code = await checkCommand({ scenario: 'heartbeat-az-outage', runs: '10', seed: '5', set: ['durationMs=5000'] }, io);
    expect(code).toBe(0);
    expect(io.stdout).toMatch(/10 runs .*\n {2}every run passed/);
    expect(io.stdout).toMatch(/coverage/);
  });

  it('finds, shrinks and saves a counterexample that replays, with both reproduce commands', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'ksim-check-'));
    const io = capture();
    const args = { scenario: 'heartbeat-az-outage', runs: '50', seed: '5', tracesDir: dir, json: true };
    const code = await checkCommand({ ...args, set: ['durationMs=5000', 'heartbeat.bug=sticky-suspicion'] }, io);
    expect(code).toBe(1);
    const out = JSON.parse(io.stdout);
    expect(out.passed).toBe(false);
    expect(out.counterexample.faultCount).toBe(1);
    expect(out.counterexample.violations[0].property).toBe('eventual-trust');
    expect(fs.existsSync(out.tracePath)).toBe(true);
    expect(out.replayCommands[0]).toBe(`npx ksim replay ${out.tracePath}`);
    // the case's flags, and where it saves its counterexample
    expect(out.replayCommands[1]).toMatch(
      new RegExp(`^npx ksim check --scenario heartbeat-az-outage --set durationMs=5000 --set heartbeat\\.bug=sticky-suspicion --traces-dir ${dir} --seed 5 --path \\S+$`),
    );
    const replay = replayTrace(out.tracePath, MODELS);
    expect(replay.identical).toBe(true);
    expect(replay.report!.traceHash).toBe(out.counterexample.traceHash);

    // the (seed, path) pair gives the same counterexample again
    const again = capture();
    await checkCommand({ ...args, set: ['durationMs=5000', 'heartbeat.bug=sticky-suspicion'], path: out.path }, again);
    expect(JSON.parse(again.stdout).counterexample.traceHash).toBe(out.counterexample.traceHash);
  });

  it('names the saved trace after the property that decided the run (under --property, the one asked for), not the first violation', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'ksim-check-'));
    const io = capture();
    const code = await checkCommand({ scenario: 'check-small', runs: '50', seed: '1', set: ['acks=1'], property: ['inconsistent-offsets'], tracesDir: dir, workers: '1', json: true }, io);
    expect(code).toBe(1);
    const out = JSON.parse(io.stdout);
    const properties = (out.counterexample.violations as { property: string }[]).map((v) => v.property);
    expect(properties[0]).not.toBe('inconsistent-offsets'); // lost-write comes first: the decoy name
    expect(properties).toContain('inconsistent-offsets');
    expect(path.basename(out.tracePath)).toMatch(/^check-small-inconsistent-offsets-[0-9a-f]{16}-[0-9a-f]{8}\.jsonl$/);
  }, 120_000);

  it('rejects malformed flags as user errors', async () => {
    await expect(checkCommand({ runs: 'many' }, capture())).rejects.toThrow(/--runs "many"/);
    await expect(checkCommand({ path: '1:2' }, capture())).rejects.toThrow(/--path needs the --seed/);
  });
});
