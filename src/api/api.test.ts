// The library API as a user calls it (through index.ts, the package's entry): the same runs,
// verdicts and errors as the CLI, a counterexample with commands that replay it, arbitraries that
// stay inside the scenario, matchers that fail with the explanation, and the Jepsen round trip.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { MODELS } from '../../models/index.ts';
import { resolveScenario } from '../scenario/resolve-scenario.ts';
import { runResolved } from '../scenario/run-scenario.ts';
import * as ksim from './index.ts';

const SHORT = ksim.scenario('check-small').durationMs(4000).build();

describe('runScenario', () => {
  it('is the CLI engine: same trace hash as the resolved run, deterministic per seed', () => {
    const a = ksim.runScenario(SHORT, { seed: 5 });
    const b = ksim.runScenario(SHORT, { seed: 5 });
    expect(a.traceHash).toBe(b.traceHash);
    expect(a.traceHash).toBe(runResolved(resolveScenario(SHORT, MODELS, { seed: '5' })).traceHash);
    expect(ksim.runScenario(SHORT, { seed: 6 }).traceHash).not.toBe(a.traceHash);
    // a scenario object is named by the file it is saved as: its own name, or scenarioFile
    expect(a.runCommand).toBe('npx ksim run --scenario check-small.scenario.json --seed 5');
    expect(ksim.runScenario(SHORT, { seed: 5, scenarioFile: 'cases/short.json' }).runCommand).toBe('npx ksim run --scenario cases/short.json --seed 5');
    expect(ksim.runScenario('check-small', { seed: 5, settings: ['durationMs=4000'] }).runCommand).toBe('npx ksim run --scenario check-small --set durationMs=4000 --seed 5');
  });

  it('classifies and explains violations, and judges by --fail-on', () => {
    const run = ksim.runScenario('unclean-election');
    expect(run.verdict.failed).toBe(true);
    expect(run.verdict.decidedBy).toBe('lost-write');
    const lost = run.violations.find((v) => v.property === 'lost-write')!;
    expect(lost.verdictClass).toBe('configuration');
    expect(lost.message).toContain('unclean.leader.election.enable=true');
    expect(lost.partition).toBe('jepsen-0');
    expect(ksim.runScenario('unclean-election', { failOn: ['breach'] }).verdict.failed).toBe(false);
    expect(ksimMatch('toHold', run, 'lost-write').pass).toBe(false);
    expect(ksimMatch('toHold', run, 'lost-write').message()).toMatch(/^lost-write does not hold \(seed 1\): lost-write \(configuration\): /);
    expect(ksimMatch('toHold', run, 'two-leaders-in-epoch').pass).toBe(true);
    expect(ksimMatch('toViolate', run, 'lost-write').pass).toBe(true);
  });

  it('refuses a bad scenario with the CLI one-line error', () => {
    expect(() => ksim.scenario().set('acks', 'seven').build()).toThrow(ksim.UserError);
    expect(() => ksim.scenario().set('acks', 'seven').build()).toThrow('"config.acks": acks must be 0, 1, -1 or "all", got "seven"');
    expect(() => ksim.runScenario('no-such-preset')).toThrow(/^scenario "no-such-preset": no preset of that name; presets are msk-3az-outage/);
  });
});

function ksimMatch(name: 'toHold' | 'toViolate', run: ksim.RunResult, property: string) {
  return ksim.ksimMatchers[name](run, property);
}

