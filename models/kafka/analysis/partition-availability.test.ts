// Unavailability as clients feel it, on hand-written histories: model events (elections, ISR
// changes, leadership taken and given up) and kernel changes (nodes down and up, pauses, cut
// links) fed through the Kafka checkers as a run would feed them. Each case states the expected
// milliseconds per kind of client; decoys (a follower crash, a non-leader isolated) must count
// nothing.
import { describe, expect, it } from 'vitest';
import type { PartitionUnavailabilityRow } from './availability-summary.ts';
import { TestRun, type TestProducer } from '../checkers/kafka-test-run.ts';
import type { KafkaRunSummary } from './run-summary.ts';

const BOTH: TestProducer[] = [
  { name: 'p1', acks: 'all' },
  { name: 'p2', acks: '1' },
];

/** orders-0 with b1 elected and leading from 10 ms (counting starts there). */
function ledByB1(producers: TestProducer[] = BOTH, minInsyncReplicas = 2): TestRun {
  return new TestRun({ producers, minInsyncReplicas }).election(0, 'initial', 'b1', 0, ['b1', 'b2', 'b3'], 0).becomeLeader(10, 'b1', 0);
}

/** Unavailable ms of orders-0 per kind of client ({} when none). */
function unavailableMs(summary: KafkaRunSummary): Record<string, number> {
  const out: Record<string, number> = {};
  for (const row of summary.unavailablePartitions) if (row.partition === 'orders-0') out[row.clients] = row.unavailableMs;
  return out;
}

function row(summary: KafkaRunSummary, clients: string): PartitionUnavailabilityRow | undefined {
  return summary.unavailablePartitions.find((r) => r.partition === 'orders-0' && r.clients === clients);
}

