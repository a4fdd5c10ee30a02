// The ksim command line, end to end: exit codes, one-line user errors without stack traces, the
// --json output, traces that replay identical, edits found at their line, and no partial trace
// after a run that hit a limit. Determinism across processes is checked by spawning bin.mjs.

import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MODELS } from '../../models/index.ts';
import { EXIT_INTERNAL, reportError } from './cli-errors.ts';
import { main } from './main.ts';
import { sealedTrace, traceContents } from '../trace/testing/trace-lines.ts';
import { spawnKsim as spawnArgv, type KsimResult as Result } from './testing/spawn-ksim.ts';

const spawnKsim = (...argv: string[]) => spawnArgv(argv);

/** Short runs keep the suite fast; faults are dropped so any model's default schedule fits. */
const SHORT = ['--set', 'faults=[]', '--set', 'durationMs=3000'];

async function ksim(...argv: string[]): Promise<Result> {
  let stdout = '';
  let stderr = '';
  const code = await main(argv, { out: (t) => void (stdout += t), err: (t) => void (stderr += t) });
  return { code, stdout, stderr };
}

/** A user error: exit 2, nothing on stdout, exactly one `ksim: ...` line on stderr, no stack. */
function expectUserError(r: Result, pattern: RegExp): void {
  expect(r.code, r.stderr).toBe(2);
  expect(r.stdout).toBe('');
  expect(r.stderr).toMatch(/^ksim: [^\n]+\n$/);
  expect(r.stderr).toMatch(pattern);
  expect(r.stderr).not.toMatch(/\n\s+at /);
}

let dir: string;
let trace: string;
beforeAll(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'ksim-cli-'));
  trace = path.join(dir, 'run.jsonl');
});
afterAll(() => {
  fs.rmSync(dir, { recursive: true, force: true });
});

