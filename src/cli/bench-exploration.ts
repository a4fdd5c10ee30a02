// `npm run bench`'s exploration table (issue 14): how fast `ksim check` finds, unaided, what it is
// meant to find, through the engine `ksim check --workers 2` runs (src/explore/worker-check-engine.ts,
// its pool start-up included in every wall time):
//  - the known flaws each model's definition lists (knownBugs: for Kafka the protocol bugs of past
//    versions and two losses it permits, models/kafka/testing/known-bug-hunts.ts), from a fault-free
//    scenario with only the flawed side pinned (the last version with the bug, the weak setting),
//    then the same budget on the fixed side (the first version with the fix), which must pass;
//  - the bug zoo (bugZoo: the model's deliberate bugs, each on its own scenario).
// Per row, over fast-check seeds 1-5: how many seeds found a counterexample within the budget; the
// medians of the generated runs and the wall time to the first counterexample (a seed that found
// none counts as never) and of the wall time with shrinking; the median size (faults and operations) of the shrunk
// counterexamples; what their failing violations blame (the flaw a version finding names, else the
// verdict class); and what else the seeds met without failing on it: a known flaw's row fails only
// on its own flaw (--fail-on KIP-380, not the whole version class), so an old version's other flaws
// (KIP-966 on 2.1) are listed there, not counted as the find. Wall-clock reads are allowed here:
// this is the CLI, not simulation code.

import { performance } from 'node:perf_hooks';
import { MODELS } from '../../models/index.ts';
import { checkThreadBundle, runCheckOnWorkers } from '../explore/worker-check-engine.ts';
import { runGuidedCheckOnWorkers, type GuidedOutcome } from '../explore/worker-guided-check.ts';
import type { HuntSide, KnownBugHunt } from '../scenario/model-definition.ts';
import type { Violation } from '../sim/model.ts';
import { DEFAULT_FAIL_ON, failsUnder, flawLabelsOf, formatFailOn, VERDICT_CLASSES, verdictClassOf, type FailOnTerms } from '../scenario/verdict.ts';
import { ksimCommandLine } from '../explore/run-command-line.ts';

const REGISTRY_URL = new URL('../../models/index.ts', import.meta.url).href;
const SEEDS = [1, 2, 3, 4, 5];
const WORKERS = 2;
/**
 * Generated runs per seed for a known flaw, on each side: a side that finds nothing costs 5 x this
 * many runs (every fixed side does), each ~0.15 s of a core on check-small, plus a worker pool's
 * start-up per seed. At 100 the whole table (this part and the zoo) took 29 minutes of CPU, about 15
 * minutes on 2 idle cores; at 50, with more rows and composites, 1,565 s on the 2-core machine
 * shared with other work.
 */
export const HUNT_RUNS = 50;
/** Generated runs per seed for a zoo bug (its bound for seed 1 is at most 300; most are caught at once). */
const ZOO_RUNS = 200;

/** One seed's hunt. */
interface SeedHunt {
  found: boolean;
  /** Generated runs to the first counterexample (Infinity: none within the budget). */
  runs: number;
  /** Wall seconds to the first failing run (Infinity: none), and to the end of shrinking. */
  findS: number;
  totalS: number;
  /** Faults and operations of the shrunk counterexample; null when none was found. */
  faults: number | null;
  /** What the counterexample's failing violations blame: the flaws of --fail-on they name, else their classes. */
  blame: string[];
  /** What else the seed's runs met that failed none (flaws of version findings, other classes), each once. */
  met: string[];
  /** The properties of its failing violations. */
  caughtBy: string[];
  /** Coverage-guided search only: how the first failing run came about ("drawn", "shift"...). */
  strategy?: string;
}

interface CheckTarget {
  raw: Record<string, unknown>;
  /** Coverage-guided search (src/explore/worker-guided-check.ts) instead of fast-check's runs. */
  guided?: boolean;
  settings: string[];
  properties?: readonly string[];
  failOn?: FailOnTerms;
  runs: number;
}

