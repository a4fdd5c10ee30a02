// Head-of-line blocking on hand-written histories (head-of-line-blocking.ts): b1 leads orders-0
// and orders-1; an acks=all writer's request to b1 carries a batch of each (appended together),
// orders-1's commits at once, orders-0's high watermark stands still from 1 s to 4 s (a stall:
// longer than replica.fetch.wait.max.ms + replica.fetch.backoff.ms). orders-1 is unavailable to
// acks=all writers while every writer's connection to b1 waits on orders-0 so; decoys: a writer
// whose connection is free, a wait ended by the request's timeout or by b1 giving orders-0 up.
import { describe, expect, it } from 'vitest';
import { TestRun, type TestProducer } from '../checkers/kafka-test-run.ts';
import type { KafkaRunSummary } from './run-summary.ts';

const WRITERS: TestProducer[] = [
  { name: 'p1', acks: 'all' },
  { name: 'p2', acks: 'all' },
];

/** b1 leads both partitions from 10 ms with a full ISR. */
function ledByB1(producers: TestProducer[] = WRITERS): TestRun {
  let run = new TestRun({ producers, partitions: 2 });
  for (const p of ['orders-0', 'orders-1']) run = run.election(0, 'initial', 'b1', 0, ['b1', 'b2', 'b3'], 0, null, p).becomeLeader(10, 'b1', 0, p);
  return run;
}

/** `producer`'s request read by b1 at atMs: record r0 to orders-0 at offset o0, r1 to orders-1 at o1; orders-1 commits 2 ms later. */
function request(run: TestRun, atMs: number, producer: string, r0: number, o0: number, r1: number, o1: number): TestRun {
  return run
    .send(atMs - 1, producer, r0, 'orders-0')
    .send(atMs - 1, producer, r1, 'orders-1')
    .append(atMs, 'b1', [r0], o0, 0, 'leader', 'orders-0')
    .append(atMs, 'b1', [r1], o1, 0, 'leader', 'orders-1')
    .hw(atMs + 2, 'b1', o1 + 1, 0, 'orders-1');
}

function acksAll(summary: KafkaRunSummary, partition: string) {
  return summary.unavailablePartitions.find((r) => r.partition === partition && r.clients === 'acks=all');
}