describe('ksim run', () => {
  it('gives the same trace hash for the same seed in two processes, another for another seed', async () => {
    const [a, b, c] = await Promise.all([
      spawnKsim('run', '--json', '--seed', '7'),
      spawnKsim('run', '--json', '--seed', '7'),
      ksim('run', '--json', '--seed', '8'), // in-process: a third process would add nothing but time
    ]);
    for (const r of [a, b, c]) expect(r.code, r.stderr).toBe(0);
    const [ja, jb, jc] = [a, b, c].map((r) => JSON.parse(r.stdout));
    expect(ja.traceHash).toMatch(/^[0-9a-f]{16}$/);
    expect(jb.traceHash).toBe(ja.traceHash);
    expect(jb.events).toBe(ja.events);
    expect(jc.traceHash).not.toBe(ja.traceHash);
  });

  it('prints one JSON object with the required fields under --json', async () => {
    const r = await ksim('run', '--json', '--seed', '3', ...SHORT, '--trace', path.join(dir, 'json.jsonl'));
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout.trim().split('\n')).toHaveLength(1);
    const out = JSON.parse(r.stdout);
    expect(out).toMatchObject({ seed: '3', virtualMs: 3000, violations: [], tracePath: path.join(dir, 'json.jsonl') });
    expect(out.scenario).toMatchObject({ seed: '3', durationMs: 3000, faults: [] });
    expect(out.scenario.limits).toBeDefined(); // resolved: every default is filled in
    expect(out.traceHash).toMatch(/^[0-9a-f]{16}$/);
    expect(out.events).toBeGreaterThan(0);
    expect(out.stats.kernel.events).toBe(out.events);
    expect(out.stats.model).toBeTypeOf('object');
    expect(out.wallMs).toBeTypeOf('number');
    expect(out.traceBytes).toBe(fs.statSync(path.join(dir, 'json.jsonl')).size);
  });

  it('names whom faults and operations aimed at roles hit, in the summary and in --json', async () => {
    // The leader of orders-0 is shut down at 2 s (leadership moves at once); the crash at 4 s hits the next leader.
    const aimed = [
      '--scenario', 'check-small', '--set', 'durationMs=8000',
      '--set', 'operations=[{"atMs":2000,"kind":"controlled-shutdown","broker":"@leader:orders-0","durationMs":5000}]',
      '--set', 'faults=[{"atMs":4000,"kind":"crash","node":"@leader:orders-0","durationMs":1000}]',
    ];
    const text = await ksim('run', ...aimed);
    const lines = [...text.stdout.matchAll(/^ {4}aimed at (.*)$/gm)].map((m) => m[1]);
    expect(lines).toEqual([expect.stringMatching(/^2\.000s controlled-shutdown: leader of orders-0 \(b\d\)$/), expect.stringMatching(/^4\.000s crash: leader of orders-0 \(b\d\)$/)]);
    const [shutDown, crashed] = lines.map((l) => /\((b\d)\)$/.exec(l)![1]);
    expect(crashed).not.toBe(shutDown); // leadership moved off the broker shut down
    const json = JSON.parse((await ksim('run', ...aimed, '--json')).stdout) as { aimedFaults: string[] };
    expect(json.aimedFaults).toEqual(lines);
  });

  it('prints a readable summary with the replay command', async () => {
    const r = await ksim('run', '--seed', '3', ...SHORT, '--trace', trace);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toMatch(/seed 3/);
    expect(r.stdout).toMatch(/virtual 3\.000 s/);
    expect(r.stdout).toMatch(/real time/);
    expect(r.stdout).toMatch(/faults applied: none/);
    expect(r.stdout).toMatch(/network: \d+ sent/);
    expect(r.stdout).toMatch(/all checked properties hold/);
    expect(r.stdout).toMatch(/trace hash [0-9a-f]{16}/);
    expect(r.stdout).toContain(`replay it with: npx ksim replay ${trace}`);
  });

  it('leaves no trace or temp file when the run hits eventsMax', async () => {
    const sub = fs.mkdtempSync(path.join(dir, 'limit-'));
    const r = await ksim('run', '--set', 'limits.eventsMax=100', '--trace', path.join(sub, 'x.jsonl'));
    expectUserError(r, /limits\.eventsMax=100/);
    expect(fs.readdirSync(sub)).toEqual([]);
  });

  it('names an unknown --set key', async () => {
    expectUserError(await ksim('run', '--set', 'no.such.key=1'), /unknown config key "no\.such\.key"/);
  });

  it('refuses unknown options and commands with exit 2', async () => {
    expectUserError(await ksim('run', '--no-such-option'), /unknown option '--no-such-option'/);
    expectUserError(await ksim('frobnicate'), /unknown command 'frobnicate'/);
    expectUserError(await ksim('replay'), /missing required argument 'file'/);
  });

  it('says where a scenario file is not JSON, and names a missing one', async () => {
    const bad = path.join(dir, 'bad.json');
    fs.writeFileSync(bad, '{\n  "durationMs": 1000,\n  "seed": oops\n}\n');
    expectUserError(await ksim('run', '--scenario', bad), /is not valid JSON at line 3, column 11/);
    expectUserError(await ksim('run', '--scenario', path.join(dir, 'missing.json')), /no such file/);
    expectUserError(await ksim('run', '--scenario', 'chek-small'), /no preset of that name \(did you mean "check-small"\?\); presets are/);
  });

  it('reads a scenario file and takes --set after it', async () => {
    const file = path.join(dir, 'scenario.json');
    fs.writeFileSync(file, JSON.stringify({ name: 'from-file', durationMs: 2000 }));
    const r = await ksim('run', '--json', '--scenario', file, '--set', 'durationMs=1500');
    expect(r.code, r.stderr).toBe(0);
    expect(JSON.parse(r.stdout).scenario).toMatchObject({ name: 'from-file', durationMs: 1500 });
  });

  it.runIf(MODELS.some((m) => m.name === 'heartbeat'))('exits 1 when a property is violated, and the trace still replays', async () => {
    const file = path.join(dir, 'buggy.json');
    const buggy = path.join(dir, 'buggy.jsonl');
    fs.writeFileSync(
      file,
      JSON.stringify({
        model: 'heartbeat',
        durationMs: 5000,
        heartbeat: { bug: 'sticky-suspicion' },
        faults: [{ atMs: 1000, kind: 'partition', groups: [['n1'], ['n2', 'n3']], durationMs: 1000 }],
      }),
    );
    const r = await ksim('run', '--scenario', file, '--trace', buggy);
    expect(r.code, r.stderr).toBe(1);
    expect(r.stdout).toMatch(/\d+ violations?:\n\s+eventual-trust: /);
    const replay = await ksim('replay', buggy);
    // identical, and the violation reproduces: exit 1, as the run did
    expect(replay.code).toBe(1);
    expect(replay.stdout).toMatch(/: identical\n/);
    expect(replay.stdout).toMatch(/the run's verdict: \d+ violations?:\n(.*\n)*  verdict: FAILED, decided by eventual-trust \(breach\)/);
  });

  it('prints help with examples', async () => {
    for (const argv of [['--help'], ['run', '--help'], ['replay', '--help'], ['check', '--help']]) {
      const r = await ksim(...argv);
      expect(r.code).toBe(0);
      expect(r.stdout).toMatch(/Usage: ksim/);
      expect(r.stdout).toMatch(/Examples:/);
    }
  });
});

