// Faults aimed at Kafka roles (kafka-roles.ts): resolved when they fire, to whoever holds the role
// then, acting exactly as the same fault naming those nodes would, and refused by name when the
// scenario has no such role.
import { describe, expect, it } from 'vitest';
import type { Fault } from '../../../src/faults/fault.ts';
import { resolveScenario } from '../../../src/scenario/resolve-scenario.ts';
import { runResolved } from '../../../src/scenario/run-scenario.ts';
import { MODELS, SCENARIO_PRESETS } from '../../index.ts';
import { NO_LEADER, type PartitionMeta } from '../controller/metadata-image.ts';
import type { KafkaFinalState } from '../kafka-events.ts';
import { zooRun } from '../testing/bug-zoo.ts';
import { kafkaFaultRoles, nodesInKafkaRole } from './kafka-roles.ts';

function run(faults: Fault[]) {
  return runResolved(resolveScenario({ ...SCENARIO_PRESETS['check-small'], faults }, MODELS, { seed: '1' }));
}

const AIMED: Fault[] = [
  // The crashed leader is fenced after broker.session.timeout.ms (9 s, MSK's default) and a new one elected.
  { atMs: 3000, kind: 'crash', node: '@leader:orders-0', durationMs: 12000 },
  { atMs: 14000, kind: 'partition', groups: [['@leader:orders-0'], ['@followers:orders-0']], durationMs: 3000 },
];

describe('faults aimed at Kafka roles', () => {
  const aimed = run(AIMED);
  const [crashed, cut] = aimed.aimedFaults!.map((line) => /\(([^)]*)\)/g.exec(line)![1]);

  it('hit whoever holds the role when they fire: the second leader of orders-0 is not the crashed first', () => {
    expect(aimed.aimedFaults).toHaveLength(2);
    expect(aimed.aimedFaults![0]).toMatch(/^3\.000s crash: leader of orders-0 \(b\d\)$/);
    expect(aimed.aimedFaults![1]).toMatch(/^14\.000s partition: leader of orders-0 \(b\d\) \/ followers of orders-0 \(b\d(, b\d)*\), cut \[b\d\] \| \[b\d(, b\d)*\]$/);
    expect(cut).not.toBe(crashed);
  });

  it('act as the same faults naming the nodes they resolved to', () => {
    const followers = /followers of orders-0 \(([^)]*)\)/.exec(aimed.aimedFaults![1])![1].split(', ');
    const fixed = run([
      { ...AIMED[0], node: crashed } as Fault,
      { ...AIMED[1], groups: [[cut], followers] } as Fault,
    ]);
    expect(fixed.aimedFaults).toBeUndefined();
    const state = (r: typeof aimed) => (r.outcome.final as KafkaFinalState).partitions.map((p) => [p.partition, p.leader, p.leaderEpoch, p.isr, p.logs.map((l) => l.logEndOffset)]);
    expect(state(aimed)).toEqual(state(fixed));
    expect(aimed.violations.map((v) => v.property)).toEqual(fixed.violations.map((v) => v.property));
  });

  it('replay to the same trace', () => {
    expect(run(AIMED).traceHash).toBe(aimed.traceHash);
  });

  it('name only roles the scenario has', () => {
    expect(kafkaFaultRoles(resolveScenario({ ...SCENARIO_PRESETS['check-small'] }, MODELS, {}).scenario)).toEqual([
      '@active-controller',
      '@leader:orders-0',
      '@followers:orders-0',
      '@follower:orders-0',
      '@in-sync-follower:orders-0',
      '@out-of-sync:orders-0',
      '@leader:orders-1',
      '@followers:orders-1',
      '@follower:orders-1',
      '@in-sync-follower:orders-1',
      '@out-of-sync:orders-1',
    ]);
    expect(() => run([{ atMs: 1000, kind: 'crash', node: '@leader:orders-7' }])).toThrow(
      /"faults\[0\]\.node": unknown role "@leader:orders-7"; roles are @active-controller, @leader:orders-0/,
    );
  });
});

