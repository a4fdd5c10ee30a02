// hw-above-isr-leo blames KIP-101 for an HW the leader advances on a follower's stale fetch after
// that follower truncated to its high watermark (Kafka 0.10). Found by `ksim check` (check-small,
// Kafka 0.10, seed 2), re-aimed when the ZooKeeper controller's ISR removal began to bump the
// leader epoch: b2's fetch, sent just before its controlled shutdown, brings it back into the ISR;
// b2 restarts, truncates to its HW checkpoint as every follower did before KIP-101, and the leader
// then advances the HW on the offset that fetch reported. The truncation itself left nothing
// committed behind, so the checker used to call the HW advance a breach.
import { describe, expect, it } from 'vitest';
import checkSmall from '../models/kafka/presets/check-small.scenario.json' with { type: 'json' };
import { runScenario } from '../models/kafka/testing/scenario-run.ts';

function run(kafkaVersion: string) {
  const scenario = {
    ...structuredClone(checkSmall),
    seed: '239834048',
    operations: [{ atMs: 108, kind: 'controlled-shutdown', broker: 'b2', durationMs: 1 }],
  };
  // No idempotent producer before 0.11 (KIP-98); in 0.11 an idempotent one has one request in flight (KAFKA-5494: 5 from 1.0).
  const producer = kafkaVersion === '0.10' ? ['max.in.flight.requests.per.connection=5'] : kafkaVersion === '0.11' ? ['enable.idempotence=true'] : ['enable.idempotence=true', 'max.in.flight.requests.per.connection=5'];
  const settings = ['preset=apache', `kafkaVersion=${kafkaVersion}`, 'acks=all', 'min.insync.replicas=2', ...producer, 'linger.ms=5', 'request.timeout.ms=30000', 'replica.lag.time.max.ms=30000', 'replica.fetch.wait.max.ms=500'];
  return runScenario(scenario, settings);
}

describe('hw-above-isr-leo: an HW advanced on a stale fetch after a truncation to the HW', () => {
  it('Kafka 0.10: permitted by the version (KIP-101), naming the truncation', () => {
    const { report, events } = run('0.10');
    expect(events.some(([, node, e]) => node === 'b2' && e.type === 'truncate' && e.reason === 'high-watermark' && (e.fromOffset as number) > (e.toOffset as number))).toBe(true);
    const found = report.violations.filter((v) => v.property === 'hw-above-isr-leo');
    expect(found).toHaveLength(1);
    expect(found[0]).toMatchObject({ classification: 'permitted', permittedBy: 'version' });
    expect(String(found[0].reason)).toMatch(/Kafka 0\.10: truncation to the high watermark \(KIP-101/);
  });

  it('Kafka 0.11 (KIP-101): no truncation to the HW, nothing to report', () => {
    const { report } = run('0.11');
    expect(report.violations.filter((v) => v.property === 'hw-above-isr-leo')).toEqual([]);
  });
});
