// `ksim sweep`: runs a grid of configurations times N seeds on worker threads and writes per-cell
// figures (sweep.json, sweep.csv, sweep.md; which figures is the model's sweep definition) under
// --out, with the worst run of each cell reproducible by a printed `ksim run` command (and its
// trace saved when it scored above zero, e.g. lost records).
// Resumable (finished cells persist; re-running the same command continues), shardable
// (`--shard i/n`, then `ksim sweep merge`), and deterministic: the outputs depend only on the
// arguments, never on --workers, sharding or interruptions. Built-in studies: `--study NAME`.
// Exit 0 when the sweep (or shard) finished, whatever it measured: a sweep is a measurement, not
// a check; 2 for bad input. It counts, per cell, the runs that fail under the one verdict rule
// (--fail-on, as ksim run, check and replay judge a run) and the runs with violations of each
// class. A progress bar with ETA on a terminal; otherwise a line at once and then at most one every
// few seconds. Ctrl-C stops the sweep (the finished cells stay on disk), restores the terminal,
// and prints the command that resumes it (exit 130).

import * as os from 'node:os';
import * as path from 'node:path';
import { Command } from 'commander';
import { MODELS } from '../../models/index.ts';
import { executeSweep, type SweepExecution, type SweepProgress, type SweepRegistry } from '../explore/sweep/worker-sweep-engine.ts';
import { mergeSweepDirs } from '../explore/sweep/sweep-merge.ts';
import { SET_EXPLAINED } from './set-option.ts';
import { cellCount } from '../explore/sweep/sweep-grid.ts';
import { parseShard, WHOLE_SWEEP } from '../explore/sweep/sweep-shard.ts';
import type { SweepSpec } from '../explore/sweep/sweep-spec.ts';
import { sweepMarkdown } from '../explore/sweep/sweep-outputs.ts';
import { sweepSpecOf } from '../explore/sweep/resolve-sweep-cells.ts';
import type { ModelSweep, SweepStudy } from '../scenario/model-sweep.ts';
import { UserError } from '../scenario/user-error.ts';
import type { SweepResult } from '../explore/sweep/sweep-result.ts';
import { EXIT_INTERRUPTED, EXIT_OK } from './cli-errors.ts';
import { ksimCommandLine } from '../explore/run-command-line.ts';
import { startTerminalBar, type TerminalBar } from './terminal-bar.ts';
import { addFailOnOption } from './fail-on-option.ts';
import { formatFailOn, parseFailOn, VERDICT_CLASSES } from '../scenario/verdict.ts';
import type { CliIo } from './cli-io.ts';
import { loadScenario } from './load-scenario.ts';
import { checkOutputDir } from '../files/output-file.ts';
import { openSweepDir } from '../explore/sweep/cell-store.ts';
import { integerFlag, workersFlag } from './integer-flag.ts';

interface SweepCommandOptions {
  scenario?: string;
  study?: string;
  set?: string[];
  grid?: string[];
  seeds?: string;
  seedBase?: string;
  workers?: string;
  shard?: string;
  out?: string;
  traces?: boolean;
  json?: boolean;
  failOn?: string[];
}

const DEFAULT_SEEDS = 20;
const DEFAULT_OUT = 'sweep-out';

/** The registry, for this thread and (as a module) for the worker threads. */
const REGISTRY: SweepRegistry = { models: MODELS, moduleUrl: new URL('../../models/index.ts', import.meta.url).href };

/** Every model's built-in studies. */
const STUDIES: readonly SweepStudy[] = MODELS.flatMap((m) => m.sweep?.studies ?? []);

