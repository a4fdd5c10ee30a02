// How `ksim sweep` tabulates the Kafka model: per run, records lost, violations by class,
// duplicates, reordering, unavailability and latency (kafka-run-figures.ts); per cell, their
// aggregates and columns (kafka-cell-figures.ts) and charts (kafka-sweep-charts.ts); the worst run
// of a cell is the one that lost the most acknowledged records; the built-in studies
// (kafka-studies.ts). Kafka keys are long: the common ones get the abbreviations Kafka people use
// on chart labels and table headers, any other key is kept whole.

import type { ModelSweep } from '../../../src/scenario/model-sweep.ts';
import { KAFKA_CELL_FIGURES } from './kafka-cell-figures.ts';
import { kafkaRunFigures, type KafkaRunFigures } from './kafka-run-figures.ts';
import { KAFKA_STUDIES } from './kafka-studies.ts';
import { KAFKA_SWEEP_CHARTS } from './kafka-sweep-charts.ts';

const KEY_ABBREVIATIONS: Readonly<Record<string, string>> = {
  'min.insync.replicas': 'min.isr',
  'unclean.leader.election.enable': 'unclean',
  'broker.rack': 'rack',
  'cluster.broker.rack': 'rack',
  'enable.idempotence': 'idempotence',
  'max.in.flight.requests.per.connection': 'max.in.flight',
  'log.flush.interval.messages': 'flush.messages',
  'log.flush.interval.ms': 'flush.ms',
  'replication.factor': 'rf',
  'default.replication.factor': 'rf',
};

export const kafkaSweep: ModelSweep<KafkaRunFigures> = {
  runFigures: kafkaRunFigures,
  figures: KAFKA_CELL_FIGURES,
  worstRun: {
    figure: 'recordsLost',
    ranking: 'most acknowledged records lost',
    verb: 'lost',
    none: 'no run lost an acknowledged record',
  },
  progress: (f) => `${f.runsWithLoss} with loss`,
  charts: { heading: 'Loss, availability and latency per configuration', list: KAFKA_SWEEP_CHARTS },
  keyAbbreviations: KEY_ABBREVIATIONS,
  studies: KAFKA_STUDIES,
};
