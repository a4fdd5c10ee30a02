// Readers' unavailability is judged through the member a partition is assigned to, not any member
// of the group: found by a fresh-user trial (2 AZs, the group's members one in each, an AZ
// isolated). The partition led in the isolated AZ but read by the member outside it showed `<1 ms`
// for readers, because the other member, which never fetches it, still reached the leader.
// Decoys: a member cut off from a partition it does not read costs that partition nothing.
import { describe, expect, it } from 'vitest';
import { TestRun } from '../checkers/kafka-test-run.ts';
import type { KafkaRunSummary } from './run-summary.ts';
import { PartitionReaders } from './partition-readers.ts';

/** orders-0 and orders-1, both led by b1 from 10 ms; group g's members m1 and m2. */
function twoReaders(): TestRun {
  const run = new TestRun({ producers: [{ name: 'p1', acks: 'all' }], partitions: 2, groups: [{ groupId: 'g', commits: ['after-processing', 'after-processing'] }] });
  for (const partition of ['orders-0', 'orders-1']) run.election(0, 'initial', 'b1', 0, ['b1', 'b2', 'b3'], 0, null, partition).becomeLeader(10, 'b1', 0, partition);
  return run;
}

/** Readers' unavailable ms per partition ({} when none). */
function readersMs(summary: KafkaRunSummary): Record<string, number> {
  const out: Record<string, number> = {};
  for (const row of summary.unavailablePartitions) if (row.clients === 'readers') out[row.partition] = row.unavailableMs;
  return out;
}

describe('readers are the members a partition is assigned to', () => {
  it('the reader of orders-0 cut off from its leader for 3 s: orders-0 unavailable to readers 3 s though the other member reaches the leader; orders-1, read by that member, not at all', () => {
    const { summary, lines } = twoReaders()
      .assignment(500, 'm1', 1, ['orders-0'])
      .assignment(500, 'm2', 1, ['orders-1'])
      .links(2000, ['b1'], ['m1'], true)
      .links(5000, ['b1'], ['m1'], false)
      .finish(20_000, undefined);
    expect(readersMs(summary)).toEqual({ 'orders-0': 3000 });
    expect(lines).toContain('partition-side unavailability for readers: 3.0 s in all over 2 partitions; orders-0 3.0 s');
  });

  it('the leader moves out of its reader\'s reach: unavailable from the election until the link is back, though the deposed leader it still reaches had not heard', () => {
    const { summary } = twoReaders()
      .assignment(500, 'm1', 1, ['orders-0'])
      .assignment(500, 'm2', 1, ['orders-1'])
      .links(2000, ['b1'], ['p1', 'c1', 'b2', 'b3'], true) // b1 isolated from the rest, m1 still with it
      .links(2000, ['b2', 'b3'], ['m1'], true)
      .election(9000, 'clean', 'b2', 1, ['b2', 'b3'], 0, 'b1', 'orders-0')
      .becomeLeader(9001, 'b2', 1, 'orders-0')
      .links(12_000, ['b2', 'b3'], ['m1'], false)
      .finish(20_000, undefined);
    expect(readersMs(summary)['orders-0']).toBe(3000);
  });

  it('an assignment heard before any event of the partition still decides its readers', () => {
    const run = new TestRun({ producers: [{ name: 'p1', acks: 'all' }], groups: [{ groupId: 'g', commits: ['after-processing', 'after-processing'] }] });
    const { summary } = run
      .assignment(0, 'm1', 1, ['orders-0'])
      .assignment(0, 'm2', 1, [])
      .election(5, 'initial', 'b1', 0, ['b1', 'b2', 'b3'], 0)
      .becomeLeader(10, 'b1', 0)
      .links(2000, ['b1'], ['m1'], true)
      .links(5000, ['b1'], ['m1'], false)
      .finish(20_000, undefined);
    expect(readersMs(summary)).toEqual({ 'orders-0': 3000 });
  });

  it('before any assignment every member counts: one member cut off costs nothing, both cut off do', () => {
    const one = twoReaders().links(2000, ['b1'], ['m1'], true).links(5000, ['b1'], ['m1'], false).finish(20_000, undefined);
    expect(readersMs(one.summary)).toEqual({});
    const both = twoReaders().links(2000, ['b1'], ['m1', 'm2'], true).links(5000, ['b1'], ['m1', 'm2'], false).finish(20_000, undefined);
    expect(readersMs(both.summary)).toEqual({ 'orders-0': 3000, 'orders-1': 3000 });
  });

  it('a partition moved from m1 to m2: m1 reads it until m2 learns it, then m1 cut off costs it nothing', () => {
    const { summary } = twoReaders()
      .assignment(500, 'm1', 1, ['orders-0', 'orders-1'])
      .assignment(500, 'm2', 1, [])
      .links(1000, ['b1'], ['m2'], true) // m2 reads nothing yet: a decoy
      .links(1500, ['b1'], ['m2'], false)
      .assignment(3000, 'm1', 2, ['orders-1']) // m1 learns first: it still reads orders-0 until m2 has it
      .links(3000, ['b1'], ['m1'], true)
      .assignment(3400, 'm2', 2, ['orders-0'])
      .links(6000, ['b1'], ['m1'], false)
      .finish(20_000, undefined);
    expect(readersMs(summary)).toEqual({ 'orders-0': 400, 'orders-1': 3000 });
  });
});

describe('PartitionReaders', () => {
  it('per subscribed group, the holders of a partition; the last holders while none holds it; every member before the group assigns it', () => {
    const readers = new PartitionReaders([
      { groupId: 'a', topics: ['orders'], members: [5, 4] },
      { groupId: 'b', topics: ['orders'], members: [6] },
      { groupId: 'c', topics: ['other'], members: [7] },
    ]);
    expect(readers.readersOf('orders-0')).toEqual([4, 5, 6]);
    expect(readers.onAssignment('a', 4, ['orders-0'])).toEqual(['orders-0']);
    expect(readers.readersOf('orders-0')).toEqual([4, 6]);
    expect(readers.readersOf('orders-1')).toEqual([4, 5, 6]);
    expect(readers.onAssignment('a', 4, ['orders-1']).sort()).toEqual(['orders-0', 'orders-1']);
    expect(readers.readersOf('orders-0')).toEqual([4, 6]); // given up, not yet taken: 4 held it last
    expect(readers.readersOf('orders-1')).toEqual([4, 6]);
    readers.onAssignment('a', 5, ['orders-0']);
    expect(readers.readersOf('orders-0')).toEqual([5, 6]);
    expect(readers.onAssignment('nosuch', 4, ['orders-0'])).toEqual([]);
  });
});
