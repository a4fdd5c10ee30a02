// `ksim run`: resolves a scenario (default, preset or file, then --set and --seed), runs it,
// optionally writes its trace, and prints a summary (or one JSON object with --json). Exit 0 when
// every checked property holds, 1 when one is violated.

import { Command } from 'commander';
import { MODELS, SCENARIO_PRESETS } from '../../models/index.ts';
import { resolveScenario } from '../scenario/resolve-scenario.ts';
import type { RunReport } from '../scenario/run-report.ts';
import { runCommandLine } from '../explore/run-command-line.ts';
import { addReproduction } from '../scenario/crashed-run.ts';
import type { Resolution } from '../scenario/resolve-scenario.ts';
import { runResolved } from '../scenario/run-scenario.ts';
import { replayProblem } from '../trace/replay.ts';
import { recordTrace } from '../trace/trace-writer.ts';
import { EXIT_FAILED, EXIT_OK, oneLine } from './cli-errors.ts';
import type { CliIo } from './cli-io.ts';
import { loadScenario } from './load-scenario.ts';
import { formatRunSummary, verdictJson } from './run-summary.ts';
import { addFailOnOption, FAIL_ON_EXPLAINED, parseFailOnFlag } from './fail-on-option.ts';
import { SET_EXPLAINED } from './set-option.ts';
import { judgeRun } from '../scenario/verdict.ts';

interface RunCommandOptions {
  scenario?: string;
  seed?: string;
  set?: string[];
  trace?: string;
  json?: boolean;
  failOn?: string[];
}

const PRESETS = Object.keys(SCENARIO_PRESETS);

const EXAMPLES = `
Examples:
  $ npx ksim run                                   the default scenario, seed from the scenario
  $ npx ksim run --seed 7 --trace run.jsonl        write a trace, then: npx ksim replay run.jsonl
  $ npx ksim run --scenario my-scenario.json --set durationMs=10000 --set network.lossRate=0.01
  $ npx ksim run --scenario ${PRESETS[0] ?? 'PRESET'}${' '.repeat(Math.max(1, 23 - (PRESETS[0] ?? 'PRESET').length))}a named preset
  $ npx ksim run --json | jq .traceHash
  $ npx ksim run --set acks=1 --json | jq '.configSources["producers.p1"].acks'   {"value":"1","source":"--set acks"}

Presets: ${PRESETS.length > 0 ? PRESETS.join(', ') : '(none yet)'}

${SET_EXPLAINED}

${FAIL_ON_EXPLAINED}

Exit codes: 0 no violation of a --fail-on class, 1 one (the output names the violation that decided
it), 2 bad input or a run limit, 3 a bug in ksim.`;

export function registerRunCommand(program: Command, io: CliIo, done: (exitCode: number) => void): void {
  const command = program
    .command('run')
    .description('run a scenario once and check its properties')
    .option('--scenario <file|preset>', 'scenario JSON file or preset name (default: the built-in default scenario)')
    .option('--seed <seed>', "root seed, a whole number or any string, as in a scenario's \"seed\" (overrides it)")
    .option('--set <key=value>', 'override a scenario or model config key (repeatable)', collect)
    .option('--trace <file>', 'write the run\'s trace (JSON Lines) to this file')
    .option('--json', 'print one JSON object instead of the summary');
  addFailOnOption(command)
    .addHelpText('after', EXAMPLES)
    .action((options: RunCommandOptions) => done(runCommand(options, io)));
}

function collect(value: string, previous: string[] | undefined): string[] {
  return [...(previous ?? []), value];
}

/** The run (and its trace); a crash gets the `ksim run` command that repeats it. */
function runOnce(resolution: Resolution, options: RunCommandOptions): { report: RunReport; traceBytes?: number; wallMs: number } {
  // The wall clock is read here only, for the speed figure; it never reaches the run.
  const wallStart = performance.now();
  try {
    const recorded = options.trace !== undefined ? recordTrace(resolution, options.trace) : { report: runResolved(resolution), traceBytes: undefined };
    return { ...recorded, wallMs: performance.now() - wallStart };
  } catch (e) {
    throw addReproduction(e, runCommandLine({ scenarioArg: options.scenario ?? null, settings: options.set ?? [], seed: resolution.scenario.seed, tracePath: options.trace }));
  }
}

function runCommand(options: RunCommandOptions, io: CliIo): number {
  const loaded = loadScenario(options.scenario);
  const resolution = resolveScenario(loaded.raw, MODELS, { settings: options.set ?? [], seed: options.seed });
  const failOn = parseFailOnFlag(options.failOn, () => resolution.definition.versionFlaws ?? [], () => resolution.definition.versionFlawsOf?.(resolution.scenario));

  // Checked before the run so the warning is not lost if the run fails; it does not stop the run,
  // a trace is still worth reading.
  const unreplayable = options.trace !== undefined ? replayProblem(resolution, MODELS) : undefined;

  const { report, traceBytes, wallMs } = runOnce(resolution, options);
  const verdict = judgeRun(report.violations, failOn, undefined, report.notJudged);

  if (options.json) {
    const out = {
      seed: report.seed,
      model: report.model,
      source: loaded.source,
      scenario: resolution.scenario,
      configSources: resolution.definition.configSources?.(resolution.scenario, resolution.settings),
      notes: resolution.notes,
      traceHash: report.traceHash,
      virtualMs: report.virtualMs,
      events: report.events,
      loggedEvents: report.loggedEvents,
      ...(report.aimedFaults ? { aimedFaults: report.aimedFaults } : {}),
      violations: report.violations,
      verdict: verdictJson(verdict),
      stats: report.stats,
      analysis: report.analysis,
      ...(options.trace !== undefined ? { tracePath: options.trace, traceBytes } : {}),
      wallMs: Math.round(wallMs * 1000) / 1000,
    };
    io.out(JSON.stringify(out) + '\n');
  } else {
    io.out(
      formatRunSummary({
        report,
        definition: resolution.definition,
        source: loaded.source,
        notes: resolution.notes,
        wallMs,
        tracePath: options.trace,
        traceBytes,
        verdict,
      }),
    );
  }
  if (unreplayable) io.err(`ksim: warning: this trace cannot be replayed: ${oneLine(unreplayable)}\n`);
  return verdict.failed ? EXIT_FAILED : EXIT_OK;
}
