// The trace writer: a written trace reads back as the header, exactly the lines the event log
// rendered, and a footer with the run's hash; files are byte-for-byte reproducible; a run that
// throws leaves no file behind and does not touch an existing trace at the target.

import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { MODELS, PING_SCENARIO } from '../scenario/testing/fixture-registry.ts';
import { resolveScenario } from '../scenario/resolve-scenario.ts';
import { runResolved } from '../scenario/run-scenario.ts';
import { RunLimitError } from '../sim/run-limit-error.ts';
import { buildTraceHeader, KSIM_VERSION, TRACE_FORMAT, TRACE_FORMAT_VERSION } from './trace-format.ts';
import { readTraceFile } from './trace-reader.ts';
import { recordTrace, TraceWriter } from './trace-writer.ts';

const SHORT = ['faults=[]', 'durationMs=3000'];

let dir: string;
beforeEach(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'ksim-trace-writer-'));
});
afterEach(() => {
  fs.rmSync(dir, { recursive: true, force: true });
});

describe('recordTrace', () => {
  it('round-trips: header, every rendered line in order, footer with the run hash', () => {
    const res = resolveScenario(PING_SCENARIO, MODELS);
    const rendered: string[] = [];
    const direct = runResolved(resolveScenario(PING_SCENARIO, MODELS), {
      lineSink: { line: (i, text) => void (rendered[i] = text) },
    });

    const file = path.join(dir, 'run.jsonl');
    const { report, traceBytes } = recordTrace(res, file);
    const trace = readTraceFile(file);

    expect(trace.header.format).toBe(TRACE_FORMAT);
    expect(trace.header.formatVersion).toBe(TRACE_FORMAT_VERSION);
    expect(trace.header.ksimVersion).toBe(KSIM_VERSION);
    expect(trace.header).toEqual(JSON.parse(JSON.stringify(buildTraceHeader(res))));
    expect(trace.header.nodes).toEqual(res.topology.nodes.map((n) => ({ name: n.name, az: n.az })));
    expect(trace.header.faults).toEqual(res.scenario.faults);
    expect(trace.events).toEqual(rendered);
    expect(trace.events.length).toBe(report.loggedEvents);
    expect(trace.footer.traceHash).toBe(report.traceHash);
    expect(trace.footer.traceHash).toBe(direct.traceHash); // tracing does not change the hash
    expect(trace.footer.summary.events).toBe(report.events);
    expect(trace.footer.summary.virtualMs).toBe(report.virtualMs);
    expect(trace.footer.summary.stats).toEqual(JSON.parse(JSON.stringify(report.stats)));
    expect(traceBytes).toBe(fs.statSync(file).size);
    expect(fs.readdirSync(dir)).toEqual(['run.jsonl']); // no temp file left
  });

  it('writes the same bytes for the same scenario and seed, different bytes for another seed', () => {
    const a = path.join(dir, 'a.jsonl');
    const b = path.join(dir, 'b.jsonl');
    const c = path.join(dir, 'c.jsonl');
    recordTrace(resolveScenario(PING_SCENARIO, MODELS, { settings: SHORT, seed: '5' }), a);
    recordTrace(resolveScenario(PING_SCENARIO, MODELS, { settings: SHORT, seed: '5' }), b);
    recordTrace(resolveScenario(PING_SCENARIO, MODELS, { settings: SHORT, seed: '6' }), c);
    expect(fs.readFileSync(a).equals(fs.readFileSync(b))).toBe(true);
    expect(fs.readFileSync(a).equals(fs.readFileSync(c))).toBe(false);
  });

  it('leaves no file when the run throws, and keeps an existing trace at the target', () => {
    const file = path.join(dir, 'run.jsonl');
    fs.writeFileSync(file, 'previous trace\n');
    const res = resolveScenario(PING_SCENARIO, MODELS, { settings: ['limits.eventsMax=100'] });
    expect(() => recordTrace(res, file)).toThrow(RunLimitError);
    expect(fs.readdirSync(dir)).toEqual(['run.jsonl']);
    expect(fs.readFileSync(file, 'utf8')).toBe('previous trace\n');
  });

  it('writes a line longer than its buffer in one piece', () => {
    const longDescription = 'é'.repeat(300_000); // 600 KB of UTF-8 in the header alone
    const res = resolveScenario({ ...PING_SCENARIO, description: longDescription }, MODELS, { settings: SHORT });
    const file = path.join(dir, 'long.jsonl');
    const { report } = recordTrace(res, file);
    const trace = readTraceFile(file);
    expect(trace.header.scenario.description).toBe(longDescription);
    expect(trace.events.length).toBe(report.loggedEvents);
  });

  it('refuses lines out of order and footers that miscount', () => {
    const res = resolveScenario(PING_SCENARIO, MODELS, { settings: SHORT });
    const writer = TraceWriter.open(path.join(dir, 'x.jsonl'), buildTraceHeader(res));
    try {
      writer.line(0, '[0,"up","n1"]');
      expect(() => writer.line(2, '[0,"up","n2"]')).toThrow(/out of order/);
      const report = runResolved(res);
      expect(() => writer.finish({ footer: true, traceHash: report.traceHash, events: 7, summary: { virtualMs: 0, events: 0, violations: [], stats: report.stats } })).toThrow(/footer counts 7/);
    } finally {
      writer.abort();
    }
    expect(fs.readdirSync(dir)).toEqual([]);
  });

  it('names a missing directory as a user error', () => {
    const res = resolveScenario(PING_SCENARIO, MODELS, { settings: SHORT });
    expect(() => recordTrace(res, path.join(dir, 'no', 'such', 'dir', 'x.jsonl'))).toThrow(/directory .* does not exist/);
  });
});
