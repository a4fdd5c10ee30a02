// Replay: an untouched trace replays identical. An intact trace of a run that went differently (an
// edit sealed again, as another ksim could have written it) is reported at the first differing
// line's index with both lines; dropped or added lines, a wrong footer hash and a different ksim
// version are each reported for what they are. The same edits written without their checks are
// damage: a UserError naming the line, never a divergence.

import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MODELS, PING_SCENARIO } from '../scenario/testing/fixture-registry.ts';
import { resolveScenario } from '../scenario/resolve-scenario.ts';
import { UserError } from '../scenario/user-error.ts';
import { replayProblem, replayTrace } from './replay.ts';
import { KSIM_VERSION } from './trace-format.ts';
import { recordTrace } from './trace-writer.ts';
import { sealedLines, sealedTrace, traceContents } from './testing/trace-lines.ts';

let dir: string;
let good: string;
let lines: string[]; // the contents of header, events..., footer (without their checks)
let traceHash: string;

beforeAll(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'ksim-replay-'));
  good = path.join(dir, 'good.jsonl');
  const res = resolveScenario(PING_SCENARIO, MODELS, { settings: ['faults=[]', 'durationMs=5000'], seed: '11' });
  traceHash = recordTrace(res, good).report.traceHash;
  lines = traceContents(good);
  expect(lines.length - 2).toBeGreaterThan(300);
});
afterAll(() => {
  fs.rmSync(dir, { recursive: true, force: true });
});

/** The trace with an edit, sealed again: intact, but not the run the header replays. */
function variant(name: string, edit: (copy: string[]) => void): string {
  const copy = [...lines];
  edit(copy);
  const p = path.join(dir, name);
  fs.writeFileSync(p, sealedTrace(copy));
  return p;
}

/** The trace with an edit whose lines keep their old checks (`at` is the edited line's index): damage. */
function damagedVariant(name: string, edit: (copy: string[]) => void): string {
  const copy = sealedLines(lines);
  edit(copy);
  const p = path.join(dir, name);
  fs.writeFileSync(p, copy.join('\n') + '\n');
  return p;
}

/** A sealed line's content with its check kept: the check no longer matches. */
function keepCheck(sealed: string, content: string): string {
  return `${content.slice(0, -1)}${sealed.slice(sealed.lastIndexOf(','))}`;
}

/** Changes a line's content while keeping it a valid event line: its time goes up by 1 µs. */
function bumpTime(line: string): string {
  const fields = JSON.parse(line) as unknown[];
  fields[0] = (fields[0] as number) + 1;
  return JSON.stringify(fields);
}

function setFooter(copy: string[], change: Record<string, unknown>): void {
  copy[copy.length - 1] = JSON.stringify({ ...JSON.parse(copy[copy.length - 1]), ...change });
}

