// Cases ksim once got wrong, each from a public Kafka report or a run a Kafka engineer would try
// (read from the shared case list, ../shared/cases), with the outcome a Kafka engineer expects:
// the right finding, blamed on its real cause, classified right, nothing hidden.
import { describe, expect, it } from 'vitest';
import { MODELS } from '../models/index.ts';
import { readSharedCase } from '../models/kafka/testing/shared-cases.ts';
import { runScenario } from '../models/kafka/testing/scenario-run.ts';
import { readKafkaRunSummary } from '../models/kafka/checkers/run-summary-checker.ts';
import { resolveScenario } from '../src/scenario/resolve-scenario.ts';
import type { RunReport } from '../src/scenario/run-report.ts';
import { runResolved } from '../src/scenario/run-scenario.ts';
import { DEFAULT_FAIL_ON, judgeRun, verdictClassOf } from '../src/scenario/verdict.ts';

function run(name: string, settings: string[] = []): RunReport {
  return runScenarioObject(readSharedCase(name), settings);
}

function runScenarioObject(raw: Record<string, unknown>, settings: string[] = []): RunReport {
  return runResolved(resolveScenario(raw, MODELS, { settings }));
}

/**
 * retention-deletes-unread with w1 paused 8-38 s (the case pauses it 8-23 s): past the first
 * retention check, which Kafka runs 30 s after the broker starts (LogManager.InitialTaskDelayMs).
 */
function pausedPastRetention(): Record<string, unknown> {
  const raw = readSharedCase('retention-deletes-unread');
  const faults = (raw.faults as { durationMs: number }[]).map((f) => ({ ...f, durationMs: 30_000 }));
  return { ...raw, durationMs: 50_000, faults };
}

const of = (report: RunReport, property: string) => report.violations.filter((v) => v.property === property);
const group = (report: RunReport, name: string) => readKafkaRunSummary(report)!.consumerGroups.find((g) => g.group === name)!;

