// An idempotent producer keeps send order when a later batch reaches a new leader that has no state
// for it. Found by `ksim check` (check-small, seed 5, run 8,717): the producer restarts (new
// producer id) during an AZ outage, its first batches go to the isolated old leader of orders-1,
// and later ones to the new leader, which accepts any first sequence from a producer it does not
// know (ProducerAppendInfo.checkSequence since KIP-360; KAFKA-15591 narrows that only for a
// partition that never held a record). The earlier batches then come back
// OUT_OF_ORDER_SEQUENCE_NUMBER; Kafka's producer retries a batch that is not the next sequence as
// it is (TransactionManager.canRetry) until delivery.timeout.ms, so they are never written behind
// the later ones. The model used to fail the first of them and bump the epoch, which wrote the
// rest out of order: a false nonmonotonic-send breach. (The seed is the first after the original
// that reaches the same situation once generated records were materialised lazily, which reorders
// same-instant events and so the network's draws.) Since a broker reads one request at a time per
// connection (SocketServer), the producer's requests queue behind parked ones and the run unfolds
// differently: with the AZ outage at 2.3 s for 2 s the situation comes on orders-0, whose new
// leader b2 takes a later batch past the gap.
import { describe, expect, it } from 'vitest';
import checkSmall from '../models/kafka/presets/check-small.scenario.json' with { type: 'json' };
import { readCoverage } from '../models/kafka/checkers/coverage-observer.ts';
import { runScenario } from '../models/kafka/testing/scenario-run.ts';

const SETTINGS = (
  'acks=all min.insync.replicas=2 unclean.leader.election.enable=false enable.idempotence=true replica.lag.time.max.ms=30000 ' +
  'replica.fetch.wait.max.ms=500 log.flush.interval.messages=9007199254740991 linger.ms=5 max.in.flight.requests.per.connection=5 ' +
  'request.timeout.ms=30000 auto.leader.rebalance.enable=true leader.imbalance.check.interval.seconds=300 broker.rack=az'
).split(' ');

function run(extra: string[] = [], seed = '643032978') {
  const scenario = {
    ...structuredClone(checkSmall),
    seed,
    faults: [
      { atMs: 1301, kind: 'isolate-node', node: '@leader:orders-1', durationMs: 9900 },
      { atMs: 2323, kind: 'az-outage', az: 'use1-az1', durationMs: 2000 },
    ],
  };
  return runScenario(scenario, [...SETTINGS, ...extra]);
}

/** The partition whose new leader takes a later batch past the gap. */
const P = 'orders-0';

const outOfOrder = (events: ReturnType<typeof run>['events']) =>
  events.filter(([, , e]) => e.type === 'produce-error' && e.partition === P && e.error === 'OUT_OF_ORDER_SEQUENCE_NUMBER');

describe('idempotent producer: a new leader without state for the producer', () => {
  const { report, events } = run();

  it('reaches the situation: a later batch is acknowledged by the new leader, an earlier one comes back out of order', () => {
    expect(outOfOrder(events).length).toBeGreaterThan(0);
    expect(events.some(([, node, e]) => node === 'b2' && e.type === 'unknown-producer-append' && e.partition === P)).toBe(true);
    const restarted = events.some(([, node, e]) => node === 'p1' && e.type === 'send-fail' && e.error === 'PRODUCER_CRASHED');
    expect(restarted).toBe(true);
    expect(readCoverage(report)).toContain('sequence accepted past a gap');
    expect(readCoverage(run(['max.in.flight.requests.per.connection=1']).report)).not.toContain('sequence accepted past a gap');
  });

  it('keeps send order: no nonmonotonic-send, and the earlier batches are not failed for being out of order', () => {
    expect(report.violations.filter((v) => v.property === 'nonmonotonic-send')).toEqual([]);
    const failedOutOfOrder = events.filter(([, , e]) => e.type === 'send-fail' && e.error === 'OUT_OF_ORDER_SEQUENCE_NUMBER');
    expect(failedOutOfOrder).toEqual([]);
  });

  // Not reached since the broker reads one request per connection at a time: in 40 s runs of this
  // situation (this seed and the 18 others of the next 400 that reach it) batches expire, but
  // none is written behind the ones the new leader took. Needs a new reproduction (ksim check,
  // coverage 'sequence accepted past a gap', hunting nonmonotonic-send).
  it.skip('once the earliest batch expires, the rest are re-sequenced and land behind the later ones: a Kafka flaw, explained', () => {
    // Kafka 2.5+: the expired batch leaves its sequence unresolved, the next batch's
    // OUT_OF_ORDER_SEQUENCE_NUMBER then bumps the epoch and it is written at sequence 0 of the new
    // epoch, after the batches the new leader accepted past the gap (TransactionManager.canRetry,
    // bumpIdempotentProducerEpoch)
    const long = run(['durationMs=40000', 'delivery.timeout.ms=35000']);
    expect(long.events.some(([, , e]) => e.type === 'send-fail' && e.error === 'DELIVERY_TIMEOUT' && e.partition === P)).toBe(true);
    const found = long.report.violations.filter((v) => v.property === 'nonmonotonic-send');
    expect(found).toHaveLength(1);
    expect(found[0].classification).toBe('breach');
    expect(String(found[0].reason)).toMatch(/at \d+\.\d+s b2 accepted p1's batch from r\d+ at sequence [1-9]\d* with no state for its producer id/);
  });

  it('max.in.flight.requests.per.connection=1 keeps order through the same faults (nothing is sent past a batch in flight)', () => {
    const one = run(['durationMs=40000', 'delivery.timeout.ms=35000', 'max.in.flight.requests.per.connection=1']);
    expect(one.report.violations.filter((v) => v.property === 'nonmonotonic-send')).toEqual([]);
    expect(one.events.some(([, , e]) => e.type === 'unknown-producer-append')).toBe(false);
  });

  it('an expiry in one partition fails no record of another before its own delivery.timeout.ms (the bump is per partition)', () => {
    // a seed at which records of both partitions expire
    const { events } = run(['durationMs=40000', 'delivery.timeout.ms=8000', 'request.timeout.ms=3000'], '643032967');
    const sentUs = new Map<unknown, number>();
    for (const [, , e] of events) if (e.type === 'send') sentUs.set(e.record, e.sentUs as number);
    const fails = events.filter(([, , e]) => e.type === 'send-fail' && e.error !== 'PRODUCER_CRASHED');
    expect(fails.some(([, , e]) => e.partition === 'orders-0')).toBe(true);
    expect(fails.some(([, , e]) => e.partition === 'orders-1')).toBe(true);
    // delivery.timeout.ms counts from a batch's creation, its first record's send: group the
    // records failed together (one batch) and take their earliest send
    const firstSentUs = new Map<string, number>();
    for (const [t, , e] of fails) {
      expect(e.error).toBe('DELIVERY_TIMEOUT');
      const batch = `${t}:${e.partition}`;
      firstSentUs.set(batch, Math.min(firstSentUs.get(batch) ?? Infinity, sentUs.get(e.record)!));
    }
    for (const [batch, sent] of firstSentUs) expect(Number(batch.split(':')[0]) - sent).toBeGreaterThanOrEqual(8_000_000);
  });
});