describe('partition availability as clients feel it', () => {
  it('every replica powered off for 5 s: unavailable from the power loss until a leader serves again, though the controller never acted', () => {
    const { summary } = ledByB1()
      .down(1000, 'b1', 'power-loss')
      .down(1000, 'b2', 'power-loss')
      .down(1000, 'b3', 'power-loss')
      .up(6000, 'b1')
      .up(6000, 'b2')
      .up(6000, 'b3')
      .becomeLeader(6040, 'b1', 0) // the restarted b1 takes leadership again from the metadata
      .finish(20_000, undefined);
    expect(unavailableMs(summary)).toEqual({ 'acks=all': 5040, 'acks=0/1': 5040 });
    expect(row(summary, 'acks=all')).toMatchObject({ spells: 1, unavailableAtEnd: false, isrBelowMinMs: 0 });
  });

  it('a leader crash counts from the crash, not from the fencing election 9 s later', () => {
    const { summary, lines } = ledByB1()
      .down(1000, 'b1')
      .election(10_000, 'clean', 'b2', 1, ['b2', 'b3'], 0, 'b1')
      .becomeLeader(10_003, 'b2', 1)
      .finish(20_000, undefined);
    expect(unavailableMs(summary)).toEqual({ 'acks=all': 9003, 'acks=0/1': 9003 });
    expect(lines[1]).toBe('partition-side unavailability for acks=all writers: 9.0 s in all over 1 partition; orders-0 9.0 s');
    expect(lines[2]).toBe('partition-side unavailability for acks=0/1 writers: 9.0 s in all over 1 partition; orders-0 9.0 s');
  });

  it('the ISR below min.insync.replicas stops acks=all writers only: an acks=1-only topic stays available', () => {
    const shrink = (producers: TestProducer[]) =>
      ledByB1(producers).isr(1000, 'isr-shrink', ['b1'], 0).isr(4000, 'isr-expand', ['b1', 'b2'], 0).finish(20_000, undefined);
    const acks1Only = shrink([{ name: 'p2', acks: '1' }]);
    expect(acks1Only.summary.unavailablePartitions).toEqual([]);
    expect(acks1Only.summary.unavailabilityByClients.map((t) => t.clients)).toEqual(['acks=0/1']);
    expect(acks1Only.lines[1]).toBe('partition-side unavailability for acks=all writers: n/a (the scenario has none)');
    expect(acks1Only.lines[2]).toBe('partition-side unavailability for acks=0/1 writers: none');

    const both = shrink(BOTH);
    expect(unavailableMs(both.summary)).toEqual({ 'acks=all': 3000 });
    expect(row(both.summary, 'acks=all')).toMatchObject({ isrBelowMinMs: 3000, minInsyncReplicas: 2 });
    expect(both.lines[1]).toBe(
      'partition-side unavailability for acks=all writers: 3.0 s in all over 1 partition (3.0 s of it with the ISR below min.insync.replicas); ' +
        'orders-0 3.0 s (all with the ISR below min.insync.replicas=2)',
    );
  });

  it('a leader cut off from its producers, not from the controller, is unavailable while cut off', () => {
    const { summary } = ledByB1().links(2000, ['b1'], ['p1', 'p2'], true).links(5500, ['b1'], ['p1', 'p2'], false).finish(20_000, undefined);
    expect(unavailableMs(summary)).toEqual({ 'acks=all': 3500, 'acks=0/1': 3500 });
  });

  it('a leader that only some writers reach still serves: each kind needs one of its writers to reach it', () => {
    // p2 (acks=1) is cut off from b1, p1 (acks=all) is not.
    const { summary } = ledByB1().links(2000, ['b1'], ['p2'], true).finish(20_000, undefined);
    expect(unavailableMs(summary)).toEqual({ 'acks=0/1': 18_000 });
    expect(row(summary, 'acks=0/1')?.unavailableAtEnd).toBe(true);
  });

  it('a paused leader serves nobody until it resumes', () => {
    const { summary } = ledByB1().pause(3000, 'b1').resume(3700, 'b1').finish(20_000, undefined);
    expect(unavailableMs(summary)).toEqual({ 'acks=all': 700, 'acks=0/1': 700 });
  });

  it('a controlled shutdown: unavailable from the old leader stopping to the new one taking over', () => {
    const { summary, lines } = ledByB1()
      .election(5000, 'controlled-shutdown', 'b2', 1, ['b2', 'b3'], 0, 'b1')
      .resignLeader(5001, 'b1', 0, 'shutdown')
      .becomeLeader(5002, 'b2', 1)
      .finish(20_000, undefined);
    expect(lines[1]).toBe('partition-side unavailability for acks=all writers: 2 ms in all over 1 partition; orders-0 2 ms');
    // acks=all: b1 is not the current leader from the election at 5000 until b2 leads at 5002;
    // acks=1: b1 serves until it stops at 5001, then b2 from 5002.
    expect(unavailableMs(summary)).toEqual({ 'acks=all': 2, 'acks=0/1': 1 });
  });

  it('a deposed leader still takes acks=1 writes from the producers it reaches, not acks=all ones', () => {
    // b1 is cut off from the controller and its followers, and p2 (acks=1) from b2 and b3; p1
    // (acks=all) reaches everyone. The controller elects b2 at 10 s; b2 leads 4 ms later.
    const { summary } = ledByB1()
      .links(1000, ['b1'], ['c1', 'b2', 'b3'], true)
      .links(1000, ['p2'], ['b2', 'b3'], true)
      .election(10_000, 'clean', 'b2', 1, ['b2', 'b3'], 0, 'b1')
      .becomeLeader(10_004, 'b2', 1)
      .finish(20_000, undefined);
    expect(unavailableMs(summary)).toEqual({ 'acks=all': 4 });
  });

  it('decoys count nothing: a follower crash, a follower paused, a follower isolated from everyone', () => {
    const { summary, lines } = ledByB1()
      .down(1000, 'b2')
      .up(3000, 'b2')
      .pause(4000, 'b3')
      .resume(6000, 'b3')
      .links(7000, ['b3'], ['b1', 'b2', 'c1', 'p1', 'p2'], true)
      .links(9000, ['b3'], ['b1', 'b2', 'c1', 'p1', 'p2'], false)
      .finish(20_000, undefined);
    expect(summary.unavailablePartitions).toEqual([]);
    expect(lines[1]).toBe('partition-side unavailability for acks=all writers: none');
  });

  it('a partition never led counts from its first election; before the first leadership nothing counts', () => {
    const never = new TestRun({ producers: BOTH }).election(2000, 'initial', 'b1', 0, ['b1', 'b2', 'b3'], 0).finish(10_000, undefined);
    expect(unavailableMs(never.summary)).toEqual({ 'acks=all': 8000, 'acks=0/1': 8000 });
    expect(row(never.summary, 'acks=all')?.unavailableAtEnd).toBe(true);
    const late = new TestRun({ producers: BOTH }).election(0, 'initial', 'b1', 0, ['b1', 'b2', 'b3'], 0).becomeLeader(2000, 'b1', 0).finish(10_000, undefined);
    expect(late.summary.unavailablePartitions).toEqual([]);
  });

  it('a first leader cut off before it took leadership, replaced by a second election: unavailable from the first election to the second leader taking over', () => {
    // Fresh-user trial: check-small with b3 isolated at 100.1 ms, just after the controller elected
    // it for orders-0 at 100 ms: b2 took over at 9.2 s, and the 9.1 s read "none".
    const { summary } = new TestRun({ producers: BOTH })
      .election(100, 'initial', 'b3', 0, ['b3', 'b2', 'b1'], 0)
      .election(9200, 'clean', 'b2', 1, ['b2', 'b1'], 0, 'b3')
      .becomeLeader(9201, 'b2', 1)
      .finish(20_000, undefined);
    expect(unavailableMs(summary)).toEqual({ 'acks=all': 9101, 'acks=0/1': 9101 });
  });

  it('a restarted broker serves nothing until it takes leadership again', () => {
    const { summary } = ledByB1().down(1000, 'b1').up(1200, 'b1').becomeLeader(1500, 'b1', 0).finish(20_000, undefined);
    expect(unavailableMs(summary)).toEqual({ 'acks=all': 500, 'acks=0/1': 500 });
  });

  it('readers need the current leader; __consumer_offsets counts its own elections and unavailability apart from user topics', () => {
    const run = new TestRun({ producers: [{ name: 'p1', acks: 'all' }], groups: [{ groupId: 'billing', commits: ['after-processing'] }] });
    const offsets = '__consumer_offsets-0';
    const { summary, lines } = run
      .election(0, 'initial', 'b1', 0, ['b1', 'b2', 'b3'], 0)
      .becomeLeader(10, 'b1', 0)
      .election(0, 'initial', 'b2', 0, ['b2', 'b3', 'b1'], 0, null, offsets)
      .becomeLeader(10, 'b2', 0, offsets)
      .down(1000, 'b2') // the group's coordinator
      .election(10_000, 'clean', 'b3', 1, ['b3', 'b1'], 0, 'b2', offsets)
      .becomeLeader(10_005, 'b3', 1, offsets)
      .links(12_000, ['b1'], ['m1'], true) // the reader loses the user partition's leader
      .links(12_300, ['b1'], ['m1'], false)
      .finish(20_000, undefined);
    expect(summary.unavailablePartitions.map((r) => [r.partition, r.clients, r.unavailableMs])).toEqual([
      [offsets, 'groups', 9005],
      ['orders-0', 'readers', 300],
    ]);
    expect(summary).toMatchObject({ electionsInitial: 1, electionsClean: 0, offsetsPartitions: 1, offsetsElectionsInitial: 1, offsetsElectionsClean: 1 });
    expect(lines).toContain('partition-side unavailability for readers: 300 ms in all over 1 partition; orders-0 300 ms');
    expect(lines).toContain(
      '__consumer_offsets: elections 1 clean, 0 unclean, 0 preferred, 0 controlled-shutdown, 0 left offline; ' +
        'partition-side unavailability for its groups: 9.0 s in all over 1 partition; __consumer_offsets-0 9.0 s',
    );
  });

  describe('a stalled high watermark (standing still longer than replica.fetch.wait.max.ms + replica.fetch.backoff.ms, 1.5 s by default)', () => {
    /** b1 leads orders-0 with a full ISR and appends record r at offset r at the given times. */
    const appends = (run: TestRun, times: number[]) => times.reduce((r, atMs, i) => r.append(atMs, 'b1', [i], i, 0, 'leader'), run);

    it('a high watermark that moves at least every 1.5 s is slow, not stalled; one still for 2.5 s with a record above it: acks=all writers and readers waited 2.5 s, acks=1 writers never', () => {
      const readers = { producers: BOTH, groups: [{ groupId: 'g', commits: ['after-processing' as const] }] };
      const ledWithReaders = () => new TestRun(readers).election(0, 'initial', 'b1', 0, ['b1', 'b2', 'b3'], 0).becomeLeader(10, 'b1', 0);
      // A slow follower: records every 200 ms, each committed 1.2 s later, the HW moving every second.
      let slow = appends(ledWithReaders(), [1000, 1200, 1400, 1600, 1800, 2000, 2200, 2400]);
      for (const [atMs, hw] of [[2300, 2], [3300, 7], [4300, 8]]) slow = slow.hw(atMs, 'b1', hw, 0);
      expect(slow.finish(20_000, undefined).summary.unavailablePartitions.filter((r) => r.partition === 'orders-0')).toEqual([]);

      const stalled = appends(ledWithReaders(), [1000, 1200]).hw(3500, 'b1', 2, 0).finish(20_000, undefined);
      expect(unavailableMs(stalled.summary)).toEqual({ 'acks=all': 2500, readers: 2500 });
      expect(row(stalled.summary, 'acks=all')).toMatchObject({ hwStalledMs: 2500, isrBelowMinMs: 0, spells: 1, unavailableAtEnd: false });
      expect(stalled.lines[1]).toBe(
        'partition-side unavailability for acks=all writers: 2.5 s in all over 1 partition (2.5 s of it with the high watermark stalled); orders-0 2.5 s (all stalled)',
      );
      // Still for 1.4 s: under the bound.
      const brief = appends(ledWithReaders(), [1000]).hw(2400, 'b1', 1, 0).finish(20_000, undefined);
      expect(brief.summary.unavailablePartitions.filter((r) => r.partition === 'orders-0')).toEqual([]);
    });

    it('a stall still running at the end is open at the end; one ended by the leader going down counts until then, and no longer', () => {
      const open = appends(ledByB1(), [1000]).finish(20_000, undefined);
      expect(unavailableMs(open.summary)).toEqual({ 'acks=all': 19_000 });
      expect(row(open.summary, 'acks=all')?.unavailableAtEnd).toBe(true);
      // b1 goes down at 3 s (its stall ends there, the outage goes on without a leader) and leads again at 4 s.
      const down = appends(ledByB1(), [1000]).down(3000, 'b1').up(3500, 'b1').becomeLeader(4000, 'b1', 0).hw(4100, 'b1', 1, 0).finish(20_000, undefined);
      expect(unavailableMs(down.summary)).toEqual({ 'acks=all': 3000, 'acks=0/1': 1000 });
      expect(row(down.summary, 'acks=all')).toMatchObject({ hwStalledMs: 2000, spells: 1, unavailableAtEnd: false });
    });

    it('time both stalled and with the ISR below min.insync.replicas counts once', () => {
      const { summary } = appends(ledByB1(), [1000])
        .isr(3000, 'isr-shrink', ['b1'], 0)
        .hw(3000, 'b1', 1, 0) // the ISR of the leader alone: the high watermark moves to its log end
        .isr(5000, 'isr-expand', ['b1', 'b2'], 0)
        .finish(20_000, undefined);
      expect(unavailableMs(summary)).toEqual({ 'acks=all': 4000 });
      expect(row(summary, 'acks=all')).toMatchObject({ isrBelowMinMs: 2000, hwStalledMs: 2000, spells: 1 });
    });

    it("readers' stall names the ISR below min.insync.replicas where the version's HW waits for it (KAFKA-15583, 3.7); decoy: 3.6's does not", () => {
      const stalledBelowMinIsr = (kafkaVersion: '3.6' | '3.7') =>
        appends(new TestRun({ kafkaVersion, producers: BOTH, groups: [{ groupId: 'g', commits: ['after-processing' as const] }] }).election(0, 'initial', 'b1', 0, ['b1', 'b2', 'b3'], 0).becomeLeader(10, 'b1', 0), [1000])
          .isr(3000, 'isr-shrink', ['b1'], 0)
          .finish(20_000, undefined);
      const waits = stalledBelowMinIsr('3.7');
      expect(row(waits.summary, 'readers')).toMatchObject({ hwStalledMs: 19_000, hwStalledIsrBelowMinMs: 17_000 });
      expect(waits.lines.find((l) => l.includes('for readers'))).toContain(
        'orders-0 19.0 s (all stalled, 17.0 s of it with the ISR below min.insync.replicas=2, which the high watermark waits for from Kafka 3.7 (KAFKA-15583), still at end)',
      );
      const old = stalledBelowMinIsr('3.6');
      expect(row(old.summary, 'readers')?.hwStalledIsrBelowMinMs).toBeUndefined();
      expect(old.lines.find((l) => l.includes('for readers'))).toContain('orders-0 19.0 s (all stalled, still at end)');
    });

    it('decoys: a deposed leader\'s appends that never commit, and a follower\'s high watermark, are not stalls of the partition', () => {
      const { summary } = ledByB1()
        .election(1000, 'clean', 'b2', 1, ['b2', 'b3'], 0, 'b1')
        .becomeLeader(1010, 'b2', 1)
        .append(1500, 'b1', [7], 0, 0, 'leader') // b1 has not heard yet: an acks=1 write it will lose
        .append(1600, 'b2', [8], 0, 1, 'leader')
        .hw(1602, 'b2', 1, 1)
        .hw(9000, 'b3', 1, 1) // a follower learning the high watermark late
        .finish(20_000, undefined);
      expect(unavailableMs(summary)).toEqual({ 'acks=all': 10 });
    });
  });
});
