// LogManager's background tasks run as Kafka's LogManager.startup schedules them: first
// log.initial.task.delay.ms (InitialTaskDelayMs, 30 s) after each start of the broker process, then
// every period; the flusher's period is log.flush.scheduler.interval.ms, by default Long.MAX_VALUE,
// so flush.ms alone flushes once, 30 s after the start, and never again.
import { describe, expect, it } from 'vitest';
import type { Fault } from '../../../src/faults/fault.ts';
import type { KafkaOperation } from '../scenario/kafka-scenario.ts';
import type { BrokerConfig } from '../config/broker-configs.ts';
import { runKafka } from '../testing/kafka-test-cluster.ts';
import { resolve } from '../testing/resolved-config.ts';
import { refusal } from '../testing/scenario-run.ts';

/** b1 alone hosts t-0 (100-byte records, 10 to a segment); p1 writes one record every 100 ms from 0.1 s until untilMs. */
function singleReplica(o: { brokerConfig?: Partial<BrokerConfig>; topicConfig?: Record<string, number>; faults?: Fault[]; operations?: KafkaOperation[]; untilMs: number; durationMs: number }) {
  const sends: [number, null][] = [];
  for (let ms = 100; ms <= o.untilMs; ms += 100) sends.push([ms, null]);
  return runKafka({
    // No kernel writeback pass ever runs: what survives a power loss is what Kafka fsynced.
    brokers: [
      { name: 'b1', az: 'az1', storage: { dirtyWritebackMs: 0 } },
      { name: 'b2', az: 'az2' },
      { name: 'b3', az: 'az3' },
    ],
    brokerConfig: { 'log.retention.check.interval.ms': 1000, ...o.brokerConfig },
    topics: [{ name: 't', replicas: [['b1']], config: { 'log.segment.bytes': 1000, ...o.topicConfig } }],
    producers: [{ name: 'p1', topic: 't', recordBytes: 100, config: { acks: '1' }, sends }],
    faults: o.faults ?? [],
    operations: o.operations ?? [],
    durationMs: o.durationMs,
  });
}

/** When b1's own retention checks moved t-0's log start, in ms. */
function retentionMovesMs(r: ReturnType<typeof runKafka>): number[] {
  return r.events.filter((e) => e.event.type === 'retention' && e.node === 'b1' && e.event.cause === undefined).map((e) => e.timeUs / 1000);
}

/** Records b1's power loss at 60 s took from t-0. */
function lostAtPowerLoss(brokerConfig: Partial<BrokerConfig>, topicConfig: Record<string, number>): number {
  // Segments too large to roll (a roll fsyncs): only the flusher fsyncs.
  const r = singleReplica({ brokerConfig, topicConfig: { 'log.segment.bytes': 1_000_000, ...topicConfig }, faults: [{ atMs: 60_000, kind: 'power-loss', node: 'b1', durationMs: 1000 }], untilMs: 59_900, durationMs: 62_000 });
  return r.of('log-lost').reduce((n, e) => n + (e.removed as number[]).length, 0);
}

describe('LogManager tasks: first run log.initial.task.delay.ms after each process start', () => {
  const retention = { 'log.retention.ms': 1000 };

  it('the retention check first runs 30 s after the broker starts, then every log.retention.check.interval.ms', () => {
    const moves = retentionMovesMs(singleReplica({ topicConfig: retention, untilMs: 40_000, durationMs: 40_000 }));
    expect(moves[0]).toBeGreaterThanOrEqual(30_000);
    expect(moves[0]).toBeLessThan(30_100);
    expect(moves.length).toBeGreaterThan(5);
    const early = retentionMovesMs(singleReplica({ brokerConfig: { 'log.initial.task.delay.ms': 5000 }, topicConfig: retention, untilMs: 10_000, durationMs: 10_000 }));
    expect(early[0]).toBeGreaterThanOrEqual(5000);
    expect(early[0]).toBeLessThan(5100);
  });

  it('a restarted broker waits the delay again: after a crash, and after a controlled shutdown (whose stop cancels the tasks)', () => {
    const crashed = retentionMovesMs(singleReplica({ topicConfig: retention, faults: [{ atMs: 40_000, kind: 'crash', node: 'b1', durationMs: 2000 }], untilMs: 90_000, durationMs: 90_000 }));
    expect(crashed.filter((ms) => ms >= 40_000 && ms < 72_000)).toEqual([]);
    expect(crashed.filter((ms) => ms >= 72_000).length).toBeGreaterThan(5);
    const stopped = retentionMovesMs(
      singleReplica({ topicConfig: retention, operations: [{ atMs: 40_000, kind: 'controlled-shutdown', broker: 'b1', durationMs: 10_000 }], untilMs: 100_000, durationMs: 100_000 }),
    );
    const restartMs = 50_000;
    // (the check at 40 s itself runs before the shutdown does)
    expect(stopped.filter((ms) => ms > 40_000 && ms < restartMs + 30_000)).toEqual([]);
    const after = stopped.filter((ms) => ms >= restartMs + 30_000);
    expect(after.length).toBeGreaterThan(5);
    // One check a second, not two (a stop leaves no task behind to run beside the restart's).
    for (let i = 1; i < after.length; i++) expect(after[i] - after[i - 1]).toBeGreaterThanOrEqual(900);
  });
});

describe('LogManager flusher: flush.ms only counts when the flusher runs (log.flush.scheduler.interval.ms)', () => {
  it('by default it runs once, 30 s after the start: a power loss at 60 s loses everything written after 30 s', () => {
    // 599 records written 0.1..59.9 s; the flush at 30 s kept the 299 appended before it (the one
    // sent at 30 s arrives just after).
    expect(lostAtPowerLoss({}, { 'log.flush.interval.ms': 1000 })).toBe(300);
    // Without flush.ms nothing was ever fsynced (segment.bytes is out of reach here).
    expect(lostAtPowerLoss({}, {})).toBe(599);
  });

  it('log.flush.scheduler.interval.ms=1000 runs it every second: at most the last second is lost', () => {
    const lost = lostAtPowerLoss({ 'log.flush.scheduler.interval.ms': 1000 }, { 'log.flush.interval.ms': 1000 });
    expect(lost).toBeGreaterThan(0);
    expect(lost).toBeLessThanOrEqual(10);
    // Logs with no flush.ms of their own take the scheduler interval as theirs (KafkaConfig.logFlushIntervalMs).
    expect(lostAtPowerLoss({ 'log.flush.scheduler.interval.ms': 1000 }, {})).toBeLessThanOrEqual(10);
  });
});

describe('log.initial.task.delay.ms is a config from Kafka 3.8 (KAFKA-16552)', () => {
  const base = {
    model: 'kafka',
    durationMs: 10000,
    preset: 'apache',
    topics: [{ name: 't', partitions: 1 }],
    producers: [{ name: 'p1', az: 'use1-az1', topic: 't', ratePerSec: 10, keys: 5 }],
  };

  it('is refused on 3.7, naming the version, and accepted from 3.8', () => {
    expect(refusal({ ...base, kafkaVersion: '3.7' }, ['log.initial.task.delay.ms=0'])).toMatch(
      /"config\.log\.initial\.task\.delay\.ms": is not a config of Kafka 3\.7: it came in 3\.8 \(KAFKA-16552\)/,
    );
    expect(() => resolve({ ...base, kafkaVersion: '3.8' }, ['log.initial.task.delay.ms=0'])).not.toThrow();
    expect(() => resolve({ ...base, kafkaVersion: '3.7' }, ['log.flush.scheduler.interval.ms=1000'])).not.toThrow();
  });
});
