// ZooKeeper mode since KIP-380 (2.2): a broker restarted within its old session cannot register
// while the old /brokers/ids znode lives (KafkaZkClient's checked ephemeral create) and processes
// no request before it registers, so the controller's LeaderAndIsr for another broker's ISR change
// must not make the empty process lead. Found by `ksim check` on Kafka 3.4 with faults aimed at
// roles: the leader b1 lost its disk (instance store), came back at once, and the ISR shrink that
// removed b2 made it lead orders-0 again with an empty log, losing 125 acknowledged records.
import { describe, expect, it } from 'vitest';
import type { Fault } from '../../../src/faults/fault.ts';
import { resolveScenario } from '../../../src/scenario/resolve-scenario.ts';
import { runResolved } from '../../../src/scenario/run-scenario.ts';
import { MODELS, SCENARIO_PRESETS } from '../../index.ts';

const SETTINGS = [
  'kafkaVersion=3.4',
  'replica.lag.time.max.ms=30000',
  'replica.fetch.wait.max.ms=500',
  'max.in.flight.requests.per.connection=1',
  'request.timeout.ms=30000',
  'auto.leader.rebalance.enable=false',
];
const FAULTS: Fault[] = [
  { atMs: 2102, kind: 'disk-loss', node: 'b2', durationMs: 4463 },
  { atMs: 7278, kind: 'pause', node: 'p1', durationMs: 4722 },
  { atMs: 9610, kind: 'disk-loss', node: 'b1', durationMs: 2390 },
  { atMs: 10626, kind: 'isolate-az', az: 'use1-az4', durationMs: 233 },
];

describe('ZooKeeper mode with KIP-380: a restarted broker acts on nothing before it registers', () => {
  it('the leader that came back empty within its session does not lead again: nothing lost, no divergence', () => {
    const res = resolveScenario({ ...SCENARIO_PRESETS['check-small'], faults: FAULTS }, MODELS, { settings: SETTINGS, seed: '522868288' });
    expect(res.scenario.metadataMode).toBe('zookeeper');
    const report = runResolved(res);
    const props = report.violations.map((v) => v.property);
    expect(props).not.toContain('lost-write');
    expect(props).not.toContain('log-divergence');
    // b1 did lose its log and restart within its 18 s session
    expect(report.stats.kernel.faultsApplied['disk-loss']).toBe(2);
  });
});

// Kafka 2.1 (before KIP-380): `ksim check --scenario check-small --set preset=apache --set
// kafkaVersion=2.1 --fail-on breach,KIP-380 --seed 1` found b1 losing its disk for 1 ms inside the
// ISR of orders-1 and, 2.8 s later, the leader b3's controlled shutdown electing b1 (the controller
// still counted b1's old session live): ksim made the new process lead at once with its empty log.
// In Kafka its registration fails with NODEEXISTS until the old session expires (6 s): it can act
// on nothing before. Kafka 2.1 loses the records only if the new process re-creates its znode as the
// old one goes, before the controller reads the broker ids (KIP-380's race): then the LeaderAndIsr
// the controller queued for b1 at the election reaches the new process, which leads empty.
const BOUNCE_SETTINGS = ['preset=apache', 'acks=all', 'min.insync.replicas=2', 'unclean.leader.election.enable=false', 'enable.idempotence=true', 'broker.rack=az'];
const BOUNCE = {
  faults: [{ atMs: 142, kind: 'disk-loss', node: '@follower:orders-1', durationMs: 1 }],
  operations: [{ atMs: 2939, kind: 'controlled-shutdown', broker: '@leader:orders-1', durationMs: 1 }],
};

type Ev = { type: string; partition?: string; leader?: string | null; kind?: string };

/** Runs check-small with the given changes; the run's report and its elections and leaderships of orders-1. */
function runBounce(kafkaVersion: string, changes: object = BOUNCE) {
  const events: [number, string, Ev][] = [];
  const sink = {
    line: (_i: number, text: string) => {
      if (!text.includes('"orders-1"')) return;
      const [t, kind, node, ev] = JSON.parse(text) as [number, string, string, Ev];
      if (kind === 'ev' && (ev.type === 'become-leader' || ev.type === 'election')) events.push([t, node, ev]);
    },
  };
  const res = resolveScenario({ ...SCENARIO_PRESETS['check-small'], ...changes } as typeof SCENARIO_PRESETS['check-small'], MODELS, { settings: [...BOUNCE_SETTINGS, `kafkaVersion=${kafkaVersion}`], seed: '0' });
  const report = runResolved(res, { lineSink: sink });
  const ledByB1 = events.filter(([t, node, ev]) => node === 'b1' && ev.type === 'become-leader' && t > 142_000).map(([t]) => t);
  return { report, events, ledByB1 };
}

describe('ZooKeeper mode before KIP-380: a broker restarted within its old session cannot register until it expires', () => {
  it('Kafka 2.1: b1, elected while its new process could not register, leads only once it registered unnoticed as its old session expired', () => {
    const { report, events, ledByB1 } = runBounce('2.1');
    expect(events.some(([t, , ev]) => t === 2_939_572 && ev.kind === 'controlled-shutdown' && ev.leader === 'b1')).toBe(true);
    // Its old session (6 s, last heard before the loss at 0.142 s) expired after 6 s: nothing before.
    expect(ledByB1.length).toBeGreaterThan(0);
    expect(ledByB1[0]).toBeGreaterThan(6_000_000);
    expect(report.stats.model.missedBrokerBounces).toBe(1);
    // The loss is real in Kafka 2.1 (the missed bounce) and blamed on KIP-380.
    const lost = report.violations.filter((v) => v.property === 'lost-write');
    expect(lost.length).toBeGreaterThan(0);
    for (const v of lost) expect(v).toMatchObject({ classification: 'permitted', permittedBy: 'version' });
    expect(lost.every((v) => /KIP-380/.test(String(v.reason)))).toBe(true);
  });

  it('Kafka 2.2: the controller handles the bounce at the expiry: b2 leads, b1 never does, nothing lost', () => {
    const { report, events, ledByB1 } = runBounce('2.2');
    expect(ledByB1).toEqual([]);
    expect(events.some(([t, , ev]) => t > 6_000_000 && ev.type === 'election' && ev.leader === 'b2')).toBe(true);
    expect(report.stats.model.missedBrokerBounces).toBe(0);
    expect(report.violations.map((v) => v.property)).not.toContain('lost-write');
  });

  it('decoy, Kafka 2.1: a broker down longer than its session registers as a new broker, no bounce missed, nothing lost', () => {
    const { report, ledByB1 } = runBounce('2.1', { ...BOUNCE, faults: [{ ...BOUNCE.faults[0], durationMs: 8000 }] });
    expect(report.stats.model.missedBrokerBounces).toBe(0);
    expect(ledByB1).toEqual([]);
    expect(report.violations.map((v) => v.property)).not.toContain('lost-write');
  });
});
