import { describe, expect, it } from 'vitest';
import type { PartitionMeta } from './metadata-image.ts';
import { MetadataLog } from './metadata-log.ts';

const meta = (leader: number, leaderEpoch: number): PartitionMeta => ({ leader, leaderEpoch, partitionEpoch: leaderEpoch, isr: [0, 1], replicas: [0, 1] });

describe('MetadataLog', () => {
  it('publishes versioned images that share what did not change', () => {
    const log = new MetadataLog();
    const partitions = [meta(0, 0), meta(1, 0)];
    const fenced = [false, false];
    const first = log.publish(partitions, fenced, [false, false], [1, 1]);
    partitions[1] = meta(0, 1);
    const second = log.publish(partitions, fenced, [false, false], [1, 1]);
    expect([first.version, second.version, log.version]).toEqual([1, 2, 2]);
    expect(second.partitions[0]).toBe(first.partitions[0]);
    expect(second.partitions[1]).toEqual(meta(0, 1));
    expect(first.partitions[1]).toEqual(meta(1, 0));
    expect(second.fenced).toBe(first.fenced);
    fenced[1] = true;
    const third = log.publish(partitions, fenced, [false, false], [1, 2]);
    expect(third.fenced).toEqual([false, true]);
    expect(third.incarnations).toEqual([1, 2]);
    expect(third.partitions).toBe(second.partitions);
    expect(second.fenced).toEqual([false, false]);
  });

  it('freezes every image so no broker can change one another broker holds', () => {
    const log = new MetadataLog();
    const image = log.publish([meta(0, 0)], [false], [false], [1]);
    expect(Object.isFrozen(image) && Object.isFrozen(image.partitions) && Object.isFrozen(image.partitions[0].isr)).toBe(true);
    expect(() => ((image.partitions as PartitionMeta[])[0] = meta(1, 1))).toThrow(TypeError);
    const next = log.publish([meta(1, 1)], [false], [false], [1]);
    expect(Object.isFrozen(next.partitions[0])).toBe(true);
  });
});