const EXAMPLES = `
Examples:
  $ npx ksim sweep --grid acks=1,all --grid min.insync.replicas=1,2 --seeds 100 --out sweeps/acks
  $ npx ksim sweep --scenario rolling-restart --grid broker.rack=aware,naive --seeds 20
  $ npx ksim sweep --study acks-minisr-unclean --seeds 200
  $ npx ksim sweep --grid acks=1,all --shard 1/2 --out shard1    (and --shard 2/2 --out shard2)
  $ npx ksim sweep merge shard1 shard2 --out sweeps/era

Cells are the grid's cartesian product (first --grid slowest), each run with seeds B+1..B+N
(--seed-base B, --seeds N). Outputs in --out: sweep.json, sweep.csv, sweep.md, cells/ (one file
per finished cell: re-running the same command skips them) and traces/ (the worst run of each
cell that scored above zero, e.g. lost records, unless --no-traces).

${SET_EXPLAINED}

Studies: ${STUDIES.map((s) => s.name).join(', ')}
${STUDIES.map((s) => `  ${s.name}: ${s.summary}`).join('\n')}

Progress goes to stderr: a bar on a terminal, a line every few seconds otherwise. Ctrl-C stops the
sweep and prints the command that resumes it.

Exit codes: 0 the sweep or shard finished, 2 bad input, 3 a bug in ksim, 130 stopped by Ctrl-C.`;

const MERGE_EXAMPLES = `
Examples:
  $ npx ksim sweep --grid acks=1,all --seeds 20 --shard 1/2 --out shard1
  $ npx ksim sweep --grid acks=1,all --seeds 20 --shard 2/2 --out shard2
  $ npx ksim sweep merge shard1 shard2 --out sweeps/acks           sweep.json, sweep.csv, sweep.md of all cells

The shards must come from one sweep (same ksim version, scenario, settings, grid, seeds); a shard of
another sweep is refused. The outputs are written once every cell is there, byte for byte what an
unsharded sweep writes; until then merge says which cells are missing (re-running the sweep with
--out on the merged directory completes it).`;

function collect(value: string, previous: string[] | undefined): string[] {
  return [...(previous ?? []), value];
}

/** Seeds per cell at most: a cell is one configuration; more seeds only narrow its figures further. */
const SEEDS_MAX = 100_000;
export function registerSweepCommand(program: Command, io: CliIo, done: (exitCode: number) => void): void {
  const sweep = program
    .command('sweep')
    .description("run a grid of configurations x N seeds in parallel and tabulate the model's figures per cell (loss, availability, latency...)")
    .option('--scenario <file|preset>', 'base scenario (default: the built-in default scenario)')
    .option('--study <name>', `a built-in study: ${STUDIES.map((s) => s.name).join(', ')}`)
    .option('--set <key=value>', 'fix a scenario or config key for every cell (repeatable)', collect)
    .option('--grid <key=v1,v2,...>', 'a grid axis over any --set key (repeatable; first is slowest)', collect)
    .option('--seeds <n>', 'seeds per cell', String(DEFAULT_SEEDS))
    .option('--seed-base <b>', 'cells run seeds b+1..b+n', '0')
    .option('--workers <n>', 'worker threads (default: the machine\'s cores)')
    .option('--shard <i/n>', 'run only the cells with index % n == i-1 (merge shards with `ksim sweep merge`)')
    .option('--out <dir>', `output directory (also where finished cells persist; default ${DEFAULT_OUT})`)
    .option('--no-traces', 'do not save the worst runs\' traces')
    .option('--json', 'print the sweep result as JSON instead of the table');
  addFailOnOption(sweep)
    .addHelpText('after', EXAMPLES)
    .action(async (options: SweepCommandOptions) => done(await sweepCommand(options, io)));
  sweep
    .command('merge')
    .description('combine shard directories of one sweep into a complete sweep')
    .argument('<dirs...>', 'shard output directories')
    .option('--out <dir>', 'output directory (required)')
    .option('--json', 'print the merged sweep result as JSON')
    .addHelpText('after', MERGE_EXAMPLES)
    .action((dirs: string[], options: { out?: string; json?: boolean }) => {
      // The program parses options anywhere on the line, so `sweep` itself may have taken
      // `--out` and `--json` written after `merge`: they are merge's all the same.
      const parent = sweep.opts<SweepCommandOptions>();
      const out = options.out ?? parent.out;
      if (out === undefined) throw new UserError('sweep merge: --out DIR is required');
      checkOutputDir(out, `--out "${out}"`);
      done(mergeCommand(dirs, { out, json: options.json ?? parent.json, failOn: parent.failOn }, io));
    });
}

