// The Kafka sweep's cell figures on small hand-made runs: the worst run is the one that lost the
// most records, means and percentiles over runs and partitions, consumer figures null without
// consumers; and the runs' and cells' key order, which sweep.json and sweep.csv keep.
import { describe, expect, it } from 'vitest';
import { cellFigures, inSeedOrder, worstRunOf } from '../../../src/explore/sweep/cell-figures.ts';
import type { KafkaRunFigures } from './kafka-run-figures.ts';
import { sweepMarkdown } from '../../../src/explore/sweep/sweep-outputs.ts';
import type { SweepResult } from '../../../src/explore/sweep/sweep-result.ts';
import type { ModelSweep } from '../../../src/scenario/model-sweep.ts';
import { kafkaSweep } from './kafka-sweep.ts';

function run(seed: string, recordsLost: number, extra: Partial<KafkaRunFigures> = {}): KafkaRunFigures {
  return {
    seed,
    traceHash: `h${seed}`,
    recordsLost,
    breaches: 0,
    permitted: recordsLost > 0 ? 1 : 0,
    recordsDuplicated: 0,
    recordsReordered: 0,
    writerKind: 'acks=all',
    writers: { partitions: 2, unavailableMs: [] },
    produceLatencyMsP50: 5,
    produceLatencyMsP99: 50,
    produceLatencyMsMax: 100,
    produceLatencyMsMaxAfterStartup: 100,
    consumer: null,
    ...extra,
  };
}

describe('Kafka sweep cell figures', () => {
  it('picks the worst run by records lost, ties to the lowest seed, in any input order', () => {
    const runs = [run('10', 5), run('2', 5), run('9', 1), run('1', 0)];
    expect(worstRunOf(inSeedOrder(runs), kafkaSweep).seed).toBe('2');
    expect(cellFigures(runs, kafkaSweep)).toEqual(cellFigures([...runs].reverse(), kafkaSweep));
  });

  it('averages over runs, includes unaffected partitions in unavailability, keeps consumer figures null without consumers', () => {
    const f = cellFigures(
      [
        run('1', 4, { writers: { partitions: 2, unavailableMs: [1000] } }),
        run('2', 0, { produceLatencyMsP50: null, produceLatencyMsP99: null, produceLatencyMsMax: null, produceLatencyMsMaxAfterStartup: null }),
        run('3', 2, { produceLatencyMsP50: 7, produceLatencyMsMax: 300, produceLatencyMsMaxAfterStartup: 90 }),
      ],
      kafkaSweep,
    );
    expect(f.runs).toBe(3);
    expect(f.runsWithLoss).toBe(2);
    expect(f.recordsLostMean).toBe(2);
    expect(f.recordsLostMax).toBe(4);
    expect(f.permitted).toBe(2);
    // 6 partition-runs, one with 1000 ms
    expect(f.unavailabilityMsMean).toBe(166.667);
    expect(f.unavailabilityMsP99).toBe(1000);
    // median of the runs that acknowledged anything: p50s [5, 7] -> nearest rank 5
    expect(f.produceLatencyMsP50).toBe(5);
    expect(f.produceLatencyMsMax).toBe(300);
    expect(f.produceLatencyMsMaxAfterStartup).toBe(100);
    expect(f.consumerDuplicatesMean).toBeNull();
    expect(f.rebalanceMsMean).toBeNull();
    expect(f.endToEndLatencyMsP50).toBeNull();
  });

  it('counts only partitions with writers, and a run without writers adds no samples', () => {
    const f = cellFigures(
      [
        run('1', 0, { writers: { partitions: 1, unavailableMs: [600] } }),
        run('2', 0, { writerKind: null, writers: null }),
        run('3', 0, { writerKind: 'acks=0/1', writers: { partitions: 3, unavailableMs: [200] } }),
      ],
      kafkaSweep,
    );
    // samples: [600] and [200, 0, 0]
    expect(f.unavailabilityMsMean).toBe(200);
    expect(f.unavailabilityMsP99).toBe(600);
    expect(cellFigures([run('1', 0, { writerKind: null, writers: null })], kafkaSweep).unavailabilityMsMean).toBe(0);
  });

  it('averages consumer figures over the runs that had consumers', () => {
    const consumer = { duplicates: 3, gaps: 1, rebalanceMs: 200, endToEndLatencyMsP50: null, endToEndLatencyMsP99: null };
    const f = cellFigures([run('1', 0, { consumer }), run('2', 0, { consumer: { ...consumer, duplicates: 1 } })], kafkaSweep);
    expect(f.consumerDuplicatesMean).toBe(2);
    expect(f.consumerGapsMean).toBe(1);
    expect(f.rebalanceMsMean).toBe(200);
    expect(f.endToEndLatencyMsP99).toBeNull();
  });
});

