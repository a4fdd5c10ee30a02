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