describe('consumer cases', () => {
  it('after-processing-gap-blame: the gap is blamed on the unclean election of orders-0 after the isolations end at 25 s, not the group\'s first reset', () => {
    const report = run('after-processing-gap-blame');
    const gaps = of(report, 'at-least-once');
    expect(gaps).toHaveLength(1);
    // The case's era (Kafka 2.0) runs ZooKeeper, which moves the unclean election to about 30 s
    // (about 28 s and 180 skipped records when the case ran under KRaft).
    const skipped = group(report, 'billing').recordsNeverProcessed;
    expect(skipped).toBeGreaterThanOrEqual(175);
    expect(skipped).toBeLessThanOrEqual(185);
    expect(gaps[0]).toMatchObject({ partition: 'orders-0', classification: 'permitted', permittedBy: 'configuration', count: skipped });
    // 101, not 100: b3 appended offset 100 from b1's late fetch response after its election, so its epoch starts at 101 (Partition.makeLeader)
    expect(gaps[0].reason).toMatch(/^unclean\.leader\.election\.enable=true: unclean election of b\d at (2[5-9]|3[0-2])\.\d+s cut the log of orders-0 to 101 \(its log end when it took over at (2[5-9]|3[0-2])\.\d+s\); era kip-279's consumer does not validate its position after a leader change \(KAFKA-7747 \(KAFKA-7440\), fixed in Kafka 2\.3\), so it read on without noticing/);
    expect(gaps[0].message).not.toMatch(/auto\.offset\.reset/);
  });

  it("after-processing-gap-blame on Kafka 2.1 and 2.2: the brokers fence followers (KIP-320, 2.1), but the consumer validates its position only from 2.3 (KAFKA-7747): it reads on past the truncation, and the gap names the 2.3 fix", () => {
    for (const version of ['2.1', '2.2']) {
      const report = run('after-processing-gap-blame', ['era=current', `kafkaVersion=${version}`]);
      const gaps = of(report, 'at-least-once');
      expect(gaps, version).toHaveLength(1);
      expect(group(report, 'billing').recordsNeverProcessed, version).toBe(180);
      expect(gaps[0]).toMatchObject({ classification: 'permitted', permittedBy: 'configuration', count: 180 });
      expect(gaps[0].reason).toContain(`; Kafka ${version}'s consumer does not validate its position after a leader change (KAFKA-7747 (KAFKA-7440), fixed in Kafka 2.3), so it read on without noticing`);
      expect(of(report, 'nonmonotonic-poll'), version).toEqual([]);
    }
  });

  it('decoy: after-processing-gap-blame on Kafka 2.3: the consumer detects the truncation (its committed offset carries the leader epoch) and goes back to 100: nothing skipped, the step back blamed on the unclean election', () => {
    const report = run('after-processing-gap-blame', ['era=current', 'kafkaVersion=2.3']);
    expect(of(report, 'at-least-once')).toEqual([]);
    expect(group(report, 'billing').recordsNeverProcessed).toBe(0);
    const back = of(report, 'nonmonotonic-poll');
    expect(back).toHaveLength(1);
    expect(back[0]).toMatchObject({ classification: 'permitted', permittedBy: 'configuration' });
    expect(back[0].reason).toMatch(/^billing-a reset by auto\.offset\.reset=earliest \(truncation\); unclean\.leader\.election\.enable=true: unclean election of b\d/);
    expect(back[0].reason).not.toContain('KAFKA-7747');
  });

  it('retention-deletes-unread as written: the pause (8-23 s) ends before the first retention check (LogManager runs it 30 s after the broker starts), so the consumer is never behind the log start', () => {
    const report = run('retention-deletes-unread');
    const g = group(report, 'warehouse');
    // Only the new group's first reset (no committed offset, latest) passed records, and those the
    // group never owed (group-start-positions.ts): no gap, and the summary says where it started.
    expect(g.recordsNeverProcessed).toBe(0);
    expect(g.recordsDeletedUnread).toBe(0);
    expect(g.owedFrom!['clicks-0']).toBeGreaterThan(0);
    expect(g.owedFrom!['clicks-0']).toBeLessThan(100);
    expect(of(report, 'at-least-once')).toEqual([]);
    expect(of(report, 'unseen')).toEqual([]);
  });

  it('retention-deletes-unread with the pause 8-38 s, past the first retention check: records deleted before the paused consumer read them are never processed, permitted by retention and the out-of-range reset', () => {
    const report = runScenarioObject(pausedPastRetention());
    const g = group(report, 'warehouse');
    expect(g.recordsDeletedUnread).toBeGreaterThan(100);
    expect(g.recordsNeverProcessed).toBeGreaterThanOrEqual(g.recordsDeletedUnread);
    const gaps = of(report, 'at-least-once');
    expect(gaps).toHaveLength(1);
    expect(gaps[0]).toMatchObject({ classification: 'permitted', permittedBy: 'configuration', count: g.recordsNeverProcessed });
    expect(gaps[0].reason).toMatch(/retention\.ms=5000: retention deleted them before group warehouse read them; then w1's reset at 38\.\d+s \(out-of-range, auto\.offset\.reset=latest\)/);
    // The causes split the gap (skipped by a reset while still in the log, deleted before the group
    // reached them): their counts add up to the gap, and the message does not lay it all on retention.
    const causeCounts = [...String(gaps[0].reason).matchAll(/\((\d+)\)/g)].map((m) => Number(m[1]));
    expect(causeCounts.length).toBeGreaterThanOrEqual(2);
    expect(causeCounts.reduce((a, b) => a + b, 0)).toBe(g.recordsNeverProcessed);
    expect(String(gaps[0].message)).not.toMatch(/deleted by retention before the group read them/);
    expect(report.violations.filter((v) => v.classification === 'breach')).toEqual([]);
  });

  it('retention-deletes-unread (pause 8-38 s) with 1 GiB segments: nothing closes a segment by size, segment.ms does (LogSegment.shouldRoll), and retention deletes the same way', () => {
    const bigSegments = ['topics.clicks.segment.bytes=1073741824'];
    const byTime = group(runScenarioObject(pausedPastRetention(), [...bigSegments, 'topics.clicks.segment.ms=1000']), 'warehouse');
    expect(byTime.recordsDeletedUnread).toBeGreaterThan(100);
    expect(byTime.recordsNeverProcessed).toBeGreaterThanOrEqual(byTime.recordsDeletedUnread);
    // Kafka's default segment.ms (7 days): the one active segment is never deleted.
    expect(group(runScenarioObject(pausedPastRetention(), bigSegments), 'warehouse').recordsDeletedUnread).toBe(0);
  });

  it("retention-deletes-unread (pause 8-38 s) with b3 restarted: followers take the leader's log start from fetch responses from 0.11 (KIP-107); 0.10's keep their own", () => {
    // The restart shifts b3's retention checks (first 30 s after its process starts) off the others'.
    const raw = pausedPastRetention();
    (raw.faults as unknown[]).push({ atMs: 3000, kind: 'crash', node: 'b3', durationMs: 1500 });
    const moves = (settings: string[]) => {
      const retention = runScenario(raw, settings).events.filter((e) => e[2].type === 'retention' && e[2].partition === 'clicks-0');
      return { adopted: retention.filter((e) => e[2].cause === 'leader'), own: retention.filter((e) => e[2].cause === undefined) };
    };
    const current = moves([]);
    expect(current.adopted.length).toBeGreaterThan(10);
    // b3 follows each of its leader's moves within a fetch, before its own retention check comes round
    expect(new Set(current.adopted.map((e) => e[1]))).toEqual(new Set(['b3']));
    for (const e of current.adopted) {
      const lead = current.own.find((o) => o[2].logStartOffset === e[2].logStartOffset && o[1] !== 'b3')!;
      expect(e[0] - lead[0]).toBeLessThan(100_000);
    }
    const old = moves(['preset=apache', 'kafkaVersion=0.10', 'topics.clicks.unclean.leader.election.enable=false']);
    expect(old.adopted).toEqual([]);
    expect(old.own.length).toBeGreaterThan(0);
  });

  it('group-metadata-lost-with-offsets: a 1 ms isolation costs no ISR place, so the offsets survive; when every in-sync copy burns, the double assignment is permitted by the fault load', () => {
    // As found: the 1 ms isolation of use1-az4 no longer drops b3 from the __consumer_offsets ISR
    // (TCP retransmits), so b3 keeps the group's metadata through the AZ power loss.
    const raw = readSharedCase('group-metadata-lost-with-offsets');
    const kept = runScenarioObject(raw);
    expect(of(kept, 'double-assignment')).toEqual([]);
    expect(kept.violations).toEqual([]);

    // b3 isolated for 11 s is out of that ISR when use1-az1 loses power: every in-sync copy is lost.
    const faults = (raw.faults as { durationMs: number }[]).map((f, i) => (i === 0 ? { ...f, durationMs: 11_000 } : f));
    const report = runScenarioObject({ ...raw, faults });
    const doubles = of(report, 'double-assignment');
    expect(doubles.length).toBeGreaterThan(0);
    for (const v of doubles) {
      expect(verdictClassOf(v)).toBe('fault-load');
      expect(v.reason).toMatch(/every in-sync replica of __consumer_offsets-0 \(b1\) lost its unflushed log \(az-outage of use1-az1 at 12\.007s\)/);
    }
    for (const v of of(report, 'committed-offset-backwards')) expect(verdictClassOf(v)).toBe('fault-load');
    expect(judgeRun(report.violations, DEFAULT_FAIL_ON).failed).toBe(false);
  });

  it('max-poll-interval-storm: commits rejected after the member was removed count as failed; --set max.poll.records=50 ends the storm', () => {
    const storm = run('max-poll-interval-storm');
    const g = group(storm, 'slow');
    expect(g.commitsFailed).toBeGreaterThan(0);
    expect(g.commitsFailedByCause).toEqual({ CommitFailedException: g.commitsFailed });
    expect(g.recordsProcessedMoreThanOnce).toBeGreaterThan(0);
    const liveness = of(storm, 'consumer-liveness');
    expect(liveness[0]).toMatchObject({ classification: 'permitted', permittedBy: 'configuration' });
    expect(liveness[0].reason).toMatch(/^max\.poll\.interval\.ms=10000 is shorter than a batch, max\.poll\.records=500 x 50 ms/);

    const calm = run('max-poll-interval-storm', ['max.poll.records=50']);
    const c = group(calm, 'slow');
    expect(c.rebalances).toBe(1);
    expect(c.recordsProcessedMoreThanOnce).toBe(0);
    expect(c.commitsFailed).toBe(0);
    expect(calm.violations).toEqual([]);
  });
});
