// A synthetic trace for the timeline's scale tests: a run of the ping fixture
// (src/scenario/testing/ping-model.ts) of any length, written line by line (never held whole) in
// the trace format, with known counts per kind so a test can check that the aggregation adds up.
// Not a replayable run: the header's scenario is a stub.

import * as fs from 'node:fs';
import { LineSealer } from '../../trace/line-seal.ts';
import { TRACE_FORMAT, TRACE_FORMAT_VERSION } from '../../trace/trace-format.ts';

interface SyntheticTraceCounts {
  events: number;
  recv: number;
  timer: number;
  drop: number;
  boot: number;
  lost: number;
  found: number;
  views: number;
  faults: number;
  virtualUs: number;
}

const NODES = ['n1', 'n2', 'n3', 'n4', 'n5', 'n6'].map((name, i) => ({ name, az: ['az-a', 'az-b', 'az-c'][i % 3] }));

/** The line at event i (time t) of the cycle: pings and pongs, timers, drops, boots, rare losses, views and faults. */
function syntheticLine(i: number, t: number, counts: SyntheticTraceCounts, fault: { id: number; open: number }): unknown[] {
  const a = NODES[i % NODES.length].name;
  const b = NODES[(i + 1) % NODES.length].name;
  switch (i % 8) {
    case 0:
    case 7:
      counts.timer++;
      return [t, 'timer', a, 'tick'];
    case 1:
      counts.recv++;
      return [t, 'recv', b, a, 'ping'];
    case 2:
      counts.recv++;
      return [t, 'recv', a, b, 'pong'];
    case 3:
      if (i % 1000 === 3) {
        counts.lost++;
        return [t, 'ev', a, { type: 'lost', peer: b }];
      }
      counts.drop++;
      return [t, 'drop', b, a, 'ping', 'loss'];
    case 4:
      counts.boot++;
      return [t, 'ev', a, { type: 'boot' }];
    case 5:
      if (i % 1000 === 5) {
        counts.found++;
        return [t, 'ev', a, { type: 'found', peer: b }];
      }
      counts.recv++;
      return [t, 'recv', b, a, 'pong'];
    default:
      if (i % 800_006 === 6) {
        // Rarely: a fault begins or ends.
        if (fault.open === 0) {
          fault.open = ++fault.id;
          counts.faults++;
          return [t, 'fault', fault.open, 'schedule', { atMs: Math.floor(t / 1000), kind: 'isolate-az', az: 'az-b' }];
        }
        const ended = fault.open;
        fault.open = 0;
        return [t, 'end', ended];
      }
      if (i % 100_006 === 6) {
        counts.views++;
        return [t, 'ev', a, { type: 'view', members: [a, b] }];
      }
      counts.timer++;
      return [t, 'timer', b, 'tick'];
  }
}

/** Writes `events` event lines, one every `stepUs`. */
export function writeSyntheticTrace(path: string, events: number, stepUs = 600): SyntheticTraceCounts {
  const counts: SyntheticTraceCounts = { events: 0, recv: 0, timer: 0, drop: 0, boot: 0, lost: 0, found: 0, views: 0, faults: 0, virtualUs: 0 };
  const fd = fs.openSync(path, 'w');
  let buffer: string[] = [];
  const flush = () => {
    fs.writeSync(fd, buffer.join(''));
    buffer = [];
  };
  const header = {
    format: TRACE_FORMAT, formatVersion: TRACE_FORMAT_VERSION, ksimVersion: 'synthetic', seed: '1', model: 'ping',
    scenario: { name: 'synthetic', nodes: NODES }, faults: [], nodes: NODES,
  };
  const sealer = new LineSealer();
  buffer.push(sealer.seal(JSON.stringify(header)) + '\n');
  const fault = { id: 0, open: 0 };
  for (let i = 0; i < events; i++) {
    buffer.push(sealer.seal(JSON.stringify(syntheticLine(i, i * stepUs, counts, fault))) + '\n');
    counts.events++;
    if (buffer.length >= 10_000) flush();
  }
  counts.virtualUs = events * stepUs;
  const footer = {
    footer: true, traceHash: '0000000000000000', events,
    summary: { virtualMs: counts.virtualUs / 1000, events, violations: [], stats: {} },
  };
  buffer.push(sealer.seal(JSON.stringify(footer)) + '\n');
  flush();
  fs.closeSync(fd);
  return counts;
}
