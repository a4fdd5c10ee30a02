// ZooKeeper mode since KIP-380 (2.2): a broker restarted within its old session cannot register
// while the old /brokers/ids znode lives (KafkaZkClient's checked ephemeral create: NODEEXISTS)
// and exits before it processes any request, so the controller's LeaderAndIsr for another
// broker's ISR change must not make the empty process lead. Found by `ksim check` on Kafka 3.4 with faults aimed at
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

describe('ZooKeeper mode with KIP-380: a broker restarted within its old session acts on nothing', () => {
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
// still counted b1's old session live). A process restarted within its old session cannot register
// (NODEEXISTS) and exits (Kafka 0.10.2-3.9): the 1 ms loss leaves b1 down. Kafka 2.1 loses the
// records only if the new process creates its znode after the old session expired, before the
// controller reads the broker ids (KIP-380's race): the disk loss re-placed to last 6 s, so b1
// restarts at 6.142 s, after its session (last heard at 0.1 s, 6 s) expired at 6.1 s and before the
// controller's next check at 6.2 s. Then the LeaderAndIsr the controller queued for b1 at the
// election reaches the new process, which leads empty.
const BOUNCE_SETTINGS = ['preset=apache', 'acks=all', 'min.insync.replicas=2', 'unclean.leader.election.enable=false', 'enable.idempotence=true', 'broker.rack=az'];
const BOUNCE = {
  faults: [{ atMs: 142, kind: 'disk-loss', node: '@follower:orders-1', durationMs: 6000 }],
  operations: [{ atMs: 2939, kind: 'controlled-shutdown', broker: '@leader:orders-1', durationMs: 1 }],
};
const withLoss = (durationMs: number) => ({ ...BOUNCE, faults: [{ ...BOUNCE.faults[0], durationMs }] });

type Ev = { type: string; partition?: string; leader?: string | null; kind?: string };

/** Runs check-small with the given changes; the run's report, its elections and leaderships of orders-1, and b1's exits. */
function runBounce(kafkaVersion: string, changes: object = BOUNCE) {
  const events: [number, string, Ev][] = [];
  const exits: number[] = [];
  const sink = {
    line: (_i: number, text: string) => {
      if (text.includes('"broker-exit"')) exits.push((JSON.parse(text) as [number])[0]);
      if (!text.includes('"orders-1"')) return;
      const [t, kind, node, ev] = JSON.parse(text) as [number, string, string, Ev];
      if (kind === 'ev' && (ev.type === 'become-leader' || ev.type === 'election')) events.push([t, node, ev]);
    },
  };
  const res = resolveScenario({ ...SCENARIO_PRESETS['check-small'], ...changes } as typeof SCENARIO_PRESETS['check-small'], MODELS, { settings: [...BOUNCE_SETTINGS, `kafkaVersion=${kafkaVersion}`], seed: '0' });
  const report = runResolved(res, { lineSink: sink });
  const ledByB1 = events.filter(([t, node, ev]) => node === 'b1' && ev.type === 'become-leader' && t > 142_000).map(([t]) => t);
  return { report, events, ledByB1, exits };
}

describe('ZooKeeper mode before KIP-380: a restart lands after the old session expired, before the controller handled it', () => {
  it('Kafka 2.1: b1, elected while it was down, registers unnoticed at 6.142 s and leads orders-1 empty: the loss is KIP-380\'s', () => {
    const { report, events, ledByB1, exits } = runBounce('2.1');
    expect(events.some(([t, , ev]) => t > 2_939_000 && t < 3_000_000 && ev.kind === 'controlled-shutdown' && ev.leader === 'b1')).toBe(true);
    expect(exits).toEqual([]);
    expect(ledByB1.length).toBeGreaterThan(0);
    expect(ledByB1[0]).toBeGreaterThan(6_142_000);
    expect(report.stats.model.missedBrokerBounces).toBe(1);
    const lost = report.violations.filter((v) => v.property === 'lost-write');
    expect(lost.length).toBeGreaterThan(0);
    for (const v of lost) expect(v).toMatchObject({ classification: 'permitted', permittedBy: 'version' });
    expect(lost.every((v) => /KIP-380/.test(String(v.reason)))).toBe(true);
  });

  it('Kafka 2.2: the controller tells the new registration by its broker epoch and handles the bounce: b2 leads, b1 never does, nothing lost', () => {
    const { report, events, ledByB1 } = runBounce('2.2');
    expect(ledByB1).toEqual([]);
    expect(events.some(([t, , ev]) => t > 6_000_000 && ev.type === 'election' && ev.leader === 'b2')).toBe(true);
    expect(report.stats.model.missedBrokerBounces).toBe(0);
    expect(report.violations.map((v) => v.property)).not.toContain('lost-write');
  });

  it('Kafka 2.1 and 2.2, the loss as found (1 ms): the process restarted within its old session exits (NODEEXISTS) and leads nothing; nothing lost', () => {
    for (const version of ['2.1', '2.2']) {
      const { report, ledByB1, exits } = runBounce(version, withLoss(1));
      expect(exits).toHaveLength(1);
      expect(exits[0]).toBeLessThan(1_000_000);
      expect(ledByB1).toEqual([]);
      expect(report.stats.model.missedBrokerBounces).toBe(0);
      expect(report.violations.map((v) => v.property)).not.toContain('lost-write');
    }
  });

  it('decoy, Kafka 2.1: a broker down until the controller handled its expiry registers as a new broker, no bounce missed, nothing lost', () => {
    const { report, ledByB1, exits } = runBounce('2.1', withLoss(8000));
    expect(exits).toEqual([]);
    expect(report.stats.model.missedBrokerBounces).toBe(0);
    expect(ledByB1).toEqual([]);
    expect(report.violations.map((v) => v.property)).not.toContain('lost-write');
  });
});
