// Short names for sweep cells, for chart axes and legends: "acks=1 min.isr=2 unclean=false".
// Kafka keys are long; the common ones get the abbreviations Kafka people use, any other key is
// kept whole so a label never hides which setting it is.

import type { CellResult } from '../explore/sweep/sweep-result.ts';

const KEY_ABBREVIATIONS: Record<string, string> = {
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

export function shortKey(key: string): string {
  return KEY_ABBREVIATIONS[key] ?? key;
}

/** The cell's grid values in grid order; "(base scenario)" for a sweep without a grid. */
export function cellLabel(cell: CellResult): string {
  const parts = Object.entries(cell.cell).map(([key, value]) => `${shortKey(key)}=${value}`);
  return parts.length > 0 ? parts.join(' ') : '(base scenario)';
}
