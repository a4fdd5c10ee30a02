// The fuzzer: fast-check generates hostile scenarios, `--set` values, argument lists of every
// command, damaged traces and out-of-bound values (hostile-cases.ts and beside it); each runs
// through ksim's command line in process, on a pool of threads with a wall-time and a heap bound
// per case (fuzz-pool.ts), and a sample also through the real binary. Every case must end in exit
// 0, 1 or 2; an exit 2 is one `ksim: ...` line on stderr and no stack; no case hangs or aborts; a
// value past a bound is refused naming its field; a damaged trace is damaged, never a divergence.
//
// `npm test` runs a small budget (KSIM_FUZZ_CASES, default 40); `npm run fuzz` runs 2,000 and
// prints the figures: cases, exits by code, the slowest case, the largest heap. A failing case is
// shrunk by fast-check (its seed and path replay it) and printed; each one found becomes a fixed
// input in regressions.ts, run every time.

import { execFileSync, spawn } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { boundCase } from './bound-cases.ts';
import { traceCase } from './damaged-traces.ts';
import { FuzzPool, type CaseResult } from './fuzz-pool.ts';
import { argvCase, runnableCase, scenarioCase, setCase, type FuzzCase } from './hostile-cases.ts';
import { REGRESSIONS } from './regressions.ts';

const CASES = Number(process.env.KSIM_FUZZ_CASES ?? 40);
const SEED = Number(process.env.KSIM_FUZZ_SEED ?? 17);
const CASE_TIMEOUT_MS = 30_000;
/**
 * A case that runs past the bound while other cases share the machine is run again alone with this
 * bound before it counts as a hang: on a loaded 2-core machine a 3 s case can take 30 s of wall time.
 */
const CONFIRM_TIMEOUT_MS = 120_000;
const HEAP_MB = 2048;
const BIN = fileURLToPath(new URL('../../src/cli/bin.mjs', import.meta.url));
const STUDY = fileURLToPath(new URL('../../models/kafka/studies/acks-minisr-unclean', import.meta.url));

let tmp: string;
let goodTrace: string;
let pool: FuzzPool;
let caseNo = 0;

beforeAll(async () => {
  tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'ksim-fuzz-'));
  pool = new FuzzPool(Math.min(2, os.availableParallelism()), CASE_TIMEOUT_MS, HEAP_MB);
  goodTrace = path.join(tmp, 'good.jsonl');
  const r = await pool.run(['run', '--scenario', 'heartbeat-az-outage', '--set', 'durationMs=1000', '--set', 'faults=[]', '--trace', goodTrace]);
  expect(r.code, r.err).toBe(0);
});
afterAll(async () => {
  await pool?.close();
  fs.rmSync(tmp, { recursive: true, force: true });
});

/** Writes the case's files into a fresh directory; returns its arguments with @DIR and @STUDY filled in. */
function materialize(c: FuzzCase): string[] {
  const dir = path.join(tmp, `case-${caseNo++}`);
  fs.mkdirSync(dir);
  for (const [name, content] of Object.entries(c.files))
    fs.writeFileSync(path.join(dir, name), content.startsWith('b64:') ? Buffer.from(content.slice(4), 'base64') : content);
  const argv = c.argv.map((a) => a.replaceAll('@DIR', dir).replaceAll('@STUDY', STUDY));
  if (argv.some((a) => a.startsWith(path.join(dir, 'good.jsonl')))) fs.copyFileSync(goodTrace, path.join(dir, 'good.jsonl'));
  if (argv.some((a) => a.startsWith(path.join(dir, 'fifo')))) execFileSync('mkfifo', [path.join(dir, 'fifo')]);
  return argv;
}

/** What is wrong with a case's outcome, or undefined. */
function problem(c: FuzzCase, r: CaseResult): string | undefined {
  if (r.code === 'hang') return `hang: ${r.err}`;
  if (r.code === 'abort') return `abort (the thread died, heap bound ${HEAP_MB} MB?): ${r.err}`;
  const allowed = c.codes ?? [0, 1, 2];
  if (!allowed.includes(r.code)) return `exit ${r.code}, expected ${allowed.join(' or ')}: ${r.err.slice(0, 2000)}`;
  if (/\n\s+at /.test(r.err) || /internal error/.test(r.err)) return `a stack trace or internal error on stderr: ${r.err.slice(0, 2000)}`;
  if (r.code === 2) {
    // A sweep may have printed its header and progress before it failed; the error itself is one line.
    const lines = r.err.split('\n').filter((l) => l !== '' && !/^ksim sweep: |^ {2}cell \d+ done/.test(l));
    if (lines.length !== 1 || !lines[0].startsWith('ksim: ')) return `exit 2 without exactly one "ksim: ..." line: ${JSON.stringify(r.err.slice(0, 2000))}`;
    if (c.stderr && !new RegExp(c.stderr).test(lines[0])) return `stderr does not match /${c.stderr}/: ${lines[0]}`;
  }
  return undefined;
}

function allCases(lines: string[]): fc.Arbitrary<FuzzCase> {
  return fc.oneof(
    { weight: 3, arbitrary: scenarioCase() },
    { weight: 3, arbitrary: setCase() },
    { weight: 3, arbitrary: argvCase() },
    { weight: 3, arbitrary: traceCase(lines) },
    { weight: 2, arbitrary: boundCase() },
    { weight: 3, arbitrary: runnableCase() },
  );
}

