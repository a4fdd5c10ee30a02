// Built-in studies: named sweeps that reproduce known Kafka results on short preset scenarios
// (models/kafka/presets/study-*.scenario.json), run as `ksim sweep --study NAME`. Each is a base
// scenario, fixed settings and a grid; --seeds, --set and the execution flags still apply.

export interface SweepStudy {
  name: string;
  /** What it shows, for --help and the README. */
  summary: string;
  /** A preset name (SCENARIO_PRESETS). */
  scenario: string;
  settings: string[];
  grid: string[];
}

export const SWEEP_STUDIES: readonly SweepStudy[] = [
  {
    name: 'acks-minisr-unclean',
    summary: 'acks x min.insync.replicas x unclean.leader.election.enable under seeded AZ outages: which settings lose acknowledged records',
    scenario: 'study-az-outages',
    settings: [],
    grid: ['acks=1,all', 'min.insync.replicas=1,2', 'unclean.leader.election.enable=false,true'],
  },
  {
    name: 'rack-placement',
    summary: 'rack-aware vs naive replica placement when one AZ of three loses power: availability of acks=all writes',
    scenario: 'study-rack-placement',
    settings: [],
    grid: ['broker.rack=aware,naive', 'unclean.leader.election.enable=false,true'],
  },
  {
    name: 'flush-power-loss',
    summary: 'log.flush.interval.messages under a region-wide power loss: only flushed records survive losing every page cache',
    scenario: 'study-power-loss',
    settings: [],
    grid: ['log.flush.interval.messages=1,100,9007199254740991', 'acks=1,all'],
  },
  {
    name: 'msk-vs-apache',
    summary: "Amazon MSK's default configuration vs Apache Kafka's (min.insync.replicas, unclean election) under seeded AZ outages",
    scenario: 'study-az-outages',
    settings: [],
    grid: ['preset=apache,msk'],
  },
  {
    name: 'idempotence-ordering',
    summary: 'enable.idempotence x max.in.flight.requests.per.connection on a lossy network with broker isolations: duplicates and reordering from retries',
    scenario: 'study-producer-ordering',
    settings: [],
    grid: ['enable.idempotence=false,true', 'max.in.flight.requests.per.connection=1,5'],
  },
];

export function findStudy(name: string): SweepStudy | undefined {
  return SWEEP_STUDIES.find((s) => s.name === name);
}
