// What a sweep keeps of one run's unavailability: the writers' figure is the acks=all writers'
// where the run has any, else the acks=0/1 writers'; readers and __consumer_offsets stay out.
import { describe, expect, it } from 'vitest';
import type { RunReport } from '../../../src/scenario/run-report.ts';
import type { ClientUnavailabilityTotal, PartitionUnavailabilityRow } from '../analysis/availability-summary.ts';
import { kafkaRunFigures } from './kafka-run-figures.ts';

const total = (clients: ClientUnavailabilityTotal['clients'], partitions: number): ClientUnavailabilityTotal => ({
  clients,
  partitions,
  unavailableMs: 0,
  isrBelowMinMs: 0,
  hwStalledMs: 0,
  headOfLineBlockedMs: 0,
  partitionsUnavailableAtEnd: 0,
});
const row = (partition: string, clients: PartitionUnavailabilityRow['clients'], unavailableMs: number): PartitionUnavailabilityRow => ({
  partition,
  clients,
  unavailableMs,
  isrBelowMinMs: 0,
  hwStalledMs: 0,
  headOfLineBlockedMs: 0,
  spells: 1,
  unavailableAtEnd: false,
  minInsyncReplicas: 2,
});
const report = (summary: object): RunReport => ({ violations: [], analysis: { 'kafka-summary': summary } }) as unknown as RunReport;

describe('Kafka run figures: unavailability', () => {
  it('keeps the acks=all writers where the run has them, and only their non-zero partitions', () => {
    const f = kafkaRunFigures(
      report({
        unavailabilityByClients: [total('acks=all', 6), total('acks=0/1', 6), total('readers', 6), total('groups', 1)],
        unavailablePartitions: [row('__consumer_offsets-0', 'groups', 900), row('orders-1', 'acks=all', 700), row('orders-1', 'acks=0/1', 300), row('orders-2', 'readers', 50)],
      }),
    );
    expect(f.writerKind).toBe('acks=all');
    expect(f.writers).toEqual({ partitions: 6, unavailableMs: [700] });
  });

  it('falls back to the acks=0/1 writers, and to none without producers', () => {
    const acks1 = kafkaRunFigures(report({ unavailabilityByClients: [total('acks=0/1', 2)], unavailablePartitions: [row('orders-0', 'acks=0/1', 40)] }));
    expect(acks1.writerKind).toBe('acks=0/1');
    expect(acks1.writers).toEqual({ partitions: 2, unavailableMs: [40] });
    const none = kafkaRunFigures(report({ unavailabilityByClients: [total('readers', 2)], unavailablePartitions: [] }));
    expect(none.writerKind).toBeNull();
    expect(none.writers).toBeNull();
  });
});

describe('Kafka run figures: client-felt unavailability', () => {
  it('keeps every producer that sent, zeros included, apart from the partition-side figure; absent from a summary without it', () => {
    const felt = (producer: string, unavailableMs: number) => ({ producer, acks: 'all', sendsWaitingMs: 20_000, unavailableMs, partitionsUnavailable: unavailableMs > 0 ? 1 : 0, unavailableAtEnd: false });
    const f = kafkaRunFigures(
      report({
        unavailabilityByClients: [total('acks=all', 2)],
        unavailablePartitions: [row('orders-1', 'acks=all', 15_000)],
        unavailabilityByProducers: [felt('p1', 0), felt('p2', 4200)],
      }),
    );
    expect(f.writers).toEqual({ partitions: 2, unavailableMs: [15_000] });
    expect(f.producersUnavailableMs).toEqual([0, 4200]);
    const older = kafkaRunFigures(report({ unavailabilityByClients: [total('acks=all', 2)], unavailablePartitions: [] }));
    expect(older).not.toHaveProperty('producersUnavailableMs');
  });
});

describe('Kafka run figures: produce latency max', () => {
  it('keeps the raw maximum and the maximum after the start-up, the larger over the acks settings', () => {
    const f = kafkaRunFigures(
      report({
        latencyMsMax: 105,
        produceLatency: [
          { acks: 'all', acked: 4, latencyMsP50: 6, latencyMsP99: 105, latencyMsMax: 105, latencyMsMaxAfterStartup: 7, startupMs: 100 },
          { acks: '1', acked: 4, latencyMsP50: 30, latencyMsP99: 50, latencyMsMax: 50 },
        ],
      }),
    );
    expect(f.produceLatencyMsMax).toBe(105);
    // acks=all waited 105 ms for the first leaders, 7 ms at most after; acks=1's 50 ms was after them.
    expect(f.produceLatencyMsMaxAfterStartup).toBe(50);
  });

  it('decoy: a maximum after the start-up is the maximum as it is; nothing acknowledged is null', () => {
    const f = kafkaRunFigures(report({ latencyMsMax: 300, produceLatency: [{ acks: 'all', acked: 4, latencyMsP50: 6, latencyMsP99: 300, latencyMsMax: 300 }] }));
    expect(f.produceLatencyMsMaxAfterStartup).toBe(300);
    expect(kafkaRunFigures(report({ latencyMsMax: null, produceLatency: [] })).produceLatencyMsMaxAfterStartup).toBeNull();
  });
});
