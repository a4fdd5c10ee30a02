// One verdict rule for every command: for a run of each class of violation (a breach, one permitted
// by the configuration, by the simulated version, by the fault load), `ksim check` (replaying the
// case at its seed and path), `ksim run` (the same case as --set pairs) and `ksim replay` (the trace
// check saved) give the same pass/fail under every --fail-on, and say which violation decided it.
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SCENARIO_PRESETS } from '../models/index.ts';
import { main } from '../src/cli/main.ts';

interface Result {
  code: number;
  stdout: string;
}

async function ksim(...argv: string[]): Promise<Result> {
  let stdout = '';
  let stderr = '';
  const code = await main(argv, { out: (t) => void (stdout += t), err: (t) => void (stderr += t) });
  if (code > 1) throw new Error(`ksim ${argv.join(' ')} exited ${code}: ${stderr}`);
  return { code, stdout };
}

const SMALL = SCENARIO_PRESETS['check-small'] as Record<string, unknown>;

/** How each class of violation is made: a scenario, settings, and the class that alone fails the search. */
const CLASSES = [
  { cls: 'breach', scenario: SMALL, settings: ['bugs=["ack-before-isr"]', 'durationMs=5000'], seed: 1 },
  // Seed 1 since swarm testing of faults (issue 14): seed 2 drew no acks=1 loss in its first 200 runs.
  { cls: 'configuration', scenario: SMALL, settings: ['acks=1', 'enable.idempotence=false', 'retries=0', 'durationMs=10000'], seed: 1 },
  { cls: 'version', scenario: SMALL, settings: ['era=hw-truncation', 'zookeeper.session.timeout.ms=6000', 'durationMs=20000'], seed: 2 },
  // Every broker in one AZ: an AZ outage burns every in-sync copy (flushing off). Seed 2 since the
  // ISR drain composite: at seed 1 the first failing run also lost records to KIP-966's last
  // replica standing, a version finding, which decides the verdict under --fail-on all.
  { cls: 'fault-load', scenario: { ...SMALL, cluster: { brokers: 3, controllers: 1, azs: ['use1-az1'] } }, settings: ['durationMs=10000'], seed: 2 },
] as const;

const FAIL_ON = ['breach,configuration', 'all', 'none'];

let dir: string;
beforeAll(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'ksim-verdict-'));
});
afterAll(() => {
  fs.rmSync(dir, { recursive: true, force: true });
});

describe('one verdict rule for run, check and replay', () => {
  for (const c of CLASSES) {
    it(`a run with violations ${c.cls === 'breach' ? 'that are breaches' : `permitted by the ${c.cls.replace('-', ' ')}`}`, async () => {
      const scenario = path.join(dir, `${c.cls}.scenario.json`);
      fs.writeFileSync(scenario, JSON.stringify(c.scenario));
      const base = ['--scenario', scenario, ...c.settings.flatMap((s) => ['--set', s])];
      const traces = path.join(dir, c.cls);
      // Find a run of the class: only it fails the search.
      const found = await ksim('check', ...base, '--runs', '80', '--seed', String(c.seed), '--fail-on', c.cls, '--traces-dir', traces, '--json');
      expect(found.code).toBe(1);
      const out = JSON.parse(found.stdout);
      const cx = out.counterexample;
      expect(cx.verdict.decidedBy.class).toBe(c.cls);
      const runArgs = [...base, ...cx.settings.flatMap((s: string) => ['--set', s]), '--set', `faults=${JSON.stringify(cx.faults)}`, ...(cx.operations.length > 0 ? ['--set', `operations=${JSON.stringify(cx.operations)}`] : []), '--seed', cx.runSeed];

      for (const failOn of [...FAIL_ON, c.cls]) {
        const fails = failOn === 'all' || failOn.split(',').includes(c.cls);
        const checked = await ksim('check', ...base, '--seed', String(out.seed), '--path', out.path, '--fail-on', failOn, '--traces-dir', traces);
        const trace = path.join(dir, `${c.cls}-${failOn.replace(/,/g, '+')}.jsonl`);
        const ran = await ksim('run', ...runArgs, '--fail-on', failOn, '--trace', trace);
        const replayed = await ksim('replay', trace, '--fail-on', failOn);
        const savedReplay = await ksim('replay', out.tracePath, '--fail-on', failOn);
        expect([checked.code, ran.code, replayed.code, savedReplay.code], `--fail-on ${failOn}`).toEqual(fails ? [1, 1, 1, 1] : [0, 0, 0, 0]);
        expect(ran.stdout).toContain(`trace hash ${cx.traceHash}`);
        const phrase = c.cls === 'breach' ? 'breach' : `permitted by the ${c.cls === 'fault-load' ? 'fault load' : c.cls === 'version' ? 'simulated version' : 'configuration'}`;
        if (fails) {
          for (const r of [ran, replayed]) expect(r.stdout).toMatch(new RegExp(`verdict: FAILED, decided by [a-z-]+ of \\S+ \\(${phrase}\\) under --fail-on`));
          expect(checked.stdout).toMatch(/COUNTEREXAMPLE/);
        } else {
          for (const r of [ran, replayed]) expect(r.stdout).toMatch(/verdict: passed under --fail-on .*do not fail a run \(see --fail-on\)/);
          expect(checked.stdout).not.toMatch(/every run passed/);
          expect(checked.stdout).toMatch(/no run failed under --fail-on .*, but violations were found that do not fail a run:/);
          const what = c.cls === 'breach' ? 'breaches' : c.cls === 'fault-load' ? 'violations permitted by the fault load alone' : `violations ${phrase}`;
          expect(checked.stdout).toContain(`1 run had ${what} (`);
        }
      }
    }, 120_000);
  }
});