/** What a violation blames, as the table names it: its flaws' labels (of those in `among`, when given), else its class. */
function blamed(v: Violation, among?: FailOnTerms): string[] {
  const flaws = flawLabelsOf(v, among);
  return flaws.length > 0 ? flaws : [verdictClassOf(v)];
}

/** Whether a violation failed its run: of a targeted property, and of a class or a flaw of --fail-on. */
function failing(v: Violation, failOn: FailOnTerms, properties: readonly string[] | undefined): boolean {
  return (properties === undefined || properties.includes(v.property)) && failsUnder(v, failOn);
}

/** The flaws and classes the passing runs met (check-runner's passedWithViolations), flaws before their class. */
function metInPassingRuns(passed: Awaited<ReturnType<typeof runCheckOnWorkers>>['passedWithViolations']): string[] {
  return VERDICT_CLASSES.flatMap((c) => {
    const flaws = Object.keys(passed[c].flaws);
    return passed[c].runs === 0 ? [] : flaws.length > 0 ? flaws : [c];
  });
}

async function huntOnce(t: CheckTarget, seed: number): Promise<SeedHunt> {
  const t0 = performance.now();
  let findMs = Infinity;
  const failOn = t.failOn ?? DEFAULT_FAIL_ON;
  try {
    const out = await (t.guided ? runGuidedCheckOnWorkers : runCheckOnWorkers)({
      raw: t.raw,
      models: MODELS,
      settings: t.settings,
      runs: t.runs,
      seed,
      properties: t.properties,
      failOn,
      workers: WORKERS,
      registryUrl: REGISTRY_URL,
      onProgress: (p) => {
        if (p.failures > 0 && findMs === Infinity) findMs = performance.now() - t0;
      },
    });
    const totalS = (performance.now() - t0) / 1000;
    const cx = out.counterexample;
    const strategy = 'origin' in out ? (out as GuidedOutcome).origin?.strategy : undefined;
    const metBefore = metInPassingRuns(out.passedWithViolations);
    if (!cx) return { found: false, runs: Infinity, findS: Infinity, totalS, faults: null, blame: [], met: metBefore, caughtBy: [] };
    const failed = cx.report.violations.filter((v) => failing(v, failOn, t.properties));
    const blame = [...new Set(failed.flatMap((v) => blamed(v, failOn)))];
    // What else: the counterexample's other findings, and the passing runs'; a failing finding's
    // other flaws (not named by --fail-on) are not something else.
    const aliases = new Set(failed.flatMap((v) => flawLabelsOf(v)));
    const metInCx = cx.report.violations.filter((v) => !failed.includes(v)).flatMap((v) => blamed(v));
    const met = [...new Set([...metBefore, ...metInCx])].filter((m) => !blame.includes(m) && !aliases.has(m));
    return { found: true, runs: out.runs, findS: findMs / 1000, totalS, faults: cx.case.faults.length + cx.case.operations.length, blame, met, caughtBy: [...new Set(failed.map((v) => v.property))], strategy };
  } catch (e) {
    // The counterexample's run threw (a model assertion, a run limit): a finding too, shown as such.
    const totalS = (performance.now() - t0) / 1000;
    const message = e instanceof Error ? e.message.split('\n')[0] : String(e);
    return { found: true, runs: NaN, findS: findMs / 1000, totalS, faults: null, blame: [`threw: ${message.slice(0, 60)}`], met: [], caughtBy: ['(run threw)'] };
  }
}

export async function huntSeeds(t: CheckTarget): Promise<SeedHunt[]> {
  // Outside the seeds' clocks: builds the pool threads' code bundle if the sources changed since
  // its last build (about a second of CPU, more on a loaded machine), which the first seed's find
  // time would otherwise include; a few ms of file checks when it is current.
  checkThreadBundle(REGISTRY_URL);
  const out: SeedHunt[] = [];
  for (const seed of SEEDS) out.push(await huntOnce(t, seed));
  return out;
}