describe('checkScenario', () => {
  it('finds the loss acks=1 permits, with the commands that replay it', () => {
    const result = ksim.checkScenario('check-small', { runs: 80, seed: 5, settings: ['acks=1', 'enable.idempotence=false', 'retries=0'] });
    expect(result.passed).toBe(false);
    const cx = result.counterexample!;
    expect(cx.run.verdict.decidedBy).toBe('lost-write');
    expect(cx.replayCommands[0]).toBe(
      `npx ksim check --scenario check-small --set acks=1 --set enable.idempotence=false --set retries=0 --seed 5 --path ${result.path}`,
    );
    // the case replays through the API as through the CLI
    const again = ksim.checkScenario('check-small', { seed: 5, path: result.path!, settings: ['acks=1', 'enable.idempotence=false', 'retries=0'] });
    expect(again.counterexample!.run.traceHash).toBe(cx.run.traceHash);
    expect(() => ksim.kafkaProperty('check-small', { runs: 80, seed: 5, settings: ['acks=1', 'enable.idempotence=false', 'retries=0'] })()).toThrow(
      /^ksim found a failing run after \d+ runs \(\d+ shrinking\): lost-write \(configuration\)/,
    );
  });
});

describe('arbitraries', () => {
  it('generate fault schedules inside the scenario, composable with fast-check', () => {
    const names = new Set(['b1', 'b2', 'b3', 'c1', 'c2', 'c3', 'az-a', 'az-b', 'az-c', 'p1']);
    fc.assert(
      fc.property(ksim.kafkaFaults('check-small', { faultsMax: 3 }), ksim.kafkaConfigs('check-small'), (faults, configs) => {
        expect(faults.length).toBeLessThanOrEqual(3);
        // a node, or a role resolved when the fault fires ("@leader:orders-0"; resolve below refuses an unknown one)
        for (const f of faults) if ('node' in f && !f.node.startsWith('@')) expect(names).toContain(f.node);
        // every schedule and config is one the scenario validates
        expect(() => ksim.resolve('check-small', { settings: [...configs, `faults=${JSON.stringify(faults)}`] })).not.toThrow();
      }),
      { numRuns: 30, seed: 3 },
    );
    const [run] = fc.sample(ksim.kafkaRuns('check-small'), { numRuns: 1, seed: 4 });
    const result = ksim.runGenerated('check-small', run);
    expect(result.seed).toBe(run.runSeed);
  });

  it("runGenerated's runCommand, as a shell reads it, repeats the run (same trace hash)", () => {
    const [run] = fc.sample(ksim.kafkaRuns('check-small', { settings: ['durationMs=4000'] }), { numRuns: 1, seed: 9 });
    const result = ksim.runGenerated('check-small', run, { settings: ['durationMs=4000'] });
    // POSIX words: unquoted, or single-quoted with '\'' for a quote
    const words = [...result.runCommand.matchAll(/(?:'((?:[^']|'\\'')*)'|(\S+))/g)].map((m) => (m[1] !== undefined ? m[1].replace(/'\\''/g, "'") : m[2]));
    expect(words.slice(0, 5)).toEqual(['npx', 'ksim', 'run', '--scenario', 'check-small']);
    const settings = words.flatMap((w, i) => (words[i - 1] === '--set' ? [w] : []));
    expect(settings.some((s) => s.startsWith('faults='))).toBe(true);
    const again = ksim.runScenario('check-small', { settings, seed: words[words.indexOf('--seed') + 1] });
    expect(again.traceHash).toBe(result.traceHash);
  });
});

describe('Jepsen histories', () => {
  it('exports a run that checks clean, and checks a history with a skip', () => {
    const edn = ksim.exportHistory(SHORT, { seed: 2 });
    expect(edn.split('\n')[0]).toMatch(/^\{:type :invoke :f :send :process 0 :index 0 /);
    const clean = ksim.checkHistory(edn);
    expect(clean.failed).toBe(false);
    const skip = ksim.checkHistory(
      '{:type :ok, :f :send, :process 0, :index 0, :time 1, :value [[:send 0 [0 1]] [:send 0 [1 2]] [:send 0 [2 3]]]}\n' +
        '{:type :ok, :f :poll, :process 1, :index 1, :time 2, :value [[:poll {0 [[0 1]]}]]}\n' +
        '{:type :ok, :f :poll, :process 1, :index 2, :time 3, :value [[:poll {0 [[2 3]]}]]}\n',
    );
    expect(skip.failed).toBe(true);
    expect(skip.types).toEqual(['lost-write', 'poll-skip', 'unseen']);
  });
});
