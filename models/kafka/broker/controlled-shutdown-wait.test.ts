// How long a broker in controlled shutdown waits for a controller it cannot reach, per metadata
// mode, as Kafka's source says (broker-lifecycle-manager.ts): KRaft's BrokerServer.shutdown waits
// 5 minutes for controlledShutdownFuture (2.8-3.9); ZooKeeper mode's KafkaServer.controlledShutdown
// makes controlled.shutdown.max.retries (3) attempts, each failing after the broker's
// request.timeout.ms (30 s) and followed by controlled.shutdown.retry.backoff.ms (5 s). ksim used
// 30 s for both. Once the controller can be reached, the next ask moves the leaderships at once.
import { describe, expect, it } from 'vitest';
import { runScenario, type Scenario } from '../testing/scenario-run.ts';
import checkSmall from '../presets/check-small.scenario.json' with { type: 'json' };

/** b1 (leader of orders-0) cut from every controller at 2 s for cutMs, asked to shut down at 3 s: when it stops (its resignation at the stop), in µs. */
function stopOfCutLeader(kafkaVersion: string, cutMs: number, durationMs: number, metadataMode?: 'zookeeper'): number {
  const raw: Scenario = {
    ...structuredClone(checkSmall),
    preset: 'apache',
    kafkaVersion,
    ...(metadataMode ? { metadataMode } : {}),
    durationMs,
    producers: [{ name: 'p1', az: 'use1-az1', topic: 'orders', ratePerSec: 5, keys: 10 }],
    faults: [{ atMs: 2000, kind: 'partition', groups: [['@leader:orders-0'], ['c1', 'c2', 'c3']], durationMs: cutMs }],
    operations: [{ atMs: 3000, kind: 'controlled-shutdown', broker: '@leader:orders-0', durationMs: 1000 }],
  };
  const { events } = runScenario(raw);
  const stops = events.filter(([, , ev]) => ev.type === 'resign-leader' && ev.reason === 'shutdown');
  expect(stops.length).toBeGreaterThan(0);
  return stops[0][0];
}

describe('controlled shutdown: the wait for an unreachable controller, per mode', () => {
  it('KRaft (3.9): the broker waits 5 minutes (BrokerServer.shutdown), not 30 s, before it stops anyway', () => {
    const stopUs = stopOfCutLeader('3.9', 400_000, 310_000);
    expect(stopUs).toBe(303_000_000);
  });

  for (const zk of ['0.10', '2.8', '3.9']) {
    it(`ZooKeeper (${zk}): three attempts of 30 s request timeout and 5 s backoff, then it stops: 105 s after it began`, () => {
      expect(stopOfCutLeader(zk, 400_000, 120_000, 'zookeeper')).toBe(108_000_000);
    });
  }

  it('decoy: a cut healing within the session (b1 still leads) is followed by the next ask, answered at once, well before either limit', () => {
    // KRaft: the cut heals at 7 s (session 9 s); the next heartbeat carries wantShutDown
    const kraft = stopOfCutLeader('3.9', 5000, 30_000);
    expect(kraft).toBeGreaterThan(7_000_000);
    expect(kraft).toBeLessThan(7_000_000 + 7_500_000);
    // ZooKeeper: the cut heals at 12 s (session 18 s); the attempt in flight, or the next one, is answered
    const zk = stopOfCutLeader('2.8', 10_000, 60_000, 'zookeeper');
    expect(zk).toBeGreaterThan(12_000_000);
    expect(zk).toBeLessThan(12_000_000 + 36_000_000);
  });
});
