// `ksim check` and `ksim sweep` stopped by Ctrl-C, as a user stops them: a real SIGINT to a ksim
// process drawing its terminal progress bar (KSIM_PROGRESS=bar draws it on a pipe, escape
// sequences included). check stops after the shrink step in progress, prints the summary so far,
// saves the smallest counterexample so far (which `ksim replay` replays to the same violation,
// and whose --seed/--path generates it again) and exits 130; sweep gives the cursor and line wrap
// back, prints the command that resumes it, and that command finishes the sweep. The in-process
// tests stop through CliIo.onInterrupt at an exact run, and check --time-limit-s and a stop
// before any failure.
import { spawn } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { MODELS } from '../../models/index.ts';
import { replayTrace } from '../trace/replay.ts';
import type { CliIo } from './cli-io.ts';
import { main } from './main.ts';

const BIN = fileURLToPath(new URL('./bin.mjs', import.meta.url));
const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'ksim-interrupt-'));
afterAll(() => fs.rmSync(tmp, { recursive: true, force: true }));

const CURSOR_HIDE = '\x1b[?25l';
const CURSOR_SHOW = '\x1b[?25h';
const WRAP_OFF = '\x1b[?7l';
const WRAP_ON = '\x1b[?7h';

/** A check whose first run fails and whose shrinking takes seconds (2 ms heartbeats, 10 s runs). */
const FAILING_CHECK = [
  'check',
  '--scenario',
  'heartbeat-az-outage',
  '--set',
  'heartbeat.bug=sticky-suspicion',
  '--set',
  'heartbeat.intervalMs=2',
  '--set',
  'durationMs=10000',
  '--runs',
  '30',
  '--seed',
  '3',
];

interface Finished {
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
}

/**
 * Runs ksim with the bar forced on, and sends one SIGINT once stderr shows `when`, and a second
 * as soon as stderr shows `again` (the first heard: two signals sent before either is delivered
 * are one).
 */
function interruptWhen(argv: string[], when: RegExp, again?: RegExp): Promise<Finished> {
  const child = spawn(process.execPath, [BIN, ...argv], { stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, KSIM_PROGRESS: 'bar' } });
  let stdout = '';
  let stderr = '';
  let sent = false;
  let sentAgain = false;
  child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
  child.stderr.on('data', (d: Buffer) => {
    stderr += d.toString();
    if (!sent && when.test(stderr)) {
      sent = true;
      child.kill('SIGINT');
    } else if (sent && !sentAgain && again?.test(stderr)) {
      sentAgain = true;
      child.kill('SIGINT');
    }
  });
  return new Promise((resolve) => child.on('close', (code, signal) => resolve({ code, signal, stdout, stderr })));
}

async function inProcess(argv: string[], io: Partial<CliIo> = {}): Promise<{ code: number; out: string; err: string }> {
  let out = '';
  let err = '';
  const code = await main(argv, { out: (t) => void (out += t), err: (t) => void (err += t), isTty: () => false, ...io });
  return { code, out, err };
}

