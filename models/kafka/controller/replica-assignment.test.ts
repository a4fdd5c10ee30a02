// Replica placement follows Kafka's AdminUtils; rack awareness is what keeps a partition alive
// through an AZ outage.

import { describe, expect, it } from 'vitest';
import { SeededChoices } from '../../../src/sim/seeded-choices.ts';
import { assignReplicas, rackAlternatedBrokerList } from './replica-assignment.ts';

const stream = (seed: string) => new SeededChoices(seed).stream('kafka.assignment');
const noDraws = { below: () => { throw new Error('drew'); }, unit: () => { throw new Error('drew'); } };

/** MSK-style: broker i in AZ i mod 3. */
const roundRobinAzs = (n: number) => Array.from({ length: n }, (_, i) => `az${(i % 3) + 1}`);
/** Listed AZ by AZ: b1, b2, b3 in az1, then az2... */
const azByAz = (perAz: number, azCount: number) => Array.from({ length: perAz * azCount }, (_, i) => `az${Math.floor(i / perAz) + 1}`);

describe('rack-aware assignment', () => {
  // The worked example in Kafka's AdminUtils Javadoc: brokers 0..5 on racks
  // {0: rack1, 1: rack3, 2: rack3, 3: rack2, 4: rack2, 5: rack1}.
  const javadocRacks = ['rack1', 'rack3', 'rack3', 'rack2', 'rack2', 'rack1'];

  it('alternates racks like AdminUtils.getRackAlternatedBrokerList', () => {
    expect(rackAlternatedBrokerList(javadocRacks)).toEqual([0, 3, 1, 5, 4, 2]);
    expect(rackAlternatedBrokerList(['r1', 'r1', 'r1', 'r2', 'r2', 'r2', 'r3', 'r3', 'r3'])).toEqual([0, 3, 6, 1, 4, 7, 2, 5, 8]);
  });

  it('reproduces the AdminUtils Javadoc assignment with fixedStartIndex 0', () => {
    const replicas = assignReplicas(javadocRacks, 7, 3, noDraws, { fixedStartIndex: 0 });
    expect(replicas).toEqual([
      [0, 3, 1],
      [3, 1, 5],
      [1, 5, 4],
      [5, 4, 2],
      [4, 2, 0],
      [2, 0, 3],
      [0, 4, 2], // the second round shifts the followers
    ]);
  });

  it('never puts two replicas of a partition in one AZ when there are at least RF AZs', () => {
    for (const racks of [roundRobinAzs(6), azByAz(2, 3), azByAz(3, 3), roundRobinAzs(9), azByAz(4, 4)]) {
      for (let seed = 0; seed < 30; seed++) {
        for (const rf of [2, 3]) {
          const replicas = assignReplicas(racks, 12, rf, stream(String(seed)));
          for (const r of replicas) {
            expect(new Set(r).size).toBe(rf);
            expect(new Set(r.map((b) => racks[b])).size).toBe(rf);
          }
        }
      }
    }
  });

  it('with fewer AZs than replicas, still uses every AZ', () => {
    const racks = azByAz(2, 2);
    for (let seed = 0; seed < 20; seed++)
      for (const r of assignReplicas(racks, 8, 3, stream(String(seed)))) expect(new Set(r.map((b) => racks[b])).size).toBe(2);
  });
});

describe('rack-unaware assignment', () => {
  it('reproduces the AdminUtils Javadoc table (5 brokers, 10 partitions, RF 3, fixed start 0)', () => {
    const replicas = assignReplicas([null, null, null, null, null], 10, 3, noDraws, { fixedStartIndex: 0 });
    // First replicas round-robin; second replicas as in the Javadoc table (p4 on broker 0, p0 on 1...).
    expect(replicas.map((r) => r[0])).toEqual([0, 1, 2, 3, 4, 0, 1, 2, 3, 4]);
    expect(replicas[0]).toEqual([0, 1, 2]);
    expect(replicas[4]).toEqual([4, 0, 1]);
    expect(replicas[5]).toEqual([0, 2, 3]);
    expect(replicas[8]).toEqual([3, 0, 1]);
  });

  it('with brokers listed AZ by AZ, can put a whole partition in one AZ', () => {
    const azs = azByAz(3, 3);
    const racksUnset = azs.map(() => null);
    let seedsWithSingleAzPartition = 0;
    for (let seed = 0; seed < 40; seed++) {
      const replicas = assignReplicas(racksUnset, 9, 3, stream(String(seed)));
      if (replicas.some((r) => new Set(r.map((b) => azs[b])).size === 1)) seedsWithSingleAzPartition++;
    }
    expect(seedsWithSingleAzPartition).toBeGreaterThan(0);
    // And deterministically so with the start and shift at 0: partition 0 is brokers 0, 1, 2.
    expect(assignReplicas(racksUnset, 9, 3, noDraws, { fixedStartIndex: 0 })[0].map((b) => azs[b])).toEqual(['az1', 'az1', 'az1']);
  });
});

describe('both placements', () => {
  it('are deterministic for a seed and differ across seeds', () => {
    const racks = roundRobinAzs(6);
    expect(assignReplicas(racks, 12, 3, stream('7'))).toEqual(assignReplicas(racks, 12, 3, stream('7')));
    const distinct = new Set(Array.from({ length: 10 }, (_, s) => JSON.stringify(assignReplicas(racks, 12, 3, stream(String(s))))));
    expect(distinct.size).toBeGreaterThan(1);
  });

  it('spread leaders and replicas evenly', () => {
    for (const racks of [roundRobinAzs(6), roundRobinAzs(6).map(() => null)]) {
      for (let seed = 0; seed < 20; seed++) {
        const replicas = assignReplicas(racks, 12, 3, stream(String(seed)));
        const leaders = new Array(6).fill(0);
        const all = new Array(6).fill(0);
        for (const r of replicas) {
          leaders[r[0]]++;
          for (const b of r) all[b]++;
        }
        expect(leaders).toEqual([2, 2, 2, 2, 2, 2]);
        expect(all).toEqual([6, 6, 6, 6, 6, 6]);
      }
    }
  });

  it('reject impossible requests with Kafka’s messages', () => {
    expect(() => assignReplicas(['a', 'b'], 1, 3, stream('1'))).toThrow('Replication factor: 3 larger than available brokers: 2.');
    expect(() => assignReplicas(['a', null], 1, 1, stream('1'))).toThrow(/Not all brokers have rack information/);
    expect(() => assignReplicas(['a'], 0, 1, stream('1'))).toThrow(/partitions/);
  });

  it('handles a single broker', () => {
    expect(assignReplicas([null], 3, 1, stream('1'))).toEqual([[0], [0], [0]]);
  });
});
