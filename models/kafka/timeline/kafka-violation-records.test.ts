// The violating records of a Kafka run's trace: recovered by replaying the run (the footer keeps
// only messages) through the Kafka timeline's violationSubjects, or read from the messages by its
// subjectsFromMessage when a replay is not asked for or does not match; and the `ksim timeline`
// command around it (exit codes, atomic output).
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { main } from '../../../src/cli/main.ts';
import { violationsOfTrace } from '../../../src/report/violation-records.ts';
import { resolveScenario } from '../../../src/scenario/resolve-scenario.ts';
import { readTraceFile } from '../../../src/trace/trace-reader.ts';
import { recordTrace } from '../../../src/trace/trace-writer.ts';
import { MODELS, SCENARIO_PRESETS } from '../../index.ts';

let dir: string;
let trace: string;

beforeAll(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'ksim-violations-'));
  trace = path.join(dir, 'unclean.jsonl');
  recordTrace(resolveScenario(SCENARIO_PRESETS['unclean-election'], MODELS, { settings: ['durationMs=40000'] }), trace);
});

describe('violation records', () => {
  it('replays the run to get the records each violation names, with their ack offsets', () => {
    const { header, footer } = readTraceFile(trace);
    const found = violationsOfTrace(header, footer, MODELS, { replay: true });
    expect(found.note).toMatch(/replaying the run/);
    const lost = found.violations.find((v) => v.property === 'lost-write')!;
    expect(lost.classification).toBe('permitted');
    expect(lost.band).toBe('jepsen-0');
    expect(lost.records.length).toBeGreaterThan(0);
    for (const r of lost.records) expect(lost.message).toContain(`r${r.record}@${r.offset}`);
  });

  it('reads the records from the messages without a replay, or when the replay is another run', () => {
    const { header, footer } = readTraceFile(trace);
    const replayed = violationsOfTrace(header, footer, MODELS, { replay: true }).violations;
    const fromMessages = violationsOfTrace(header, footer, MODELS, { replay: false });
    expect(fromMessages.note).toMatch(/violation messages \(replay not asked for\)/);
    const lost = (vs: typeof replayed) => vs.find((v) => v.property === 'lost-write')!;
    expect(lost(fromMessages.violations).records).toEqual(lost(replayed).records);
    const edited = { ...footer, traceHash: '0123456789abcdef' };
    expect(violationsOfTrace(header, edited, MODELS, { replay: true }).note).toMatch(/is not the trace's 0123456789abcdef/);
  });
});

describe('ksim timeline', () => {
  const run = async (...argv: string[]) => {
    const out: string[] = [];
    const err: string[] = [];
    const code = await main(argv, { out: (t) => void out.push(t), err: (t) => void err.push(t) });
    return { code, out: out.join(''), err: err.join('') };
  };

  it('writes the page atomically and says where', async () => {
    const html = path.join(dir, 'run.html');
    const r = await run('timeline', trace, '-o', html);
    expect(r.code).toBe(0);
    expect(r.out).toMatch(/2 violations from .*\n  timeline written to .*run\.html \(\d+ KiB\)/);
    expect(fs.readFileSync(html, 'utf8')).toMatch(/^<!doctype html>[\s\S]*<\/html>\n$/);
    expect(fs.readdirSync(dir).filter((f) => f.endsWith('.tmp'))).toEqual([]);
  });

  it('refuses a missing trace, a foreign file and an unwritable output with exit 2', async () => {
    expect(await run('timeline', path.join(dir, 'nope.jsonl'), '-o', path.join(dir, 'x.html'))).toMatchObject({ code: 2, err: expect.stringMatching(/cannot read trace .*nope\.jsonl.*: no such file or directory/) });
    fs.writeFileSync(path.join(dir, 'foreign.json'), '{\n  "a": 1\n}\n');
    expect((await run('timeline', path.join(dir, 'foreign.json'), '-o', path.join(dir, 'x.html'))).code).toBe(2);
    expect(await run('timeline', trace, '-o', path.join(dir, 'missing-dir', 'x.html'))).toMatchObject({ code: 2, err: expect.stringMatching(/does not exist/) });
    expect(await run('report', path.join(dir, 'nope'), '-o', path.join(dir, 'x.html'))).toMatchObject({ code: 2, err: expect.stringMatching(/no such sweep/) });
    expect(fs.existsSync(path.join(dir, 'x.html'))).toBe(false);
  });
});
