// An internal error is a ksim bug: whatever command met it, the CLI exits 3 with the stack, the
// scenario and seed of the run that threw, and the commands that run it again. The fixture that
// throws is the heartbeat model's deliberate "assert-on-suspect" bug (an assertion fails at the
// first suspicion, 5 s into heartbeat-az-outage). A user error is still one line, exit 2.
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { main } from './main.ts';
import { sealedTrace, traceContents } from '../trace/testing/trace-lines.ts';

const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'ksim-internal-'));
afterAll(() => fs.rmSync(tmp, { recursive: true, force: true }));

const SCENARIO = ['--scenario', 'heartbeat-az-outage'];
const BUG = ['--set', 'heartbeat.bug="assert-on-suspect"'];

async function ksim(...argv: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  let stdout = '';
  let stderr = '';
  const code = await main(argv, { out: (t) => void (stdout += t), err: (t) => void (stderr += t), isTty: () => false });
  return { code, stdout, stderr };
}

/** Exit 3: the banner, the run, each reproduce command, then the stack. */
function expectCrash(r: { code: number; stderr: string }, seed: string, reproduce: string[]): void {
  expect(r.code, r.stderr).toBe(3);
  const lines = r.stderr.split('\n');
  lines.splice(0, lines.findIndex((l) => l.startsWith('ksim: internal error')));
  expect(lines[0]).toBe('ksim: internal error (a bug in ksim; please report it with the command line):');
  expect(lines[1]).toBe(`  in a run of scenario "heartbeat-az-outage" (model heartbeat), seed ${seed}`);
  expect(lines.slice(2, 2 + reproduce.length)).toEqual(reproduce.map((c) => `  reproduce: ${c}`));
  expect(r.stderr).toMatch(/heartbeat: assertion failed: n\d suspects n\d\n\s+at /);
}

describe('an internal error (exit 3)', () => {
  it('ksim run names the scenario, the seed and the ksim run that repeats it', async () => {
    const r = await ksim('run', ...SCENARIO, ...BUG, '--seed', '7');
    expectCrash(r, '7', [`npx ksim run --scenario heartbeat-az-outage --set 'heartbeat.bug="assert-on-suspect"' --seed 7`]);
    // The printed command crashes the same way.
    expectCrash(await ksim('run', ...SCENARIO, ...BUG, '--seed', '7'), '7', [`npx ksim run --scenario heartbeat-az-outage --set 'heartbeat.bug="assert-on-suspect"' --seed 7`]);
  });

  it('ksim sweep names the seed that crashed in a worker thread and its ksim run', async () => {
    const r = await ksim('sweep', ...SCENARIO, ...BUG, '--grid', 'heartbeat.intervalMs=100,200', '--seeds', '2', '--workers', '1', '--out', path.join(tmp, 'sweep'));
    expectCrash(r, '1', [`npx ksim run --scenario heartbeat-az-outage --set 'heartbeat.bug="assert-on-suspect"' --set heartbeat.intervalMs=100 --seed 1`]);
  });

  it('ksim check names the generated run: its (seed, path) and its own ksim run', async () => {
    const r = await ksim('check', ...SCENARIO, ...BUG, '--seed', '3', '--runs', '5', '--traces-dir', path.join(tmp, 'traces'));
    expect(r.code, r.stderr).toBe(3);
    const reproduce = r.stderr.split('\n').filter((l) => l.startsWith('  reproduce: '));
    expect(reproduce[0]).toMatch(/^ {2}reproduce: npx ksim check --scenario heartbeat-az-outage --set 'heartbeat\.bug="assert-on-suspect"' --traces-dir \S+ --seed 3 --path [\d:]+$/);
    expect(reproduce[1]).toMatch(/^ {2}reproduce: npx ksim run --scenario heartbeat-az-outage .*--set 'faults=\[.*\]' --seed \d+$/);
  });

  it('ksim replay and ksim timeline of a trace whose run now crashes name ksim replay', async () => {
    // A run with violations (so the timeline replays it to find their records)...
    const trace = path.join(tmp, 'run.jsonl');
    expect((await ksim('run', ...SCENARIO, '--set', 'heartbeat.bug="sticky-suspicion"', '--trace', trace)).code).toBe(1);
    // ... and the same trace with the assertion switched on in its header: replaying it crashes.
    const lines = traceContents(trace);
    const header = JSON.parse(lines[0]);
    header.scenario.heartbeat.bug = 'assert-on-suspect';
    lines[0] = JSON.stringify(header);
    const crashing = path.join(tmp, 'crashing.jsonl');
    fs.writeFileSync(crashing, sealedTrace(lines)); // intact: the run it holds now crashes
    expectCrash(await ksim('replay', crashing), '1', [`npx ksim replay ${crashing}`]);
    expectCrash(await ksim('timeline', crashing, '-o', path.join(tmp, 'crashing.html')), '1', [`npx ksim replay ${crashing}`]);
  });
});
