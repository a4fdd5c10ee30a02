// The cuts and durations `ksim check` draws for a Kafka scenario come from its roles and its own
// timeouts (fault-targeting.ts).
import { describe, expect, it } from 'vitest';
import { resolveScenario } from '../../../src/scenario/resolve-scenario.ts';
import { MODELS, SCENARIO_PRESETS } from '../../index.ts';
import { runScenario } from '../testing/scenario-run.ts';
import { zooRun } from '../testing/bug-zoo.ts';
import { kafkaFaultDurationsMs, kafkaReplicaLagsMs, kafkaRoleHeldFromMs, kafkaRoleSubjects, kafkaTargetedRoles, kafkaTargetedSplits } from './fault-targeting.ts';

function resolved(settings: string[] = []) {
  return resolveScenario({ ...SCENARIO_PRESETS['check-small'] }, MODELS, { settings }).scenario;
}

describe('targeted cuts', () => {
  const splits = kafkaTargetedSplits(resolved()).map(([a, b]) => [[...a].sort(), [...b].sort()]);

  it('cut a broker from the other brokers only, from the controllers only, and from both but not the clients', () => {
    expect(splits).toContainEqual([['b1'], ['b2', 'b3']]);
    expect(splits).toContainEqual([['b2'], ['c1', 'c2', 'c3']]);
    expect(splits).toContainEqual([['b3'], ['b1', 'b2', 'c1', 'c2', 'c3']]);
  });

  it('isolate each controller, cut the controllers from the brokers, and a client from one broker', () => {
    expect(splits).toContainEqual([['c2'], ['b1', 'b2', 'b3', 'c1', 'c3']]);
    expect(splits).toContainEqual([['c1', 'c2', 'c3'], ['b1', 'b2', 'b3']]);
    expect(splits).toContainEqual([['p1'], ['b2']]);
  });

  it('never put a node on both sides, and never cut a client from the controllers', () => {
    for (const [a, b] of splits) {
      expect(a.filter((n) => b.includes(n))).toEqual([]);
      if (a.includes('p1')) expect(b.every((n) => n.startsWith('b') || n.startsWith('@leader:'))).toBe(true);
    }
  });
});

describe('cuts between roles, resolved when the fault fires', () => {
  const splits = kafkaTargetedSplits(resolved());

  it('cut a leader from its followers only, from the controllers only, and from both (a zombie still reached by clients)', () => {
    expect(splits).toContainEqual([['@leader:orders-0'], ['@followers:orders-0']]);
    expect(splits).toContainEqual([['@leader:orders-1'], ['c1', 'c2', 'c3']]);
    expect(splits).toContainEqual([['@leader:orders-0'], ['@followers:orders-0', 'c1', 'c2', 'c3']]);
  });

  it('cut one follower from the controllers (KIP-903) or from its leader, the producer from the leader, the active controller from everyone', () => {
    expect(splits).toContainEqual([['@follower:orders-1'], ['c1', 'c2', 'c3']]);
    expect(splits).toContainEqual([['@follower:orders-0'], ['@leader:orders-0']]);
    expect(splits).toContainEqual([['p1'], ['@leader:orders-0']]);
    expect(splits).toContainEqual([['@active-controller'], ['b1', 'b2', 'b3', 'c1', 'c2', 'c3']]);
  });

  it("cut each group member from its coordinator only (a zombie member that still fetches), and no member where there is no group", () => {
    const withGroup = kafkaTargetedSplits(resolveScenario({ ...SCENARIO_PRESETS['msk-3az-outage'] }, MODELS, {}).scenario);
    for (const m of ['billing-1', 'billing-2', 'billing-3']) expect(withGroup).toContainEqual([[m], ['@coordinator:billing']]);
    expect(splits.filter(([a]) => a.some((n) => n.startsWith('billing')))).toEqual([]);
  });

  it('aim one-node faults at each leader, one follower of each partition and the active controller', () => {
    expect(kafkaTargetedRoles(resolved())).toEqual(['@active-controller', '@leader:orders-0', '@follower:orders-0', '@leader:orders-1', '@follower:orders-1']);
  });
});