describe('ksim check stopped by Ctrl-C (SIGINT)', () => {
  it('stops shrinking, prints the summary so far, saves a counterexample that replays, and exits 130', async () => {
    const traces = path.join(tmp, 'check-traces');
    // The bar says "shrinking" once the first run failed: interrupt the shrinking.
    const r = await interruptWhen([...FAILING_CHECK, '--traces-dir', traces], /1 failure, shrinking/);
    expect(r.code, r.stderr).toBe(130);

    // stderr: the bar took the cursor and line wrap, and gave them back before the stop notice
    const lastHide = r.stderr.lastIndexOf(CURSOR_HIDE);
    expect(lastHide).toBeGreaterThanOrEqual(0);
    expect(r.stderr.indexOf(WRAP_OFF)).toBeGreaterThanOrEqual(0);
    const notice = r.stderr.indexOf('Ctrl-C: stopping after the run in progress on each worker thread');
    expect(r.stderr.indexOf(CURSOR_SHOW, lastHide)).toBeGreaterThan(lastHide);
    expect(r.stderr.indexOf(CURSOR_SHOW, lastHide)).toBeLessThan(notice);
    expect(r.stderr.indexOf(WRAP_ON, lastHide)).toBeLessThan(notice);

    // stdout: the header first, then the summary of what was done
    const lines = r.stdout.split('\n');
    expect(lines[0]).toBe('ksim check: preset heartbeat-az-outage, seed 3');
    expect(lines[1]).toMatch(/^ {2}1 run(?: \+ \d+ shrinking)? in [\d.]+ s wall \([\d.]+ runs\/s\), stopped by Ctrl-C$/);
    expect(lines[2]).toMatch(/^ {2}COUNTEREXAMPLE after 1 run, shrunk to \d+ faults? so far \(shrinking stopped by Ctrl-C: a smaller one may exist\):$/);
    expect(r.stdout).toMatch(/\n {4}eventual-trust: n\d still suspects n\d at the end of the run/);

    // the trace: named by scenario, property and hash, and it replays to the same violation
    const trace = /\n {2}trace: (\S+)\n/.exec(r.stdout)![1];
    expect(path.dirname(trace)).toBe(traces);
    const name = /^heartbeat-az-outage-eventual-trust-([0-9a-f]{16})-[0-9a-f]{8}\.jsonl$/.exec(path.basename(trace));
    expect(name, trace).not.toBeNull();
    const replay = replayTrace(trace, MODELS);
    expect(replay.identical).toBe(true);
    expect(replay.report!.traceHash).toBe(name![1]);
    expect(replay.report!.violations.map((v) => v.property)).toContain('eventual-trust');
    const replayed = await inProcess(['replay', trace]);
    expect(replayed.code, replayed.err).toBe(1);
    expect(replayed.out).toMatch(/eventual-trust/);

    // the printed --seed/--path generates the same partly shrunk case again, saving where this one did
    const reproduce = r.stdout.split('\n').find((l) => l.startsWith('    npx ksim check '))!;
    expect(reproduce).toContain(` --traces-dir ${traces} `);
    const pathArg = /--path (\S+)$/.exec(reproduce)![1];
    const again = await inProcess([...FAILING_CHECK, '--path', pathArg, '--traces-dir', traces, '--json']);
    expect(again.code, again.err).toBe(1);
    expect(JSON.parse(again.out).counterexample.traceHash).toBe(name![1]);
  }, 120_000);
});

describe('ksim check quit by a second Ctrl-C', () => {
  it('a second SIGINT as soon as the first is heard quits at once, still printing what was found so far and the command that finds it again; exit 130', async () => {
    const traces = path.join(tmp, 'quit-traces');
    const r = await interruptWhen([...FAILING_CHECK, '--traces-dir', traces, '--workers', '2'], /1 failure, shrinking/, /Ctrl-C: stopping/);
    expect(r.code, r.stderr).toBe(130);
    const lines = r.stdout.split('\n');
    expect(lines[0]).toBe('ksim check: preset heartbeat-az-outage, seed 3');
    expect(lines[1]).toMatch(/^ {2}quit at once by a second Ctrl-C, the runs in progress abandoned: 1 of 30 runs done$/);
    expect(lines[2]).toMatch(/^ {2}a run failed; shrinking stopped after \d+ shrink runs \(smallest so far: \d+ faults or operations\); no counterexample saved/);
    // every flag given, those of where its output goes and how it runs included
    expect(lines[3]).toBe(`  the same check again (it finds the same runs): npx ksim check ${FAILING_CHECK.slice(1, -4).join(' ')} --workers 2 --traces-dir ${traces} --runs 30 --seed 3`);
    // nothing half-saved
    expect(fs.existsSync(traces) ? fs.readdirSync(traces) : []).toEqual([]);
  }, 120_000);
});

