// A synthetic trace for the timeline's scale tests: a Kafka-shaped run of any length, written
// line by line (never held whole) in the trace format, with known counts per kind so a test can
// check that the aggregation adds up. Not a replayable run: the header's scenario is a stub.

import * as fs from 'node:fs';
import { TRACE_FORMAT, TRACE_FORMAT_VERSION } from '../../trace/trace-format.ts';

export interface SyntheticTraceCounts {
  events: number;
  recv: number;
  timer: number;
  send: number;
  ack: number;
  appendRecords: number;
  replicateRecords: number;
  elections: number;
  faults: number;
  virtualUs: number;
}

const NODES = [
  { name: 'b1', az: 'az-a' },
  { name: 'b2', az: 'az-b' },
  { name: 'b3', az: 'az-c' },
  { name: 'b4', az: 'az-a' },
  { name: 'b5', az: 'az-b' },
  { name: 'b6', az: 'az-c' },
  { name: 'c1', az: 'az-a' },
  { name: 'p1', az: 'az-a' },
];

/** Writes `events` event lines, one every `stepUs`, cycling through a produce round trip. */
export function writeSyntheticTrace(path: string, events: number, stepUs = 600): SyntheticTraceCounts {
  const counts: SyntheticTraceCounts = {
    events: 0, recv: 0, timer: 0, send: 0, ack: 0, appendRecords: 0, replicateRecords: 0, elections: 0, faults: 0, virtualUs: 0,
  };
  const fd = fs.openSync(path, 'w');
  let buffer: string[] = [];
  const flush = () => {
    fs.writeSync(fd, buffer.join(''));
    buffer = [];
  };
  const header = {
    format: TRACE_FORMAT, formatVersion: TRACE_FORMAT_VERSION, ksimVersion: 'synthetic', seed: '1', model: 'kafka',
    scenario: { name: 'synthetic', cluster: { brokers: NODES.slice(0, 6), controllers: [NODES[6]] }, producers: [{ name: 'p1' }] },
    faults: [], nodes: NODES,
  };
  buffer.push(JSON.stringify(header) + '\n');
  let record = 0;
  let faultId = 0;
  let openFault = 0;
  for (let i = 0; i < events; i++) {
    const t = i * stepUs;
    const partition = `orders-${record % 6}`;
    const leader = `b${(record % 6) + 1}`;
    const follower = `b${((record + 1) % 6) + 1}`;
    let line: unknown[];
    switch (i % 8) {
      case 0:
        line = [t, 'ev', 'p1', { type: 'send', producer: 'p1', record, key: `k${record % 100}`, partition }];
        counts.send++;
        break;
      case 1:
        line = [t, 'recv', leader, 'p1', 'produce'];
        counts.recv++;
        break;
      case 2:
        line = [t, 'ev', leader, { type: 'append', partition, role: 'leader', baseOffset: record, leaderEpoch: 0, records: [record] }];
        counts.appendRecords++;
        break;
      case 3:
        line = [t, 'ev', follower, { type: 'append', partition, role: 'follower', baseOffset: record, leaderEpoch: 0, records: [record] }];
        counts.replicateRecords++;
        break;
      case 4:
        line = [t, 'recv', 'p1', leader, 'produce-response'];
        counts.recv++;
        break;
      case 5:
        line = [t, 'ev', 'p1', { type: 'send-ok', producer: 'p1', record, partition, offset: record, leaderEpoch: 0, latencyUs: 3000 }];
        counts.ack++;
        record++;
        break;
      case 6:
        if (i % 800_006 === 6) {
          // Rarely: a fault begins or ends, or an election happens.
          if (openFault === 0) {
            openFault = ++faultId;
            line = [t, 'fault', openFault, 'schedule', { atMs: Math.floor(t / 1000), kind: 'isolate-az', az: 'az-b' }];
            counts.faults++;
          } else {
            line = [t, 'end', openFault];
            openFault = 0;
          }
        } else if (i % 100_006 === 6) {
          line = [t, 'ev', 'c1', { type: 'election', partition, kind: 'clean', leader, leaderEpoch: counts.elections, isr: [leader, follower], previousLeader: null, leaderLogEndOffset: record }];
          counts.elections++;
        } else {
          line = [t, 'timer', leader, 'fetch'];
          counts.timer++;
        }
        break;
      default:
        line = [t, 'timer', 'c1', 'heartbeat'];
        counts.timer++;
    }
    buffer.push(JSON.stringify(line) + '\n');
    counts.events++;
    if (buffer.length >= 10_000) flush();
  }
  counts.virtualUs = events * stepUs;
  const footer = {
    footer: true, traceHash: '0000000000000000', events,
    summary: { virtualMs: counts.virtualUs / 1000, events, violations: [], stats: {} },
  };
  buffer.push(JSON.stringify(footer) + '\n');
  flush();
  fs.closeSync(fd);
  return counts;
}