describe('replayTrace', () => {
  it('replays an untouched trace as identical', () => {
    const r = replayTrace(good, MODELS);
    expect(r.identical).toBe(true);
    expect(r.divergence).toBeUndefined();
    expect(r.eventsMatched).toBe(lines.length - 2);
    expect(r.report?.traceHash).toBe(traceHash);
    expect(r.notes).toEqual([]);
  });

  it('reports an edited event line at its index, with both lines and its time', () => {
    for (const index of [0, 200, lines.length - 3]) {
      const original = lines[index + 1];
      const p = variant(`edit-${index}.jsonl`, (c) => (c[index + 1] = bumpTime(c[index + 1])));
      const r = replayTrace(p, MODELS);
      expect(r.identical).toBe(false);
      expect(r.divergence).toMatchObject({ kind: 'line', index, expected: bumpTime(original), actual: original });
      expect(r.divergence?.timeUs).toBe((JSON.parse(original)[0] as number) + 1);
      expect(r.eventsMatched).toBe(index);
    }
  });

  it('refuses the same edits without their checks as damage at their line, never as a divergence', () => {
    for (const index of [0, 200, lines.length - 3]) {
      const p = damagedVariant(`damaged-edit-${index}.jsonl`, (c) => (c[index + 1] = keepCheck(c[index + 1], bumpTime(lines[index + 1]))));
      expect(() => replayTrace(p, MODELS)).toThrow(UserError);
      expect(() => replayTrace(p, MODELS)).toThrow(new RegExp(`damaged at line ${index + 2}: its check does not match`));
    }
    const dropped = damagedVariant('damaged-drop.jsonl', (c) => c.splice(101, 1));
    expect(() => replayTrace(dropped, MODELS)).toThrow(/damaged at line 102: its check does not match/);
    const hash = damagedVariant('damaged-hash.jsonl', (c) => {
      const last = c.length - 1;
      c[last] = keepCheck(c[last], JSON.stringify({ ...JSON.parse(lines[last]), traceHash: '0123456789abcdef' }));
    });
    expect(() => replayTrace(hash, MODELS)).toThrow(new RegExp(`damaged at line ${lines.length}: its check does not match`));
    const seed = damagedVariant('damaged-seed.jsonl', (c) => (c[0] = c[0].replace('"seed":"11"', '"seed":"12"')));
    expect(() => replayTrace(seed, MODELS)).toThrow(/damaged at line 1: its check does not match/);
  });

  it('refuses a line damaged beyond JSON as a bad file, naming its line', () => {
    const p = damagedVariant('damaged.jsonl', (c) => (c[151] = c[151].slice(0, -1)));
    expect(() => replayTrace(p, MODELS)).toThrow(UserError);
    expect(() => replayTrace(p, MODELS)).toThrow(/damaged at line 152: it has no check at its end/);
  });

  it('reports a dropped event line where the lines first differ', () => {
    const p = variant('dropped.jsonl', (c) => {
      c.splice(101, 1); // event 100
      setFooter(c, { events: c.length - 2 });
    });
    const r = replayTrace(p, MODELS);
    expect(r.identical).toBe(false);
    expect(r.divergence?.kind).toBe('line');
    expect(r.divergence?.index).toBeLessThanOrEqual(100);
    expect(r.divergence?.actual).toBe(lines[r.divergence!.index + 1]);
  });

  it('reports a trace that ends before the replay does', () => {
    const p = variant('short.jsonl', (c) => {
      c.splice(c.length - 2, 1); // the last event
      setFooter(c, { events: c.length - 2 });
    });
    const r = replayTrace(p, MODELS);
    expect(r.divergence).toMatchObject({ kind: 'trace-ended', index: lines.length - 3, actual: lines[lines.length - 2] });
  });

  it('reports a trace with more events than the replay', () => {
    const extra = '[999999999,"up","n1"]';
    const p = variant('long.jsonl', (c) => {
      c.splice(c.length - 1, 0, extra);
      setFooter(c, { events: c.length - 2 });
    });
    const r = replayTrace(p, MODELS);
    expect(r.divergence).toMatchObject({ kind: 'replay-ended', index: lines.length - 2, expected: extra, timeUs: 999999999 });
  });

  it("reports a footer hash that is not the replay's", () => {
    const p = variant('hash.jsonl', (c) => setFooter(c, { traceHash: '0123456789abcdef' }));
    const r = replayTrace(p, MODELS);
    expect(r.identical).toBe(false);
    expect(r.divergence?.kind).toBe('hash');
    expect(r.divergence?.message).toContain('0123456789abcdef');
    // every line matched: the message says the run itself replayed, and how the hash can differ
    expect(r.divergence?.message).toMatch(/^every event line is equal \(the run replays event for event\).*the footer was edited, or written by a ksim that hashed the stream differently/);
  });

  it('still replays a trace from another ksim version, and says so', () => {
    const p = variant('old.jsonl', (c) => (c[0] = JSON.stringify({ ...JSON.parse(c[0]), ksimVersion: '0.0.1' })));
    const r = replayTrace(p, MODELS);
    expect(r.identical).toBe(true);
    expect(r.notes.join(' ')).toContain(`written by ksim 0.0.1; this is ksim ${KSIM_VERSION}`);
  });

  it('replays the header scenario, so editing it diverges', () => {
    const p = variant('seed.jsonl', (c) => {
      const header = JSON.parse(c[0]);
      header.scenario.seed = '12';
      c[0] = JSON.stringify(header);
    });
    const r = replayTrace(p, MODELS);
    expect(r.identical).toBe(false);
    expect(r.notes.join(' ')).toMatch(/header's seed 11 differs from its scenario's seed 12/);
  });

  // Replay resolves the header's (already resolved) scenario again, so a model must accept its
  // own output unchanged (the product registry's test checks every preset).
  it('resolves the resolved form of a scenario to itself, so its traces replay', () => {
    expect(replayProblem(resolveScenario(PING_SCENARIO, MODELS), MODELS)).toBeUndefined();
  });

  it('refuses a header scenario that no longer resolves', () => {
    const p = variant('model.jsonl', (c) => {
      const header = JSON.parse(c[0]);
      header.scenario.model = 'no-such-model';
      c[0] = JSON.stringify(header);
    });
    expect(() => replayTrace(p, MODELS)).toThrow(UserError);
    expect(() => replayTrace(p, MODELS)).toThrow(/cannot replay: the trace's scenario does not resolve: .*unknown model/);
  });
});
