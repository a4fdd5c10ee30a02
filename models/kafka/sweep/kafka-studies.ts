// The Kafka model's built-in studies: named sweeps that reproduce known Kafka results on short
// preset scenarios (presets/study-*.scenario.json), run as `ksim sweep --study NAME`. Each is a
// base scenario, fixed settings and a grid; --seeds, --set and the execution flags still apply.
// Their committed outputs are in studies/.

import type { SweepStudy } from '../../../src/scenario/model-sweep.ts';

export const KAFKA_STUDIES: readonly SweepStudy[] = [
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
    summary: "log.flush.interval.messages under a region-wide power loss 60 s into the run: only what Kafka fsynced or the kernel's writeback put on disk survives losing every page cache",
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
