// KAFKA-15591 as `ksim check` met it (check-small, seed 13, run 1079; default settings: acks=all,
// idempotence on): b3 leads orders-1 and holds p1's first batch (sequences 0-3) unreplicated to
// b1, which backs off its fetches from b3 (replica.fetch.backoff.ms) after an early error; b3's
// connection from p1 is muted behind that produce (acks=all), so sequences 4-7 wait in it. b3
// loses power at 0.3 s with the batch unflushed; b1, elected with an empty log, takes p1's next
// batch (r22, sequence 8) with no state for the producer id (ProducerAppendInfo.checkSequence
// since Kafka 2.5). The produce waits for b2, crashed but still in the ISR, and times out; the
// earlier batches reach b1 and come back OUT_OF_ORDER_SEQUENCE_NUMBER; with nothing of the
// partition acknowledged, p1 bumps its epoch and re-sequences every unfinished batch from 0
// (TransactionManager.canRetry, startSequencesAtBeginning): sequences 0-7 land behind r22's batch
// and r22's batch and the next one are written again. Every step is Kafka's; it was called a
// breach, though its own reason named the Kafka flaw. Before 2.5 the broker answers
// UNKNOWN_PRODUCER_ID to a first sequence above 0 and none of this happens.
import { describe, expect, it } from 'vitest';
import checkSmall from '../models/kafka/presets/check-small.scenario.json' with { type: 'json' };
import { runScenario } from '../models/kafka/testing/scenario-run.ts';
import { DEFAULT_FAIL_ON, failsUnder, verdictClassOf } from '../src/scenario/verdict.ts';

const SETTINGS = ['acks=all', 'min.insync.replicas=2', 'unclean.leader.election.enable=false', 'enable.idempotence=true', 'request.timeout.ms=2000', 'broker.rack=az'];

function run(extra: string[] = []) {
  const scenario = {
    ...structuredClone(checkSmall),
    seed: '1997340165',
    faults: [
      { atMs: 152, kind: 'crash', node: '@leader:orders-0', durationMs: 3000 },
      { atMs: 300, kind: 'power-loss', node: '@follower:orders-0', durationMs: 1 },
    ],
  };
  return runScenario(scenario, [...SETTINGS, ...extra]);
}

const ofProperty = (report: ReturnType<typeof run>['report'], property: string) => report.violations.filter((v) => v.property === property);

describe('KAFKA-15591: a new leader with no state for the producer takes a later batch past the gap', () => {
  it('reaches it: b1 accepts sequence 8 into an empty log, the earlier batches come back out of order', () => {
    const { events } = run();
    const accepted = events.filter(([, , e]) => e.type === 'unknown-producer-append');
    expect(accepted.map(([, node, e]) => [node, e.partition, e.baseSequence, e.record])).toEqual([['b1', 'orders-1', 8, 22]]);
    expect(events.some(([, , e]) => e.type === 'produce-error' && e.partition === 'orders-1' && e.error === 'OUT_OF_ORDER_SEQUENCE_NUMBER')).toBe(true);
  });

  it('the duplicates and the reorder that follow are permitted by the simulated version, naming KAFKA-15591', () => {
    const { report } = run();
    const found = [...ofProperty(report, 'duplicate'), ...ofProperty(report, 'nonmonotonic-send')];
    // six records each (five named): r22's batch (sequences 8-12) and r32's (13)
    expect(found.map((v) => [v.property, v.partition, v.records])).toEqual([
      ['duplicate', 'orders-1', [22, 24, 29, 30, 31]],
      ['nonmonotonic-send', 'orders-1', [22, 24, 29, 30, 31]],
    ]);
    expect(found.map((v) => v.message.match(/(\d+) records (more than once|out of send order)/)?.[1])).toEqual(['6', '6']);
    for (const v of found) {
      expect([verdictClassOf(v), v.flaws]).toEqual(['version', ['KAFKA-15591']]);
      expect(v.reason).toContain("at 0.317276s b1 accepted p1's batch from r22 at sequence 8 with no state for its producer id, at offset 0, into a log that had never held a record, and r1, sent before it, was written behind it at offset 6");
      expect(v.reason).toContain('apache/kafka PR #23234');
      expect(v.reason).not.toMatch(/KIP-360|4\.5/);
    }
    expect(report.violations.filter((v) => verdictClassOf(v) === 'breach')).toEqual([]);
    // the default --fail-on passes the run; --fail-on KAFKA-15591 hunts it
    expect(found.some((v) => failsUnder(v, DEFAULT_FAIL_ON))).toBe(false);
    expect(found.every((v) => failsUnder(v, ['KAFKA-15591']))).toBe(true);
  });

  it('Kafka 2.4 (before KIP-360) refuses the later batch: no acceptance past the gap, nothing blames KAFKA-15591', () => {
    const { report, events } = run(['kafkaVersion=2.4']);
    expect(events.some(([, , e]) => e.type === 'unknown-producer-append')).toBe(false);
    expect(report.violations.filter((v) => (v.flaws as string[] | undefined)?.includes('KAFKA-15591'))).toEqual([]);
  });
});