describe('head-of-line blocking', () => {
  it("the only writer's request waits on stalled orders-0: orders-1 is unavailable as long, held behind it", () => {
    const { summary, lines } = request(ledByB1([WRITERS[0]]), 1000, 'p1', 0, 0, 1, 0).hw(4000, 'b1', 1, 0, 'orders-0').finish(20_000, undefined);
    expect(acksAll(summary, 'orders-0')).toMatchObject({ unavailableMs: 3000, hwStalledMs: 3000, headOfLineBlockedMs: 0 });
    expect(acksAll(summary, 'orders-1')).toMatchObject({ unavailableMs: 3000, hwStalledMs: 0, headOfLineBlockedMs: 3000, spells: 1, unavailableAtEnd: false });
    expect(lines[1]).toBe(
      'partition-side unavailability for acks=all writers: 6.0 s in all over 2 partitions (3.0 s of it with the high watermark stalled, ' +
        "3.0 s held behind another partition's produce request); orders-0 3.0 s (all stalled), orders-1 3.0 s (all held behind another partition)",
    );
  });

  it('every writer must be held: p2 writing orders-1 alone keeps it available, until p2 goes down', () => {
    const free = request(ledByB1(), 1000, 'p1', 0, 0, 1, 0)
      .send(1499, 'p2', 2, 'orders-1')
      .append(1500, 'b1', [2], 1, 0, 'leader', 'orders-1')
      .hw(1502, 'b1', 2, 0, 'orders-1');
    const { summary } = free.hw(4000, 'b1', 1, 0, 'orders-0').finish(20_000, undefined);
    expect(acksAll(summary, 'orders-1')).toBeUndefined();
    // Both held: p2's request of 1.5 s waits on orders-0 as well, from then on.
    const both = request(request(ledByB1(), 1000, 'p1', 0, 0, 1, 0), 1500, 'p2', 2, 1, 3, 1).hw(4000, 'b1', 2, 0, 'orders-0').finish(20_000, undefined);
    expect(acksAll(both.summary, 'orders-1')).toMatchObject({ headOfLineBlockedMs: 2500 });
    // p2 down at 2 s: p1 is the only writer with a connection from then on.
    const down = request(ledByB1(), 1000, 'p1', 0, 0, 1, 0).down(2000, 'p2').hw(4000, 'b1', 1, 0, 'orders-0').finish(20_000, undefined);
    expect(acksAll(down.summary, 'orders-1')).toMatchObject({ headOfLineBlockedMs: 2000 });
  });

  it("a wait ends with the request's timeout (request.timeout.ms, 30 s), with b1 giving orders-0 up, or with the writer going down", () => {
    const timedOut = request(ledByB1([WRITERS[0]]), 1000, 'p1', 0, 0, 1, 0).finish(60_000, undefined);
    expect(acksAll(timedOut.summary, 'orders-0')).toMatchObject({ hwStalledMs: 59_000, unavailableAtEnd: true });
    expect(acksAll(timedOut.summary, 'orders-1')).toMatchObject({ headOfLineBlockedMs: 30_000, unavailableAtEnd: false });

    const resigned = request(ledByB1([WRITERS[0]]), 1000, 'p1', 0, 0, 1, 0)
      .election(2600, 'clean', 'b2', 1, ['b2', 'b3'], 0, 'b1', 'orders-0')
      .becomeLeader(2605, 'b2', 1, 'orders-0')
      .resignLeader(2700, 'b1', 0, 'new-leader', 'orders-0')
      .finish(20_000, undefined);
    // orders-0 stalled until the election, then led by nobody for 5 ms; b1, deposed, answers the
    // waiting batch (NOT_LEADER_OR_FOLLOWER) only at 2.7 s, but orders-0 is served by b2 from 2.605 s.
    expect(acksAll(resigned.summary, 'orders-0')).toMatchObject({ unavailableMs: 1605, hwStalledMs: 1600 });
    expect(acksAll(resigned.summary, 'orders-1')).toMatchObject({ headOfLineBlockedMs: 1605 });

    const crashed = request(ledByB1([WRITERS[0]]), 1000, 'p1', 0, 0, 1, 0).down(3000, 'p1').up(3100, 'p1').hw(4000, 'b1', 1, 0, 'orders-0').finish(20_000, undefined);
    expect(acksAll(crashed.summary, 'orders-1')).toMatchObject({ headOfLineBlockedMs: 2000 });
  });

  it('a deposed leader that has not heard holds the request it took for the partition it lost', () => {
    // The controller moves orders-0 to b2 at 1 s, which p1 cannot reach until 3.5 s; b1, not told
    // yet, still appends p1's batch for it (p1's metadata is as old), and gives orders-0 up at 3 s.
    const { summary } = ledByB1([WRITERS[0]])
      .links(1000, ['b2'], ['p1'], true)
      .election(1000, 'clean', 'b2', 1, ['b2', 'b3'], 0, 'b1', 'orders-0')
      .becomeLeader(1004, 'b2', 1, 'orders-0')
      .send(1499, 'p1', 0, 'orders-0')
      .send(1499, 'p1', 1, 'orders-1')
      .append(1500, 'b1', [0], 0, 0, 'leader', 'orders-0')
      .append(1500, 'b1', [1], 0, 0, 'leader', 'orders-1')
      .hw(1502, 'b1', 1, 0, 'orders-1')
      .resignLeader(3000, 'b1', 0, 'new-leader', 'orders-0')
      .links(3500, ['b2'], ['p1'], false)
      .finish(20_000, undefined);
    expect(acksAll(summary, 'orders-0')).toMatchObject({ unavailableMs: 2500, headOfLineBlockedMs: 0 });
    expect(acksAll(summary, 'orders-1')).toMatchObject({ headOfLineBlockedMs: 1500 });
  });

  it('decoys: a commit slow but not stalled, an acks=1 writer, a request with nothing for orders-0', () => {
    // orders-0 commits 1.4 s later: under the bound, slow.
    const slow = request(ledByB1([WRITERS[0]]), 1000, 'p1', 0, 0, 1, 0).hw(2400, 'b1', 1, 0, 'orders-0').finish(20_000, undefined);
    expect(slow.summary.unavailablePartitions).toEqual([]);
    // acks=1: b1 answered at once; the stall is orders-0's own (the acks=all writer p1 only writes orders-1).
    const acks1 = ledByB1([WRITERS[0], { name: 'p2', acks: '1' }])
      .send(999, 'p2', 0, 'orders-0')
      .send(999, 'p2', 1, 'orders-1')
      .append(1000, 'b1', [0], 0, 0, 'leader', 'orders-0')
      .append(1000, 'b1', [1], 0, 0, 'leader', 'orders-1')
      .hw(1002, 'b1', 1, 0, 'orders-1')
      .hw(4000, 'b1', 1, 0, 'orders-0')
      .finish(20_000, undefined);
    expect(acks1.summary.unavailablePartitions.map((r) => [r.partition, r.clients, r.headOfLineBlockedMs])).toEqual([['orders-0', 'acks=all', 0]]);
  });
});