function median(xs: readonly number[]): number {
  if (xs.length === 0) return NaN;
  const s = [...xs].sort((a, b) => a - b);
  return s[s.length >> 1];
}

/** A median for the table: "-" when it is never (most seeds found nothing) or there is none. */
function shown(x: number, digits: number): string {
  return Number.isFinite(x) ? x.toFixed(digits) : '-';
}

/** "a x4, b x1": each value with the number of seeds it came up in, most often first. */
function tally(values: readonly string[]): string {
  const counts = new Map<string, number>();
  for (const v of values) counts.set(v, (counts.get(v) ?? 0) + 1);
  return [...counts].sort((a, b) => b[1] - a[1]).map(([v, n]) => `${v} x${n}`).join(', ');
}

/**
 * "KIP-380 x4; also met KIP-966 x5": what the seeds' counterexamples blame, then what else the seeds
 * met that failed nothing (seeds per flaw or class); with coverage-guided search, "(found by shift x2, drawn x1)".
 */
function blameSummary(hunts: readonly SeedHunt[]): string {
  const blame = tally(hunts.flatMap((h) => h.blame)) || '-';
  const met = tally(hunts.flatMap((h) => h.met));
  const strategies = hunts.flatMap((h) => (h.strategy === undefined ? [] : [h.strategy]));
  return `${blame}${strategies.length === 0 ? '' : ` (found by ${tally(strategies)})`}${met === '' ? '' : `; also met ${met}`}`;
}

/** The figures of one row: found, runs, find s, total s, faults, blame. */
export function figures(hunts: readonly SeedHunt[]): string {
  const found = hunts.filter((h) => h.found);
  return [
    `${found.length}/${hunts.length}`.padStart(5),
    shown(median(hunts.map((h) => h.runs)), 0).padStart(5),
    shown(median(hunts.map((h) => h.findS)), 1).padStart(7),
    shown(median(found.map((h) => h.totalS)), 1).padStart(8),
    shown(median(found.flatMap((h) => (h.faults === null ? [] : [h.faults]))), 0).padStart(6),
    ` ${blameSummary(hunts)}`,
  ].join(' ');
}

export const FLAW_WIDTH = 36;
export const PINNED_WIDTH = 48;
export const HEADER = `${'found'.padStart(5)} ${'runs'.padStart(5)} ${'find s'.padStart(7)} ${'total s'.padStart(8)} ${'faults'.padStart(6)}  blamed on; also met (not failing)`;

/**
 * What fails a side's runs: the hunt's terms on the flawed side; on the fixed side its classes only,
 * since a version with the fix cannot show the flaw (`--fail-on` refuses the name there).
 */
function sideFailOn(h: KnownBugHunt, side: HuntSide): FailOnTerms {
  return side === h.fixed ? h.failOn.filter((t) => (VERDICT_CLASSES as readonly string[]).includes(t)) : h.failOn;
}

/** The `ksim check` a known flaw's side runs at one seed (what each of its rows' seeds stands for). */
export function huntCommand(h: KnownBugHunt, side: HuntSide, seed: number | 'S'): string {
  const args = ['check', '--scenario', h.scenario, ...[...h.settings, ...side.settings].flatMap((s) => ['--set', s])];
  args.push(...h.properties.flatMap((p) => ['--property', p]), '--fail-on', formatFailOn(sideFailOn(h, side)));
  args.push('--runs', String(HUNT_RUNS), '--seed', String(seed), '--workers', String(WORKERS));
  return ksimCommandLine(args);
}