describe('ksim check stopped early, in-process', () => {
  it('a stop before any failure: every run done passed, nothing saved, exit 130', async () => {
    let interrupt = () => undefined as void;
    let stopped = false;
    const io: Partial<CliIo> = {
      onInterrupt: (handler) => {
        interrupt = handler;
        return () => void (stopped = true);
      },
      // The first progress line comes right after the first run: interrupt there.
      err: (t) => void (t.includes('1/50 runs') && interrupt()),
    };
    const traces = path.join(tmp, 'early');
    // One thread is given two tasks of 4 runs at a time: the stop, heard once the first task's runs
    // are accepted, leaves those and the 4 of the task in progress then: exactly 8 done.
    const argv = ['check', '--scenario', 'heartbeat-az-outage', '--set', 'durationMs=5000', '--runs', '50', '--seed', '5', '--workers', '1'];
    const r = await inProcess([...argv, '--traces-dir', traces], io);
    expect(r.code).toBe(130);
    expect(stopped).toBe(true);
    expect(r.out).toMatch(/^ksim check: preset heartbeat-az-outage, seed 5\n {2}8 runs in [\d.]+ s wall \([\d.]+ runs\/s\), stopped by Ctrl-C\n/);
    expect(r.out).toMatch(/\n {2}every run done \(8 of 50 asked\) passed: all checked properties hold\n/);
    expect(fs.existsSync(traces)).toBe(false);
  });

  it('--time-limit-s gives the same kind of summary, with the exit code of what it found', async () => {
    // Kafka's guarantee holds in every run of the default exploration: the limit ends a passing check.
    const r = await inProcess(['check', '--scenario', 'check-small', '--runs', '10000000', '--seed', '1', '--time-limit-s', '1', '--traces-dir', path.join(tmp, 'limit'), '--json']);
    expect(r.code).toBe(0);
    const out = JSON.parse(r.out);
    expect(out.interrupted).toBe(true);
    expect(out.stoppedBy).toBe('time-limit');
    // the runs finished by then (none, if the threads were still starting on a loaded machine)
    expect(out.runs).toBeLessThan(10_000_000);
  });
});

describe('ksim sweep stopped by Ctrl-C (SIGINT)', () => {
  it('restores the cursor and line wrap, prints the resume command, exits 130; the command finishes the sweep', async () => {
    const out = path.join(tmp, 'sweep');
    const argv = ['sweep', '--scenario', 'heartbeat-az-outage', '--grid', 'heartbeat.intervalMs=100,200,300', '--seeds', '40', '--workers', '1', '--out', out];
    const r = await interruptWhen(argv, /\| 0\/3 cells/);
    expect(r.code, r.stderr).toBe(130);
    const lastHide = r.stderr.lastIndexOf(CURSOR_HIDE);
    expect(lastHide).toBeGreaterThanOrEqual(0);
    expect(r.stderr.indexOf(WRAP_OFF)).toBeGreaterThanOrEqual(0);
    expect(r.stderr.indexOf(CURSOR_SHOW, lastHide)).toBeGreaterThan(lastHide);
    expect(r.stderr.indexOf(WRAP_ON, lastHide)).toBeGreaterThan(lastHide);
    const resume = `npx ksim sweep --scenario heartbeat-az-outage --grid heartbeat.intervalMs=100,200,300 --seeds 40 --workers 1 --out ${out}`;
    expect(r.stdout).toMatch(new RegExp(`^ksim sweep: stopped by Ctrl-C after [\\d.]+ s: \\d of 3 cells are in ${out} \\(\\d finished by this run\\); resume with:\\n {2}`));
    expect(r.stdout.trimEnd().split('\n').at(-1)).toBe(`  ${resume}`);

    const resumed = await inProcess(resume.split(' ').slice(2));
    expect(resumed.code, resumed.err).toBe(0);
    expect(fs.existsSync(path.join(out, 'sweep.json'))).toBe(true);
  }, 120_000);
});
