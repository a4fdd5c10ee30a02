// Where a new topic's replicas go: Kafka's AdminUtils.assignReplicasToBrokers, rack-unaware when
// no broker has a rack (the first replica of each partition round-robin from a random start, the
// others at an increasing shift) and rack-aware when every broker has one (the same round robin
// over a broker list that alternates racks, skipping brokers whose rack already holds a replica
// of the partition while some rack holds none). With broker.rack = AZ, as on MSK, a partition's
// replicas land in distinct AZs whenever there are at least as many AZs as replicas.
//
// KRaft controllers place replicas with StripedReplicaPlacer, which has the same goals (leaders
// and replicas spread evenly, one replica per rack when possible) by a different route; ksim uses
// the AdminUtils algorithm for both metadata modes. Kafka's java.util.Random draws become Choice
// draws (the caller passes the "kafka.assignment" stream).

import type { Choice } from '../../../src/sim/choice.ts';

interface AssignmentOptions {
  /** Kafka's fixedStartIndex: fixes both the start index and the replica shift (no draws). */
  fixedStartIndex?: number;
}

/**
 * Replicas for `partitions` partitions of replication factor `replicationFactor` over brokers
 * 0..n-1 (their broker.id order), where `racks[b]` is broker b's rack or null. Returns
 * replicas[p], preferred leader first.
 */
export function assignReplicas(
  racks: readonly (string | null)[],
  partitions: number,
  replicationFactor: number,
  choice: Choice,
  options: AssignmentOptions = {},
): number[][] {
  if (!Number.isInteger(partitions) || partitions <= 0) throw new Error('Number of partitions must be larger than 0.');
  if (!Number.isInteger(replicationFactor) || replicationFactor <= 0) throw new Error('Replication factor must be larger than 0.');
  if (replicationFactor > racks.length)
    throw new Error(`Replication factor: ${replicationFactor} larger than available brokers: ${racks.length}.`);
  if (racks.every((r) => r === null)) {
    return assignRackUnaware(
      racks.map((_, b) => b),
      partitions,
      replicationFactor,
      choice,
      options,
    );
  }
  if (racks.some((r) => r === null)) throw new Error('Not all brokers have rack information for replica rack aware assignment.');
  return assignRackAware(racks as readonly string[], partitions, replicationFactor, choice, options);
}

/** The start index and replica shift: drawn, unless fixed (Kafka draws the start index first). */
function startAndShift(brokerCount: number, choice: Choice, options: AssignmentOptions): [number, number] {
  const fixed = options.fixedStartIndex;
  if (fixed !== undefined && fixed >= 0) return [fixed, fixed];
  const startIndex = choice.below(brokerCount);
  const replicaShift = choice.below(brokerCount);
  return [startIndex, replicaShift];
}

/** Kafka's AdminUtils.replicaIndex. */
function replicaIndex(firstReplicaIndex: number, secondReplicaShift: number, replicaIdx: number, brokerCount: number): number {
  const shift = 1 + ((secondReplicaShift + replicaIdx) % (brokerCount - 1));
  return (firstReplicaIndex + shift) % brokerCount;
}

function assignRackUnaware(
  brokerList: readonly number[],
  partitions: number,
  replicationFactor: number,
  choice: Choice,
  options: AssignmentOptions,
): number[][] {
  const n = brokerList.length;
  const [startIndex, shift0] = startAndShift(n, choice, options);
  let nextReplicaShift = shift0;
  const out: number[][] = [];
  for (let p = 0; p < partitions; p++) {
    if (p > 0 && p % n === 0) nextReplicaShift += 1;
    const firstReplicaIndex = (p + startIndex) % n;
    const replicas = [brokerList[firstReplicaIndex]];
    for (let j = 0; j < replicationFactor - 1; j++) replicas.push(brokerList[replicaIndex(firstReplicaIndex, nextReplicaShift, j, n)]);
    out.push(replicas);
  }
  return out;
}

/**
 * Kafka's getRackAlternatedBrokerList: racks in sorted order, brokers within a rack by id, one
 * broker from each rack in turn. {0:r1, 1:r3, 2:r3, 3:r2, 4:r2, 5:r1} gives 0, 3, 1, 5, 4, 2.
 */
export function rackAlternatedBrokerList(racks: readonly string[]): number[] {
  const brokersByRack = new Map<string, number[]>();
  racks.forEach((rack, b) => {
    const list = brokersByRack.get(rack);
    if (list) list.push(b);
    else brokersByRack.set(rack, [b]);
  });
  const rackNames = [...brokersByRack.keys()].sort();
  const cursors = rackNames.map(() => 0);
  const result: number[] = [];
  let rackIndex = 0;
  while (result.length < racks.length) {
    const brokers = brokersByRack.get(rackNames[rackIndex])!;
    if (cursors[rackIndex] < brokers.length) result.push(brokers[cursors[rackIndex]++]);
    rackIndex = (rackIndex + 1) % rackNames.length;
  }
  return result;
}

function assignRackAware(
  racks: readonly string[],
  partitions: number,
  replicationFactor: number,
  choice: Choice,
  options: AssignmentOptions,
): number[][] {
  const rackCount = new Set(racks).size;
  const arranged = rackAlternatedBrokerList(racks);
  const n = arranged.length;
  const [startIndex, shift0] = startAndShift(n, choice, options);
  let nextReplicaShift = shift0;
  const out: number[][] = [];
  for (let p = 0; p < partitions; p++) {
    if (p > 0 && p % n === 0) nextReplicaShift += 1;
    const firstReplicaIndex = (p + startIndex) % n;
    const leader = arranged[firstReplicaIndex];
    const replicas = [leader];
    const racksWithReplicas = new Set([racks[leader]]);
    const brokersWithReplicas = new Set([leader]);
    let k = 0;
    for (let j = 0; j < replicationFactor - 1; j++) {
      for (;;) {
        const broker = arranged[replicaIndex(firstReplicaIndex, nextReplicaShift * rackCount, k, n)];
        const rack = racks[broker];
        k += 1;
        // Skip a broker whose rack already has a replica while some rack has none, and a broker
        // that already has a replica while some broker has none.
        if (
          (!racksWithReplicas.has(rack) || racksWithReplicas.size === rackCount) &&
          (!brokersWithReplicas.has(broker) || brokersWithReplicas.size === n)
        ) {
          replicas.push(broker);
          racksWithReplicas.add(rack);
          brokersWithReplicas.add(broker);
          break;
        }
      }
    }
    out.push(replicas);
  }
  return out;
}