describe('ksim replay', () => {
  beforeAll(async () => {
    const r = await ksim('run', '--seed', '9', '--set', 'faults=[]', '--set', 'durationMs=5000', '--trace', trace);
    expect(r.code, r.stderr).toBe(0);
  });

  it('replays a written trace as identical', async () => {
    const r = await ksim('replay', trace);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toMatch(/: identical\n/);
    const events = fs.readFileSync(trace, 'utf8').split('\n').length - 3;
    expect(r.stdout).toContain(`${events} trace entries, trace hash`);
    const j = await ksim('replay', trace, '--json');
    expect(JSON.parse(j.stdout)).toMatchObject({ identical: true, events });
  });

  it('reports an intact trace whose line 200 differs at its index with exit 1', async () => {
    const lines = traceContents(trace);
    const fields = JSON.parse(lines[201]);
    fields[0] += 1;
    lines[201] = JSON.stringify(fields);
    const edited = path.join(dir, 'edited.jsonl');
    fs.writeFileSync(edited, sealedTrace(lines)); // sealed again: intact, as another ksim could write it
    const r = await ksim('replay', edited);
    expect(r.code).toBe(1);
    expect(r.stdout).toMatch(/DIVERGED at event 200 \(file line 202\)/);
    expect(r.stdout).toContain(`trace:  ${lines[201]}`);
    const j = JSON.parse((await ksim('replay', edited, '--json')).stdout);
    expect(j).toMatchObject({ identical: false, divergence: { kind: 'line', index: 200 } });
  });

  it('refuses the same edit without its check as damage at line 202 with exit 2, never a divergence', async () => {
    const lines = fs.readFileSync(trace, 'utf8').split('\n');
    lines[201] = lines[201].replace(/^\[(\d+)/, (_, t: string) => `[${Number(t) + 1}`);
    const edited = path.join(dir, 'edited-unsealed.jsonl');
    fs.writeFileSync(edited, lines.join('\n'));
    expectUserError(await ksim('replay', edited), /edited-unsealed\.jsonl: damaged at line 202: its check does not match/);
  });

  it('refuses a truncated trace, a foreign JSON file and garbage in one line each, without a stack', async () => {
    const truncated = path.join(dir, 'truncated.jsonl');
    fs.writeFileSync(truncated, fs.readFileSync(trace).subarray(0, 20_000));
    const foreign = path.join(dir, 'package.json');
    fs.writeFileSync(foreign, JSON.stringify({ name: 'not-a-trace', version: '1.0.0' }, null, 2));
    const garbage = path.join(dir, 'garbage.bin');
    fs.writeFileSync(garbage, Buffer.from(Array.from({ length: 2000 }, (_, i) => (i * 131 + 7) & 0xff)));

    expectUserError(await ksim('replay', truncated), /truncated trace: no footer after \d+ events/);
    expectUserError(await ksim('replay', foreign), /foreign file/);
    // Through the real binary too: the exit code and stderr a shell sees.
    expectUserError(await spawnKsim('replay', garbage), /not a ksim trace/);
  });
});

describe('reportError', () => {
  it('keeps the stack of an internal error and exits 3', () => {
    let stderr = '';
    const code = reportError(new TypeError('boom'), { out: () => {}, err: (t) => void (stderr += t) });
    expect(code).toBe(EXIT_INTERNAL);
    expect(stderr).toMatch(/^ksim: internal error/);
    expect(stderr).toMatch(/TypeError: boom\n\s+at /);
  });
});