/** One known flaw: its flawed side, then its fixed side on the same budget. */
async function benchHunt(h: KnownBugHunt): Promise<{ flawed: SeedHunt[]; fixed: SeedHunt[] }> {
  const side = (s: HuntSide): CheckTarget => ({ raw: h.raw, settings: [...h.settings, ...s.settings], properties: h.properties, failOn: sideFailOn(h, s), runs: HUNT_RUNS });
  const flawed = await huntSeeds(side(h.flawed));
  console.log(`  ${h.bug.padEnd(FLAW_WIDTH)} ${h.flawed.label.padEnd(PINNED_WIDTH)} ${figures(flawed)}`);
  console.log(`    (each seed S: ${huntCommand(h, h.flawed, 'S')})`);
  const fixed = await huntSeeds(side(h.fixed));
  console.log(`  ${''.padEnd(FLAW_WIDTH)} ${`${h.fixed.label} (fixed)`.padEnd(PINNED_WIDTH)} ${figures(fixed)}`);
  return { flawed, fixed };
}

/**
 * Whether a counterexample on a fixed side is a false alarm or a real finding: it blames the flaw
 * the side fixes, a breach, or a run that threw. One that blames another flaw the fixed version
 * still has (0.11 fixed KIP-101 but not KIP-279) is what that version does, and is only shown.
 */
function isAlarm(h: KnownBugHunt, s: SeedHunt): boolean {
  if (h.names === undefined) return true;
  return s.blame.some((b) => b.includes(h.names!) || b === 'breach' || b.startsWith('threw'));
}

/**
 * The exploration table: every model's known flaws (each side HUNT_RUNS runs a seed), then its bug
 * zoo (ZOO_RUNS a seed), each seed a `ksim check --workers 2`. Ends with the table's wall time and
 * the fixed sides that failed, if any (each a false alarm or a real finding).
 */
export async function benchExploration(): Promise<void> {
  const t0 = performance.now();
  const hunts = MODELS.flatMap((m) => m.knownBugs ?? []);
  console.log('');
  console.log(
    `exploration (ksim check --workers ${WORKERS}, fast-check seeds ${SEEDS[0]}-${SEEDS[SEEDS.length - 1]}; medians, a seed that finds nothing counts as never; wall times include the pool's start-up)`,
  );
  console.log(`known flaws (${hunts.length}: fault-free scenario, ${HUNT_RUNS} generated runs a seed on each side)`);
  console.log(`  ${'flaw'.padEnd(FLAW_WIDTH)} ${'pinned'.padEnd(PINNED_WIDTH)} ${HEADER}`);
  const alarms: string[] = [];
  for (const h of hunts) {
    const { fixed } = await benchHunt(h);
    if (fixed.some((s) => s.found && isAlarm(h, s))) alarms.push(`${h.bug} on ${h.fixed.label}: ${blameSummary(fixed)}`);
  }
  const zoo = MODELS.flatMap((m) => m.bugZoo ?? []);
  console.log(`bug zoo (${zoo.length} deliberate model bugs, each on its zoo scenario; ${ZOO_RUNS} generated runs a seed)`);
  console.log(`  ${'bug'.padEnd(FLAW_WIDTH)} ${'caught by (the property that must)'.padEnd(PINNED_WIDTH)} ${HEADER}`);
  for (const zc of zoo) {
    const seeds = await huntSeeds({ raw: zc.raw, settings: zc.settings, runs: ZOO_RUNS });
    const caughtBy = [...new Set(seeds.flatMap((s) => s.caughtBy))];
    const must = caughtBy.includes(zc.property) ? zc.property : `${zc.property} NOT CAUGHT`;
    const others = caughtBy.filter((p) => p !== zc.property);
    console.log(`  ${zc.bug.padEnd(FLAW_WIDTH)} ${[must, ...others].join(', ').slice(0, PINNED_WIDTH).padEnd(PINNED_WIDTH)} ${figures(seeds)}`);
  }
  console.log(`  fixed sides with a counterexample blaming their fix or a breach: ${alarms.length === 0 ? 'none' : alarms.join('; ')}`);
  console.log(`  table wall time: ${((performance.now() - t0) / 1000).toFixed(0)} s`);
}