interface Figures {
  cases: number;
  byCode: Record<string, number>;
  byFamily: Record<string, number>;
  slowest: { wallMs: number; argv: string[] };
  heapPeakMb: number;
  cliSample: number;
}

function tally(figures: Figures, c: FuzzCase, argv: string[], r: CaseResult): void {
  figures.cases++;
  figures.byCode[String(r.code)] = (figures.byCode[String(r.code)] ?? 0) + 1;
  figures.byFamily[c.family] = (figures.byFamily[c.family] ?? 0) + 1;
  if (r.wallMs > figures.slowest.wallMs) figures.slowest = { wallMs: Math.round(r.wallMs), argv: argv.map((a) => (a.length > 80 ? `${a.slice(0, 77)}...` : a)) };
  figures.heapPeakMb = Math.max(figures.heapPeakMb, Math.round(r.heapBytes / 1024 / 1024));
}

/** Runs the case through the real binary: the exit code and stderr a shell sees. */
function throughCli(argv: string[]): Promise<CaseResult> {
  return new Promise((resolve) => {
    const start = performance.now();
    const child = spawn(process.execPath, [BIN, ...argv], { stdio: ['ignore', 'ignore', 'pipe'] });
    let err = '';
    child.stderr.on('data', (d: Buffer) => (err += d.toString()));
    const timer = setTimeout(() => child.kill('SIGKILL'), CONFIRM_TIMEOUT_MS);
    child.on('close', (code, signal) => {
      clearTimeout(timer);
      resolve({ code: signal ? 'hang' : (code ?? -1), err, outChars: 0, wallMs: performance.now() - start, heapBytes: 0 });
    });
  });
}

describe(`fuzz: ${CASES} hostile cases (seed ${SEED}) and ${REGRESSIONS.length} fixed regressions`, () => {
  it('fixed regression inputs', async () => {
    const failures: string[] = [];
    for (const c of REGRESSIONS) {
      const r = await pool.run(materialize(c));
      const why = problem(c, r);
      if (why) failures.push(`${JSON.stringify(c.argv)}: ${why}`);
    }
    expect(failures).toEqual([]);
  });

  it(
    'every generated case ends in exit 0, 1 or 2, one line for exit 2, no hang, no abort; bounds and damage named',
    async () => {
      const lines = fs.readFileSync(goodTrace, 'utf8').split('\n').slice(0, -1);
      const arb = allCases(lines);
      const cases = fc.sample(arb, { seed: SEED, numRuns: CASES });
      const figures: Figures = { cases: 0, byCode: {}, byFamily: {}, slowest: { wallMs: 0, argv: [] }, heapPeakMb: 0, cliSample: 0 };
      const failures: { index: number; argv: string[]; why: string }[] = [];
      // Every case in parallel; then each that ran past the bound again alone, when nothing else runs:
      // on a loaded 2-core machine a 3 s case can take 30 s of wall time. Alone it still has the 30 s
      // bound; the longer wait only tells a slow case from a stuck one.
      const argvs = cases.map(materialize);
      const results = await Promise.all(argvs.map((argv) => pool.run(argv)));
      for (let i = 0; i < cases.length; i++) {
        if (results[i].code !== 'hang') continue;
        const r = await pool.run(argvs[i], CONFIRM_TIMEOUT_MS);
        results[i] = r.code !== 'hang' && r.wallMs > CASE_TIMEOUT_MS ? { ...r, code: 'hang', err: `${Math.round(r.wallMs)} ms alone` } : r;
      }
      const samples: { index: number; c: FuzzCase; argv: string[]; code: CaseResult['code'] }[] = [];
      cases.forEach((c, index) => {
        const [argv, r] = [argvs[index], results[index]];
        tally(figures, c, argv, r);
        const why = problem(c, r);
        if (why) failures.push({ index, argv, why });
        // A sample goes through the real binary too, one at a time. (Not a check, whose seed may be
        // drawn at random; not an argument longer than a shell can pass, 128 KiB.)
        if (index % 25 === 0 && !argv.includes('check') && argv.every((a) => a.length < 100_000)) samples.push({ index, c, argv, code: r.code });
      });
      for (const { index, c, argv, code } of samples) {
        const cli = await throughCli(argv);
        figures.cliSample++;
        const why = problem(c, cli) ?? (cli.code !== code ? `the binary exited ${cli.code}, in process ${code}` : undefined);
        if (why) failures.push({ index, argv, why: `through the binary: ${why}` });
      }
      console.log(`ksim fuzz figures (seed ${SEED}):\n${JSON.stringify(figures, null, 2)}`);
      if (failures.length > 0) {
        failures.sort((a, b) => a.index - b.index);
        // fast-check replays the first failing case from its seed and path, and shrinks it.
        const first = failures[0];
        const shrunk = await fc
          .check(
            fc.asyncProperty(arb, async (c) => problem(c, await pool.run(materialize(c))) === undefined),
            { seed: SEED, path: String(first.index), endOnFailure: false },
          )
          .catch((e: unknown) => ({ counterexample: [String(e)] }));
        console.log(`shrunk counterexample (seed ${SEED}, path ${first.index}): ${JSON.stringify(shrunk.counterexample)}`);
      }
      expect(failures.map((f) => `case ${f.index} ${JSON.stringify(f.argv).slice(0, 600)}: ${f.why}`)).toEqual([]);
    },
    60_000 + CASES * 3_000,
  );
});
