// The controller's failovers and lost majorities as the run summary names them
// (controller-failovers.ts): on hand-written changes, and on runs that isolate or crash the active
// controller (KRaft, ZooKeeper mode), with a decoy run whose faults leave the controller alone.
import { describe, expect, it } from 'vitest';
import type { ControllerChange } from '../kafka-events.ts';
import { readKafkaRunSummary } from '../checkers/run-summary-checker.ts';
import checkSmall from '../presets/check-small.scenario.json' with { type: 'json' };
import { runScenario } from '../testing/scenario-run.ts';
import { TestRun } from '../checkers/kafka-test-run.ts';
import { controllerFailovers } from './controller-failovers.ts';
import { describeKafkaRunSummary } from './run-summary-lines.ts';

const change = (timeMs: number, controller: string, kind: ControllerChange['change'], raft: Pick<ControllerChange, 'epoch' | 'deposedBy'> = {}): ControllerChange => ({
  timeUs: timeMs * 1000,
  controller,
  change: kind,
  ...raft,
});

/** The summary's controller line for these changes (the rest of the summary a quiet hand-built run's). */
function failoverLine(changes: ControllerChange[]): string | undefined {
  const quiet = new TestRun().election(0, 'initial', 'b1', 0, ['b1', 'b2', 'b3'], 0).becomeLeader(0, 'b1', 0).finish(100, undefined).summary;
  const { failovers } = controllerFailovers(changes);
  return describeKafkaRunSummary({ ...quiet, controllerFailovers: failovers }).find((l) => l.startsWith('controller failovers: '));
}

describe('controller failovers', () => {
  it('counts no controller able to commit from the first loss of the previous one to the next activation', () => {
    const { failovers, majorityLosses } = controllerFailovers([
      change(100, 'c1', 'active'),
      change(5200, 'c1', 'majority-lost'),
      change(8600, 'c1', 'lease-lost'),
      change(8600, 'c2', 'active'),
      change(20000, 'c2', 'majority-lost'),
      change(20500, 'c2', 'majority-back'),
    ]);
    expect(failovers).toEqual([{ atMs: 8600, from: 'c1', to: 'c2', leaderlessMs: 3400, leaderlessFromMs: 5200, fromEndedBy: 'lease-lost', fromEndedAtMs: 8600 }]);
    expect(majorityLosses).toEqual([
      { controller: 'c1', atMs: 5200, untilMs: 8600, endedBy: 'lease-lost' },
      { controller: 'c2', atMs: 20000, untilMs: 20500, endedBy: 'majority-back' },
    ]);
  });

  it('counts from a crash of the active controller; a majority lost then back before the crash is not the start', () => {
    const { failovers } = controllerFailovers([change(100, 'c1', 'active'), change(3000, 'c1', 'majority-lost'), change(3500, 'c1', 'majority-back'), change(5000, 'c1', 'down'), change(7000, 'c2', 'active')]);
    expect(failovers).toEqual([{ atMs: 7000, from: 'c1', to: 'c2', leaderlessMs: 2000, leaderlessFromMs: 5000, fromEndedBy: 'down', fromEndedAtMs: 5000 }]);
  });

  it("a takeover before the old controller's own tick noted its lease gone ends its lost majority there", () => {
    const { majorityLosses } = controllerFailovers([change(100, 'c1', 'active'), change(5200, 'c1', 'majority-lost'), change(8600, 'c2', 'active'), change(8700, 'c1', 'lease-lost')]);
    expect(majorityLosses).toEqual([{ controller: 'c1', atMs: 5200, untilMs: 8600, endedBy: 'replaced' }]);
  });

  it('the same controller active again is a new term: the line says what ended the last one (a voter\'s higher epoch, a check-quorum resignation, a restart, a lost lease), not "c1 -> c1"', () => {
    const deposed = [change(100, 'c1', 'active', { epoch: 1 }), change(25_505.514, 'c1', 'lease-lost', { epoch: 9, deposedBy: 'c2' }), change(26_558.254, 'c1', 'active', { epoch: 11 })];
    expect(controllerFailovers(deposed).failovers).toEqual([
      { atMs: 26_558.254, from: 'c1', to: 'c1', leaderlessMs: 1052.74, leaderlessFromMs: 25_505.514, epoch: 11, fromEndedBy: 'lease-lost', fromEndedAtMs: 25_505.514, deposedBy: 'c2', deposedEpoch: 9 },
    ]);
    expect(failoverLine(deposed)).toBe(
      "controller failovers: 26.558 s c1 again in epoch 11 (deposed at 25.506 s by c2's higher epoch 9, from elections c2 stood in while it did not hear from c1; no controller could commit for 1.1 s, from 25.506 s)",
    );
    const resigned = [change(100, 'c1', 'active', { epoch: 1 }), change(5000, 'c1', 'majority-lost', { epoch: 1 }), change(8000, 'c1', 'lease-lost', { epoch: 1 }), change(9500, 'c1', 'active', { epoch: 3 })];
    expect(failoverLine(resigned)).toBe(
      'controller failovers: 9.500 s c1 again in epoch 3 (resigned at 8.000 s with no majority of voters fetching from it (KAFKA-15489), then re-elected; no controller could commit for 4.5 s, from 5.000 s)',
    );
    expect(failoverLine([change(100, 'c1', 'active'), change(5000, 'c1', 'down'), change(7000, 'c1', 'active')])).toBe(
      'controller failovers: 7.000 s c1 again (re-elected after its process went down at 5.000 s; no controller could commit for 2.0 s, from 5.000 s)',
    );
    expect(failoverLine([change(100, 'c1', 'active'), change(5000, 'c1', 'lease-lost'), change(7000, 'c1', 'active')])).toBe(
      'controller failovers: 7.000 s c1 again (re-elected after losing its lease at 5.000 s; no controller could commit for 2.0 s, from 5.000 s)',
    );
    // Decoy: another controller taking over reads as before.
    expect(failoverLine([change(100, 'c1', 'active', { epoch: 1 }), change(5000, 'c1', 'lease-lost', { epoch: 4, deposedBy: 'c2' }), change(6000, 'c3', 'active', { epoch: 5 })])).toBe(
      'controller failovers: 6.000 s c1 -> c3 (no controller could commit for 1.0 s, from 5.000 s)',
    );
  });

  it('a majority still lost at the end says so', () => {
    const { majorityLosses } = controllerFailovers([change(100, 'c1', 'active'), change(9000, 'c1', 'majority-lost')]);
    expect(majorityLosses).toEqual([{ controller: 'c1', atMs: 9000, untilMs: null, endedBy: null }]);
  });
});

