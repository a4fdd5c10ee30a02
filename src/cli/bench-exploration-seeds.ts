// `npm run bench:seeds`: the README's "runs to the first find over fast-check seeds 1-60" table, and
// the per-run survey it is read from. Five seeds (the bench's exploration table) are too few for a
// search whose flaws come up once in ten runs or so; this counts, over many seeds, the generated runs
// `ksim check` needs to its first counterexample, without shrinking and without wall time, so the
// figures do not depend on the machine or its load, and a change to generation can be judged by them.
//
// Each (hunt, seed) draws exactly the cases `ksim check --seed S --runs N` draws (the check's own
// case arbitrary, fast-check's runs 1..N of seed S; the property here never fails, so fast-check
// never shrinks and the draws are those of the check up to its first failure) and judges each run by
// the hunt's --property and --fail-on, as the check does. Per row: seeds that found it, the median
// run of the first find and the runs in all (a seed that finds nothing counts N in both).
// With --all every run of every seed is judged (not only up to the first find), and --out writes a
// line per run (its composite kinds, the settings drawn, whether it failed, the flaws it met), from
// which the share of runs without a composite and each composite's find rate per draw are read.
// --zoo counts the bug zoo's cases instead (each on its zoo scenario, every property, the default --fail-on).
// Usage: npm run bench:seeds -- [--seeds 1-60] [--runs 50] [--rows KIP-101,acks=1] [--side fixed] [--zoo] [--all] [--out FILE]
// Wall-clock reads are allowed here: this is the CLI, not simulation code.

import * as fs from 'node:fs';
import fc from 'fast-check';
import { MODELS } from '../../models/index.ts';
import { caseArbitrary, evaluateCase, type CheckOptions } from '../explore/check-runner.ts';
import type { CheckCase } from '../explore/check-case.ts';
import type { KnownBugHunt } from '../scenario/model-definition.ts';
import { DEFAULT_FAIL_ON } from '../scenario/verdict.ts';

interface SeedsOptions {
  seeds: number[];
  runs: number;
  rows: string[] | null;
  side: 'flawed' | 'fixed';
  all: boolean;
  out: string | null;
  /** The bug zoo's cases instead of the known flaws (each on its zoo scenario, the default --fail-on). */
  zoo: boolean;
}

/** One judged run, as --out writes it. */
interface RunLine {
  row: string;
  seed: number;
  run: number;
  failed: boolean;
  composites: string[];
  compositesEnabled: number;
  settings: string[];
  faults: number;
  operations: number;
  flaws: string[];
}

function parseArgs(argv: readonly string[]): SeedsOptions {
  const value = (flag: string) => {
    const at = argv.indexOf(flag);
    return at < 0 ? undefined : argv[at + 1];
  };
  const [from, to] = (value('--seeds') ?? '1-60').split('-').map(Number);
  const seeds = Array.from({ length: (to ?? from) - from + 1 }, (_, i) => from + i);
  const side = value('--side') === 'fixed' ? 'fixed' : 'flawed';
  return { seeds, runs: Number(value('--runs') ?? 50), rows: value('--rows')?.split(',') ?? null, side, all: argv.includes('--all'), out: value('--out') ?? null, zoo: argv.includes('--zoo') };
}

/** The check one hunt's side runs at one seed, as bench-exploration's rows run it. */
function checkOptions(h: KnownBugHunt, side: 'flawed' | 'fixed', seed: number, runs: number): CheckOptions {
  const classes = ['breach', 'configuration', 'version', 'fault-load'];
  const failOn = side === 'fixed' ? h.failOn.filter((t) => classes.includes(t)) : h.failOn;
  const properties = h.properties.length === 0 ? undefined : h.properties;
  return { raw: h.raw, models: MODELS, settings: [...h.settings, ...h[side].settings], runs, seed, properties, failOn };
}

/** The runs of one seed, judged up to the first failing one (all of them with `all`); the run number of the first, or null. */
function huntSeed(h: KnownBugHunt, o: SeedsOptions, seed: number, lines: RunLine[]): number | null {
  const opts = checkOptions(h, o.side, seed, o.runs);
  let run = 0;
  let first: number | null = null;
  const judge = (c: CheckCase) => {
    run++;
    if (first !== null && !o.all) return true;
    let failed: boolean;
    let flaws: string[] = [];
    try {
      const r = evaluateCase(opts, c);
      failed = r.failed;
      flaws = r.flaws;
    } catch {
      failed = true; // a run that throws fails the check too
    }
    if (failed && first === null) first = run;
    const composites = c.composites ?? [];
    lines.push({ row: h.bug, seed, run, failed, composites, compositesEnabled: c.swarm?.composites?.length ?? 0, settings: c.settings, faults: c.faults.length, operations: c.operations.length, flaws });
    return true;
  };
  fc.check(fc.property(caseArbitrary(opts), judge), { numRuns: o.runs, seed });
  return first;
}

function median(xs: readonly number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  const mid = s.length >> 1;
  return s.length % 2 === 1 ? s[mid] : (s[mid - 1] + s[mid]) / 2;
}

function main(): void {
  const o = parseArgs(process.argv.slice(2));
  const zoo = MODELS.flatMap((m) => m.bugZoo ?? []).map((z): KnownBugHunt => ({ ...z, scenario: '', properties: [], failOn: [...DEFAULT_FAIL_ON], flawed: { label: '', settings: [] }, fixed: { label: '', settings: [] } }));
  const hunts = (o.zoo ? zoo : MODELS.flatMap((m) => m.knownBugs ?? [])).filter((h) => o.rows === null || o.rows.some((r) => h.bug.startsWith(r)));
  const out = o.out === null ? null : fs.openSync(o.out, 'w');
  console.log(`runs to the first find over fast-check seeds ${o.seeds[0]}-${o.seeds[o.seeds.length - 1]}, ${o.runs} runs each (${o.side} side; a seed that finds nothing counts ${o.runs})`);
  console.log(`  ${'flaw'.padEnd(36)} ${'found'.padStart(9)} ${'median runs'.padStart(12)} ${'runs in all'.padStart(12)}`);
  for (const h of hunts) {
    const firsts: (number | null)[] = [];
    for (const seed of o.seeds) {
      const lines: RunLine[] = [];
      firsts.push(huntSeed(h, o, seed, lines));
      if (out !== null) fs.writeSync(out, lines.map((l) => JSON.stringify(l) + '\n').join(''));
    }
    const counted = firsts.map((f) => f ?? o.runs);
    const found = firsts.filter((f) => f !== null).length;
    const total = counted.reduce((a, b) => a + b, 0);
    console.log(`  ${h.bug.padEnd(36)} ${`${found}/${o.seeds.length}`.padStart(9)} ${String(median(counted)).padStart(12)} ${String(total).padStart(12)}   first finds: ${firsts.map((f) => f ?? '-').join(' ')}`);
  }
  if (out !== null) fs.closeSync(out);
}

main();