describe('Kafka sweep client-felt unavailability', () => {
  it('is over every producer of every run, zeros included, beside the partition-side figure; null when no run carries it', () => {
    const f = cellFigures(
      [
        run('1', 0, { writers: { partitions: 1, unavailableMs: [15_000] }, producersUnavailableMs: [0] }), // idle through the outage
        run('2', 0, { writers: { partitions: 1, unavailableMs: [15_000] }, producersUnavailableMs: [9000, 0, 0] }),
      ],
      kafkaSweep,
    );
    expect(f.unavailabilityMsMean).toBe(15_000);
    expect(f.producerUnavailabilityMsMean).toBe(2250);
    expect(f.producerUnavailabilityMsP99).toBe(9000);
    const older = cellFigures([run('1', 0)], kafkaSweep); // persisted before the figure
    expect(older.producerUnavailabilityMsMean).toBeNull();
    expect(older.producerUnavailabilityMsP99).toBeNull();
  });
});

describe('Kafka sweep figure order', () => {
  it('keeps the columns of sweep.json and sweep.csv: runs, loss, violations, duplicates, unavailability, latency, consumers', () => {
    expect(Object.keys(cellFigures([run('1', 0)], kafkaSweep))).toEqual([
      'runs',
      'runsWithLoss',
      'recordsLostMean',
      'recordsLostMax',
      'breaches',
      'permitted',
      'recordsDuplicatedMean',
      'recordsReorderedMean',
      'unavailabilityMsMean',
      'unavailabilityMsP99',
      'producerUnavailabilityMsMean',
      'producerUnavailabilityMsP99',
      'produceLatencyMsP50',
      'produceLatencyMsP99',
      'produceLatencyMsMax',
      'produceLatencyMsMaxAfterStartup',
      'endToEndLatencyMsP50',
      'endToEndLatencyMsP99',
      'consumerDuplicatesMean',
      'consumerGapsMean',
      'rebalanceMsMean',
    ]);
  });
});

describe('Kafka sweep table', () => {
  it("shows the produce maximum after the start-up, saying so in its title; the raw maximum is in sweep.json only", () => {
    const runs = [run('1', 0, { produceLatencyMsMax: 5000, produceLatencyMsMaxAfterStartup: 40 })];
    const figures = cellFigures(runs, kafkaSweep);
    const result = { grid: [{ key: 'acks', values: ['all'] }], cells: [{ cell: { acks: 'all' }, figures }] } as unknown as SweepResult;
    const [header, , row] = sweepMarkdown(result, kafkaSweep as unknown as ModelSweep).split('\n');
    const cellsOf = (line: string) => line.split('|').map((c) => c.trim());
    const titles = cellsOf(header);
    expect(titles).toContain('produce ms max after start-up');
    expect(titles).not.toContain('produce ms max');
    expect(cellsOf(row)[titles.indexOf('produce ms max after start-up')]).toBe('40');
    expect(figures.produceLatencyMsMax).toBe(5000);
  });
});