describe('the run summary names the controller failover', () => {
  const run = (faults: object[], settings: string[] = []) => {
    const { report } = runScenario({ ...structuredClone(checkSmall), faults, durationMs: 30000 }, settings);
    const summary = readKafkaRunSummary(report)!;
    return { summary, lines: describeKafkaRunSummary(summary) };
  };

  it('KRaft: the active controller isolated loses its majority, then its lease; another takes over', () => {
    const { summary, lines } = run([{ atMs: 5000, kind: 'isolate-node', node: '@active-controller', durationMs: 8000 }]);
    // From 3.7 the cut-off c1 resigns (check-quorum) and keeps raising its epoch; back at the heal,
    // its vote request makes the new leader resign too (no pre-vote before 4.0): a second failover.
    expect(summary.controllerFailovers!.length).toBeGreaterThanOrEqual(1);
    const f = summary.controllerFailovers![0];
    expect(f.from).toBe('c1');
    expect(f.to).not.toBe('c1');
    expect(f.leaderlessFromMs).toBeGreaterThanOrEqual(5000);
    expect(f.leaderlessMs).toBeCloseTo(f.atMs - f.leaderlessFromMs!, 3);
    expect(summary.controllerMajorityLosses?.[0]).toMatchObject({ controller: 'c1', endedBy: 'lease-lost' });
    expect(summary.controllerMajorityLosses![0].untilMs).toBeLessThanOrEqual(f.atMs);
    expect(lines.find((l) => l.startsWith('controller failovers: '))).toMatch(/^controller failovers: \d+\.\d{3} s c1 -> c\d \(no controller could commit for [\d.]+ s, from \d+\.\d{3} s\)(;|$)/);
  });

  it('ZooKeeper mode: the controller crashed, another elected', () => {
    const { summary } = run([{ atMs: 5000, kind: 'crash', node: '@active-controller', durationMs: 8000 }], ['preset=apache', 'kafkaVersion=3.6', 'metadataMode=zookeeper']);
    expect(summary.controllerFailovers).toEqual([expect.objectContaining({ from: 'c1', leaderlessFromMs: 5000 })]);
  });

  it('KRaft: a voter cut off comes back with a higher epoch and deposes the active controller, which wins the new election (seed 3): "c1 again", with the epochs', () => {
    const { summary, lines } = run([{ atMs: 5000, kind: 'isolate-node', node: 'c2', durationMs: 8000 }], ['seed=3']);
    expect(summary.controllerFailovers).toEqual([expect.objectContaining({ from: 'c1', to: 'c1', fromEndedBy: 'lease-lost', deposedBy: 'c2' })]);
    const f = summary.controllerFailovers![0];
    expect(f.epoch!).toBeGreaterThan(f.deposedEpoch!);
    expect(f.fromEndedAtMs).toBeGreaterThanOrEqual(13_000); // at the heal: c2's first vote request once back
    expect(lines.find((l) => l.startsWith('controller failovers: '))).toMatch(
      /^controller failovers: \d+\.\d{3} s c1 again in epoch \d+ \(deposed at 13\.\d{3} s by c2's higher epoch \d+, from elections c2 stood in while it did not hear from c1; no controller could commit for/,
    );
  });

  it('decoy: a broker isolated leaves the controller as it was: no such lines', () => {
    const { summary, lines } = run([{ atMs: 5000, kind: 'isolate-node', node: 'b2', durationMs: 8000 }]);
    expect(summary).not.toHaveProperty('controllerFailovers');
    expect(summary).not.toHaveProperty('controllerMajorityLosses');
    expect(lines.some((l) => l.startsWith('controller'))).toBe(false);
  });
});