describe('durations around the timeouts', () => {
  it('are just under, just over and far over the broker session and replica lag (MSK defaults, KRaft)', () => {
    // broker.session.timeout.ms 9000, replica.lag.time.max.ms and request.timeout.ms 30000.
    expect(kafkaFaultDurationsMs(resolved())).toEqual([8100, 9900, 27000, 33000, 90000]);
  });

  it('follow the settings: the ZooKeeper session in ZooKeeper mode, a lowered replica lag', () => {
    const zk = kafkaFaultDurationsMs(resolved(['metadataMode=zookeeper', 'replica.lag.time.max.ms=1000']));
    // zookeeper.session.timeout.ms 18000 (not the KRaft session), replica lag 1000.
    expect(zk).toEqual(expect.arrayContaining([900, 1100, 3000, 16200, 19800, 54000]));
    expect(zk).not.toContain(8100);
  });

  it('include the values exploration may give a timeout in a run', () => {
    expect(kafkaFaultDurationsMs(resolved(), { 'request.timeout.ms': [30000, 2000], linger: [5] })).toEqual(
      expect.arrayContaining([1800, 2200, 6000]),
    );
    expect(kafkaFaultDurationsMs(resolved(), { 'linger.ms': [5] })).not.toContain(15);
  });
});

describe('replica lags a run may have', () => {
  it("are the scenario's own and exploration's, ascending, each once", () => {
    expect(kafkaReplicaLagsMs(resolved())).toEqual([30000]);
    expect(kafkaReplicaLagsMs(resolved(), { 'replica.lag.time.max.ms': [null, 2000, 30000], 'request.timeout.ms': [5000] })).toEqual([2000, 30000]);
    expect(kafkaReplicaLagsMs(resolved(['preset=apache', 'kafkaVersion=2.0']))).toEqual([10000]);
  });
});

describe("the reader's timing and subjects", () => {
  // The zoo's group scenario: members g-1 and g-2 of group g read zoo-0 and zoo-1 from 0 ms.
  const zoo = (settings: string[] = []) => {
    const z = zooRun([], true);
    return resolveScenario(z.raw, MODELS, { settings: [...z.settings, ...settings] }).scenario;
  };

  it('a reader is held from its group\'s first assignment at the earliest: its start, group.initial.rebalance.delay.ms, the requests', () => {
    expect(kafkaRoleHeldFromMs(zoo(), '@reader:zoo-0')).toBe(250);
    expect(kafkaRoleHeldFromMs(zoo(['group.initial.rebalance.delay.ms=3000']), '@reader:zoo-1')).toBe(3250);
    // the first assignment of each, as the model runs it (214 ms and 3,115 ms), comes before
    for (const [settings, heldFromMs] of [[[], 250], [['group.initial.rebalance.delay.ms=3000'], 3250]] as const) {
      const z = zooRun([], true);
      const run = runScenario(z.raw, [...z.settings, ...settings]);
      const first = run.events.find(([, , e]) => e.type === 'assignment')!;
      expect(first[0] / 1000).toBeLessThan(heldFromMs);
    }
    // decoys: the other roles are held from the start; a partition nobody reads has no reader
    expect(kafkaRoleHeldFromMs(zoo(), '@leader:zoo-0')).toBe(0);
    expect(kafkaRoleHeldFromMs(resolved(), '@reader:orders-0')).toBe(0);
  });

  it('a reader is about its group as well as its partition; the other roles about their argument only', () => {
    expect(kafkaRoleSubjects(zoo(), '@reader:zoo-0')).toEqual(['g']);
    expect(kafkaRoleSubjects(zoo(), '@leader:zoo-0')).toEqual([]);
    expect(kafkaRoleSubjects(zoo(), '@coordinator:g')).toEqual([]);
  });
});