/** The spec of the sweep the flags describe (checked: every cell resolves). */
function sweepSpecFromOptions(options: SweepCommandOptions): { spec: SweepSpec; raw: unknown } {
  let scenarioArg = options.scenario;
  let settings = options.set ?? [];
  let gridTexts = options.grid ?? [];
  if (options.study !== undefined) {
    const study = STUDIES.find((s) => s.name === options.study);
    if (!study) throw new UserError(`--study ${options.study}: no such study; studies are ${STUDIES.map((s) => s.name).join(', ')}`);
    if (options.scenario !== undefined) throw new UserError(`--study ${study.name} brings its own scenario (${study.scenario}); drop --scenario`);
    if (gridTexts.length > 0) throw new UserError(`--study ${study.name} brings its own grid; drop --grid`);
    scenarioArg = study.scenario;
    settings = [...study.settings, ...settings];
    gridTexts = study.grid;
  }
  const loaded = loadScenario(scenarioArg);
  const seeds = integerFlag('seeds', options.seeds, DEFAULT_SEEDS, 1, SEEDS_MAX, "more only narrows a cell's figures");
  const seedBase = integerFlag('seed-base', options.seedBase, 0, 0, Number.MAX_SAFE_INTEGER - seeds, 'seeds stay exact integers');
  const spec = sweepSpecOf(
    { raw: loaded.raw, source: loaded.source, scenarioArg: scenarioArg ?? null, settings, grid: gridTexts, seeds, seedBase, traces: options.traces !== false },
    MODELS,
  );
  return { spec, raw: loaded.raw };
}

function formatSeconds(ms: number): string {
  return `${(ms / 1000).toFixed(1)} s`;
}

/** Plain progress lines at most this often. */
const LINE_INTERVAL_MS = 5000;
/** Finished cells a progress line names at most (the rest are counted). */
const CELLS_PER_LINE_MAX = 3;

/**
 * Progress: a bar with ETA on a terminal; otherwise a line when the sweep starts, then at most one
 * every few seconds, naming the cells finished since the last line. `stop()` restores the
 * terminal; it must run on every way out.
 */
function progressReporter(io: CliIo, quiet: boolean, sweep: ModelSweep): { onProgress: (p: SweepProgress) => void; stop: () => void } {
  // Wall-clock reads are the CLI's business (progress only); they never reach a run.
  const start = performance.now();
  if (io.isTty?.()) {
    let bar: TerminalBar | null = null;
    return {
      onProgress: (p) => {
        const payload = { cells: `${p.cellsDone}/${p.cellsTotal}` };
        if (!bar) bar = startTerminalBar(io, '  [{bar}] {percentage}% | {value}/{total} runs | {cells} cells | ETA {eta_formatted}', p.runsTotal, p.runsDone, payload, true);
        else bar.update(p.runsDone, payload);
      },
      stop: () => bar?.stop(),
    };
  }
  let lastLineMs = -Infinity;
  let finished: string[] = [];
  return {
    onProgress: (p) => {
      if (quiet) return;
      if (p.finished) {
        const f = p.finished.result.figures;
        finished.push(`cell ${p.finished.index} (${p.finished.result.settings.join(' ') || 'no grid'}): ${f.runs} runs${sweep.progress ? `, ${sweep.progress(f)}` : ''}`);
      }
      const elapsedMs = performance.now() - start;
      if (elapsedMs - lastLineMs < LINE_INTERVAL_MS && p.cellsDone < p.cellsTotal) return;
      lastLineMs = elapsedMs;
      const fraction = p.runsTotal === 0 ? 1 : p.runsDone / p.runsTotal;
      const eta = fraction > 0 ? `, ETA ${formatSeconds((elapsedMs / fraction) * (1 - fraction))}` : '';
      const more = finished.length > CELLS_PER_LINE_MAX ? `, and ${finished.length - CELLS_PER_LINE_MAX} more` : '';
      const done = finished.length > 0 ? `; done: ${finished.slice(0, CELLS_PER_LINE_MAX).join('; ')}${more}` : '';
      finished = [];
      io.err(`  ${p.runsDone}/${p.runsTotal} runs (${Math.round(fraction * 100)}%), ${p.cellsDone}/${p.cellsTotal} cells, ${formatSeconds(elapsedMs)} elapsed${eta}${done}\n`);
    },
    stop: () => undefined,
  };
}