describe('who holds a role', () => {
  const layout = {
    brokerNode: [0, 1, 2],
    controllerNode: [3, 4],
    offsetsPartitions: [1],
    partitions: [
      { index: 0, name: 't-0', internal: false, replicas: [2, 0, 1] },
      { index: 1, name: '__consumer_offsets-0', internal: true, replicas: [1, 2, 0] },
    ],
  };
  const meta = (leader: number, replicas: number[], isr = replicas) => ({ leader, replicas, isr }) as unknown as PartitionMeta;

  it('reads the committed leader and replicas, and the active controller', () => {
    const state = { layout, partitions: [meta(0, [2, 0, 1]), meta(2, [1, 2, 0])], activeController: 1 };
    expect(nodesInKafkaRole(state, 'leader:t-0')).toEqual([0]);
    expect(nodesInKafkaRole(state, 'followers:t-0')).toEqual([2, 1]);
    expect(nodesInKafkaRole(state, 'follower:t-0')).toEqual([2]);
    expect(nodesInKafkaRole(state, 'active-controller')).toEqual([4]);
    expect(nodesInKafkaRole(state, 'coordinator:g1')).toEqual([2]);
  });

  it('out of sync: the replicas outside the ISR, in replica order, whoever leads', () => {
    const state = (leader: number, isr: number[]) => ({ layout, partitions: [meta(leader, [2, 0, 1], isr), meta(2, [1, 2, 0])], activeController: 1 });
    expect(nodesInKafkaRole(state(0, [0, 2, 1]), 'out-of-sync:t-0')).toEqual([]);
    expect(nodesInKafkaRole(state(0, [0]), 'out-of-sync:t-0')).toEqual([2, 1]);
    expect(nodesInKafkaRole(state(1, [1, 2]), 'out-of-sync:t-0')).toEqual([0]);
    expect(nodesInKafkaRole(state(1, [1, 2]), 'follower:t-0')).toEqual([2]);
  });

  it('in-sync follower: the first follower still in the ISR, in replica order; nobody once the leader is alone in it', () => {
    const state = (leader: number, isr: number[]) => ({ layout, partitions: [meta(leader, [2, 0, 1], isr), meta(2, [1, 2, 0])], activeController: 1 });
    expect(nodesInKafkaRole(state(0, [0, 2, 1]), 'in-sync-follower:t-0')).toEqual([2]);
    // the first follower left the ISR: the next one, where @follower names the first again
    expect(nodesInKafkaRole(state(0, [0, 1]), 'in-sync-follower:t-0')).toEqual([1]);
    expect(nodesInKafkaRole(state(0, [0, 1]), 'follower:t-0')).toEqual([2]);
    expect(nodesInKafkaRole(state(0, [0]), 'in-sync-follower:t-0')).toEqual([]);
    expect(nodesInKafkaRole(state(NO_LEADER, [0, 2, 1]), 'in-sync-follower:t-0')).toEqual([]);
  });

  it('is nobody for an offline partition or between controllers; an internal partition is not a user partition', () => {
    const state = { layout, partitions: [meta(NO_LEADER, [2, 0, 1]), meta(2, [1, 2, 0])], activeController: -1 };
    expect(nodesInKafkaRole(state, 'leader:t-0')).toEqual([]);
    expect(nodesInKafkaRole(state, 'followers:t-0')).toEqual([]);
    expect(nodesInKafkaRole(state, 'follower:t-0')).toEqual([]);
    expect(nodesInKafkaRole(state, 'out-of-sync:t-0')).toEqual([]);
    expect(nodesInKafkaRole(state, 'active-controller')).toEqual([]);
    expect(nodesInKafkaRole(state, 'leader:__consumer_offsets-0')).toEqual([]);
    // Before the first election the metadata holds no partition yet: no leader, no followers.
    const before = { layout, partitions: [], activeController: 0 };
    for (const role of ['leader:t-0', 'followers:t-0', 'follower:t-0', 'in-sync-follower:t-0']) expect(nodesInKafkaRole(before, role)).toEqual([]);
  });
});

describe("the reader of a partition: the group member it is assigned to when the fault fires", () => {
  // The zoo's group scenario: members g-1 and g-2 (session 1.5 s) after processing on zoo-0 and zoo-1.
  const paused = (bugs: Parameters<typeof zooRun>[0], node: string) => {
    const z = zooRun(bugs, true);
    return runResolved(resolveScenario({ ...z.raw, faults: [{ atMs: 2000, kind: 'pause', node, durationMs: 3000 }] }, MODELS, { settings: z.settings }));
  };

  it('names one member of each partition, each a different member, and a reader role only for partitions a group reads', () => {
    const [r0, r1] = ['@reader:zoo-0', '@reader:zoo-1'].map((role) => /\((g-\d)\)$/.exec(paused([], role).aimedFaults![0])![1]);
    expect([r0, r1].sort()).toEqual(['g-1', 'g-2']);
    expect(kafkaFaultRoles(resolveScenario({ ...SCENARIO_PRESETS['check-small'] }, MODELS, {}).scenario).some((r) => r.startsWith('@reader:'))).toBe(false);
  });

  it('paused past its session, it is a zombie member: its stale-generation commit is fenced, unless the coordinator accepts it (the zoo bug)', () => {
    expect(paused([], '@reader:zoo-0').violations).toEqual([]);
    const buggy = paused(['accept-stale-generation-commit'], '@reader:zoo-0');
    expect(buggy.violations.map((v) => [v.property, v.classification])).toEqual([['committed-offset-backwards', 'breach']]);
  });
});
