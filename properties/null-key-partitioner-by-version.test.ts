// Records without a key are placed by the client version's partitioner, over the partitions that
// have a leader: round-robin before 2.4 (DefaultPartitioner), KIP-480's sticky-per-batch in
// 2.4-3.2, KIP-794's uniform sticky from 3.3. A keyless producer keeps writing while the only
// replica of two of six partitions is down (b3 crashes at 10 s, restarts at 35 s): once the
// controller has declared them leaderless (after the broker's session timeout: ZooKeeper's 6 s on
// 2.3, 18 s on 2.8, KRaft's 9 s on 3.7) and the producer's metadata says so, it sends them nothing,
// on every version (before, ksim drew among all partitions and kept filling the dead ones).
import { describe, expect, it } from 'vitest';
import { runScenario } from '../models/kafka/testing/scenario-run.ts';

const S = 1_000_000;
const scenario = (kafkaVersion: string) => ({
  model: 'kafka',
  seed: '3',
  durationMs: 40000,
  preset: 'apache',
  kafkaVersion,
  cluster: { brokers: 3 },
  topics: [{ name: 't', replicas: [['b1'], ['b2'], ['b3'], ['b1'], ['b2'], ['b3']] }],
  producers: [{ name: 'p1', az: 'use1-az1', topic: 't', ratePerSec: 200, keys: 0, recordBytes: 100, config: { acks: '1' } }],
  faults: [{ atMs: 10000, kind: 'crash', node: 'b3', durationMs: 25000 }],
});

/** The partition of each keyless send, in order, with its time (µs). */
function sends(kafkaVersion: string): { t: number; partition: string }[] {
  return runScenario(scenario(kafkaVersion))
    .events.filter(([, , ev]) => ev.type === 'send')
    .map(([t, , ev]) => ({ t, partition: String(ev.partition) }));
}

/** Lengths of the runs of consecutive sends to the same partition. */
function runLengths(list: { partition: string }[]): number[] {
  const out: number[] = [];
  for (let i = 0; i < list.length; i++) {
    if (i > 0 && list[i].partition === list[i - 1].partition) out[out.length - 1]++;
    else out.push(1);
  }
  return out;
}

describe('keyless records by version, around partitions without a leader', () => {
  // From 2 s after the session timeout expired to the restart.
  for (const [version, fromS] of [['2.3', 18], ['2.8', 30], ['3.7', 21]] as const) {
    it(`Kafka ${version}: from ${fromS} s to b3's restart at 35 s, no record goes to b3's partitions (t-2, t-5)`, () => {
      const during = sends(version).filter((s) => s.t >= fromS * S && s.t < 35 * S);
      expect(during.length).toBeGreaterThan((35 - fromS) * 180);
      expect(during.filter((s) => s.partition === 't-2' || s.partition === 't-5')).toEqual([]);
      expect(new Set(during.map((s) => s.partition))).toEqual(new Set(['t-0', 't-1', 't-3', 't-4']));
    });
  }

  it('Kafka 2.3 goes round-robin, 2.8 sticks per batch (linger.ms 0: a batch per send round), 3.7 sticks for batch.size (163 records)', () => {
    const before = (v: string) => sends(v).filter((s) => s.t < 10 * S);
    expect(Math.max(...runLengths(before('2.3')))).toBe(1);
    const perBatch = runLengths(before('2.8'));
    expect(Math.max(...perBatch)).toBeLessThan(163);
    const uniform = runLengths(before('3.7'));
    // Every run but the last is a multiple of 163 records (a redraw may pick the same partition).
    for (const n of uniform.slice(0, -1)) expect(n % 163).toBe(0);
  });
});