/** The command line that runs this sweep again, so it resumes from the cells on disk. */
function resumeCommand(options: SweepCommandOptions, outDir: string): string {
  const args = ['sweep'];
  if (options.study !== undefined) args.push('--study', options.study);
  if (options.scenario !== undefined) args.push('--scenario', options.scenario);
  for (const s of options.set ?? []) args.push('--set', s);
  for (const g of options.grid ?? []) args.push('--grid', g);
  if (options.seeds !== undefined && options.seeds !== String(DEFAULT_SEEDS)) args.push('--seeds', options.seeds);
  if (options.seedBase !== undefined && options.seedBase !== '0') args.push('--seed-base', options.seedBase);
  if (options.workers !== undefined) args.push('--workers', options.workers);
  if (options.shard !== undefined) args.push('--shard', options.shard);
  args.push('--out', outDir);
  if (options.traces === false) args.push('--no-traces');
  for (const f of options.failOn ?? []) args.push('--fail-on', f);
  if (options.json) args.push('--json');
  return ksimCommandLine(args);
}

async function sweepCommand(options: SweepCommandOptions, io: CliIo): Promise<number> {
  const outDir = options.out ?? DEFAULT_OUT;
  checkOutputDir(outDir, `--out "${outDir}"`); // before every cell is resolved, not after
  const workers = workersFlag(options.workers);
  const shard = options.shard === undefined ? WHOLE_SWEEP : parseShard(options.shard);
  const { spec, raw } = sweepSpecFromOptions(options);
  openSweepDir(outDir, spec); // its problems are one line too, before the header
  const cells = cellCount(spec.grid);
  if (!options.json)
    io.err(
      `ksim sweep: ${spec.source}, ${cells} cell${cells === 1 ? '' : 's'} x ${spec.seeds} seeds (${spec.seedBase + 1}..${spec.seedBase + spec.seeds}), ` +
        `${workers} worker${workers === 1 ? '' : 's'}${shard.count > 1 ? `, shard ${shard.index}/${shard.count}` : ''}, out ${outDir}\n`,
    );
  const wallStart = performance.now();
  const sweep = MODELS.find((m) => m.name === spec.model)!.sweep!;
  const progress = progressReporter(io, options.json === true, sweep);
  const interrupt = new AbortController();
  // Heard once: with no listener left, a second SIGINT ends the process as it would any program.
  const unsubscribe = io.onInterrupt?.(() => {
    unsubscribe?.();
    interrupt.abort();
  });
  let execution: SweepExecution;
  try {
    execution = await executeSweep({
      spec,
      registry: REGISTRY,
      raw,
      outDir,
      shard,
      workers,
      onProgress: progress.onProgress,
      failOn: parseFailOn(options.failOn),
      signal: interrupt.signal,
    });
  } finally {
    progress.stop(); // the cursor and line wrap come back, whatever ended the sweep
    unsubscribe?.();
  }
  const wallMs = performance.now() - wallStart;
  if (interrupt.signal.aborted && execution.interrupted) {
    const resume = resumeCommand(options, outDir);
    if (options.json) io.out(JSON.stringify({ kind: 'ksim-sweep-partial', outDir, cellsMissing: execution.cellsMissing, interrupted: true, resume }) + '\n');
    else
      io.out(
        `ksim sweep: stopped by Ctrl-C after ${formatSeconds(wallMs)}: ${cells - execution.cellsMissing.length} of ${cells} cells are in ${outDir} ` +
          `(${execution.cellsRun} finished by this run); resume with:\n  ${resume}\n`,
      );
    return EXIT_INTERRUPTED;
  }
  if (options.json) {
    io.out(JSON.stringify(execution.result ?? { kind: 'ksim-sweep-partial', outDir, cellsMissing: execution.cellsMissing }) + '\n');
    return EXIT_OK;
  }
  io.out(
    `ksim sweep: ${execution.cellsRun} cell${execution.cellsRun === 1 ? '' : 's'} run (${execution.cellsRun * spec.seeds} runs) in ${formatSeconds(wallMs)} wall` +
      (execution.cellsSkipped > 0 ? `, ${execution.cellsSkipped} finished cell${execution.cellsSkipped === 1 ? '' : 's'} found in ${outDir} and skipped` : '') +
      '\n',
  );
  if (execution.result && execution.outputs) {
    io.out(formatResult(execution.result, execution.sweep, outDir));
    io.out(`  written: ${execution.outputs.json}, ${execution.outputs.csv}, ${execution.outputs.markdown}\n`);
  } else {
    io.out(
      `  ${cells - execution.cellsMissing.length} of ${cells} cells are in ${outDir}; ` +
        (shard.count > 1 ? `run the other shards, then: ${ksimCommandLine(['sweep', 'merge'])} <shard dirs> --out DIR\n` : `re-run the same command to finish\n`),
    );
  }
  return EXIT_OK;
}

