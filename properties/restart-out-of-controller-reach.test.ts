// A broker that restarts out of the active controller's reach serves nothing. KRaft: BrokerServer
// .startup publishes no metadata to its ReplicaManager until the active controller has acknowledged
// its registration as caught up (BrokerLifecycleManager.initialCatchUpFuture). ZooKeeper mode: it
// gets no LeaderAndIsr (while its old session lives it cannot even register). So it leads none of
// the partitions the controller's metadata still names it leader of. Those partitions are offline
// until the controller fences it, and their acknowledged records, still on the in-sync followers,
// are unreachable, not lost. ksim judged such a partition by its restarted leader's emptied log: a
// false lost-write breach on Apache 4.1 KRaft (`ksim check --scenario study-az-outages --set
// kafkaVersion=4.1 --set metadataMode=kraft --fail-on breach --seed 12`, run 21: b2 lost power for
// 3 s as leader of events-2 and came back just as AZ outages cut off every controller quorum; 230
// records "missing from the final log of events-2 (leader b2, epoch 0, LEO 0)" while b1 and b3,
// its ISR, held them all; the same on MSK 2.8 ZooKeeper, `--set preset=msk --set kafkaVersion=2.8
// --set metadataMode=zookeeper`, run 21).
import { describe, expect, it } from 'vitest';
import azOutages from '../models/kafka/presets/study-az-outages.scenario.json' with { type: 'json' };
import { runScenario } from '../models/kafka/testing/scenario-run.ts';

/** b2 (leader of events-2) loses power at 3.37 s; from 6 s, as it restarts, `cut` holds. */
function run(faults: Record<string, unknown>[], cell: string[] = KRAFT_4_1) {
  const { noise: _noise, ...scenario } = structuredClone(azOutages);
  // 10 s: before the controller fences b2 (broker.session.timeout.ms 9 s after its last heartbeat).
  // ZooKeeper 2.8: its old session (18 s) outlives the run.
  return runScenario({ ...scenario, durationMs: 10_000, faults }, [...cell, 'acks=all', 'min.insync.replicas=2']);
}
const KRAFT_4_1 = ['kafkaVersion=4.1', 'metadataMode=kraft'];
const ZOOKEEPER_2_8 = ['preset=msk', 'kafkaVersion=2.8', 'metadataMode=zookeeper'];
const powerLoss = (node: string) => ({ atMs: 3370, kind: 'power-loss', node, durationMs: 2630 });
const cutFromControllers = (durationMs: number) => ({ atMs: 5990, kind: 'partition', groups: [['b1', 'b2', 'b3'], ['c1', 'c2', 'c3']], durationMs });
const verdicts = (r: ReturnType<typeof run>, property: string) =>
  r.report.violations.filter((v) => v.property === property).map((v) => `${v.partition ?? ''} ${v.classification} ${v.permittedBy ?? ''}`.trim());

describe('a broker restarted out of the active controller reach (Apache 4.1 KRaft, MSK 2.8 ZooKeeper)', () => {
  it.each([KRAFT_4_1, ZOOKEEPER_2_8])('%s: leads nothing it has not registered: its partition is offline, the records on its ISR unreachable, not lost', (...cell) => {
    const r = run([powerLoss('b2'), cutFromControllers(60_000)], cell);
    const events2 = r.final.partitions.find((p) => p.partition === 'events-2')!;
    // The controller still names b2 leader in epoch 0, b2's log is empty, its ISR holds the records.
    expect([events2.leader, events2.leaderEpoch, events2.leaderWithoutState]).toEqual(['b2', 0, true]);
    const logOf = (b: string) => events2.logs.find((l) => l.broker === b)!;
    expect(logOf('b2').logEndOffset).toBe(0);
    expect(logOf('b3').logEndOffset).toBeGreaterThan(100);
    expect(verdicts(r, 'lost-write')).toEqual([]);
    expect(r.report.violations.filter((v) => v.classification === 'breach')).toEqual([]);
  }, 60_000);

  it('decoy: the cut heals, b2 registers, the controller fences it and elects an in-sync follower: online, nothing lost', () => {
    const r = run([powerLoss('b2'), cutFromControllers(500)]);
    const events2 = r.final.partitions.find((p) => p.partition === 'events-2')!;
    expect(events2.leaderWithoutState).toBeUndefined();
    expect(['b1', 'b3']).toContain(events2.leader);
    expect(verdicts(r, 'lost-write')).toEqual([]);
  }, 60_000);

  it('decoy: every replica lost power, so no replica holds the records: still lost, by the fault load', () => {
    const r = run([powerLoss('b1'), powerLoss('b2'), powerLoss('b3'), cutFromControllers(60_000)]);
    const lost = verdicts(r, 'lost-write');
    expect(lost.length).toBeGreaterThan(0);
    expect(new Set(lost.map((v) => v.replace(/^\S+ /, '')))).toEqual(new Set(['permitted fault-load']));
  }, 60_000);
});