function formatResult(result: SweepResult, sweep: ModelSweep, outDir: string): string {
  const lines = ['', sweepMarkdown(result, sweep)];
  lines.push(verdictLine(result));
  const rule = sweep.worstRun;
  const scored = result.cells.filter((c) => Number(c.worst[rule.figure]) > 0);
  if (scored.length > 0) {
    lines.push(`worst runs (${rule.ranking}):`);
    for (const c of scored) {
      lines.push(`  ${c.settings.join(' ') || '(no grid)'}: seed ${c.worst.seed} ${rule.verb} ${c.worst[rule.figure]}`);
      lines.push(`    ${c.worst.runCommand}`);
      if (c.worst.tracePath) lines.push(`    trace: ${path.join(outDir, c.worst.tracePath)}`);
    }
  } else {
    lines.push(rule.none);
  }
  return lines.join('\n') + '\n';
}

/**
 * The verdict rule over every run: "12 of 400 runs fail under --fail-on breach,configuration; runs
 * with violations: 3 breach, 9 configuration, 40 fault load; not judged (neither passed nor failed):
 * liveness-after-heal in 400 runs".
 */
function verdictLine(result: SweepResult): string {
  const total = result.cells.reduce((n, c) => n + (c.figures.runs ?? 0), 0);
  const failed = result.cells.reduce((n, c) => n + (c.verdict?.runsFailed ?? 0), 0);
  const byClass = VERDICT_CLASSES.map((cls) => [cls, result.cells.reduce((n, c) => n + (c.verdict?.runsByClass[cls] ?? 0), 0)] as const)
    .filter(([, n]) => n > 0)
    .map(([cls, n]) => `${n} ${cls === 'fault-load' ? 'fault load' : cls}`);
  const notJudged = new Map<string, number>();
  for (const c of result.cells) for (const [p, n] of Object.entries(c.verdict?.runsNotJudged ?? {})) notJudged.set(p, (notJudged.get(p) ?? 0) + n);
  const unjudged = [...notJudged].map(([p, n]) => `${p} in ${n} run${n === 1 ? '' : 's'}`);
  return (
    `${failed} of ${total} runs fail under --fail-on ${formatFailOn(result.failOn ?? [])}${byClass.length > 0 ? `; runs with violations: ${byClass.join(', ')}` : ''}` +
    (unjudged.length > 0 ? `; not judged (neither passed nor failed): ${unjudged.join(', ')}` : '')
  );
}

function mergeCommand(dirs: string[], options: { out: string; json?: boolean; failOn?: string[] }, io: CliIo): number {
  const outcome = mergeSweepDirs(dirs, options.out, MODELS, parseFailOn(options.failOn));
  if (outcome.cellsMissing.length > 0)
    throw new UserError(
      `sweep merge: incomplete: cell${outcome.cellsMissing.length === 1 ? '' : 's'} ${outcome.cellsMissing.join(', ')} (of ${cellCount(outcome.spec.grid)}) ` +
        `in none of ${dirs.join(', ')}; run the missing shards and merge again (the ${outcome.cells} cells found are kept in ${options.out})`,
    );
  if (options.json) io.out(JSON.stringify(outcome.result) + '\n');
  else {
    io.out(`ksim sweep merge: ${dirs.length} director${dirs.length === 1 ? 'y' : 'ies'}, ${outcome.cells} cells\n`);
    io.out(formatResult(outcome.result!, outcome.sweep, options.out));
    io.out(`  written: ${outcome.outputs!.json}, ${outcome.outputs!.csv}, ${outcome.outputs!.markdown}\n`);
  }
  return EXIT_OK;
}
