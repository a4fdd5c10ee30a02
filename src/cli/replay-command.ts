// `ksim replay FILE`: runs a trace's scenario again and checks that it produces the same events,
// line for line. Exit 0 when identical, 1 when it diverged, 2 when the file is not a usable trace.

import { Command } from 'commander';
import { MODELS } from '../../models/index.ts';
import { ksimCommandLine } from '../explore/run-command-line.ts';
import { addReproduction } from '../scenario/crashed-run.ts';
import { replayTrace, type ReplayResult } from '../trace/replay.ts';
import { EXIT_FAILED, EXIT_OK } from './cli-errors.ts';
import type { CliIo } from './cli-io.ts';
import { formatReplaySummary } from './replay-summary.ts';
import { addFailOnOption, FAIL_ON_EXPLAINED, parseFailOnFlag } from './fail-on-option.ts';
import { verdictJson } from './run-summary.ts';
import { judgeRun, type RunVerdict } from '../scenario/verdict.ts';

interface ReplayCommandOptions {
  json?: boolean;
  failOn?: string[];
}

const EXAMPLES = `
Examples:
  $ npx ksim run --seed 7 --trace run.jsonl && npx ksim replay run.jsonl
  $ npx ksim replay traces/lost-write-cab1f71822101243.jsonl --json | jq .identical

The trace's header holds the fully resolved scenario, so a replay needs nothing but the file.
A trace written by another ksim version is still replayed; the output says so.

${FAIL_ON_EXPLAINED} The rule is the same as ksim run's: a run and its replay give the
same verdict for the same --fail-on.

Exit codes: 0 identical and no violation of a --fail-on class, 1 diverged (the first differing event
is shown) or the replayed run has a violation of a --fail-on class (a saved counterexample still
reproduces), 2 not a usable trace file (missing, empty, foreign, truncated, damaged), 3 a bug in ksim.`;

export function registerReplayCommand(program: Command, io: CliIo, done: (exitCode: number) => void): void {
  const command = program
    .command('replay')
    .description('replay a trace file and report whether the run is identical')
    .argument('<file>', 'trace file written by ksim run --trace')
    .option('--json', 'print one JSON object instead of the summary');
  addFailOnOption(command)
    .addHelpText('after', EXAMPLES)
    .action((file: string, options: ReplayCommandOptions) => done(replayCommand(file, options, io)));
}

function replayCommand(file: string, options: ReplayCommandOptions, io: CliIo): number {
  // The trace names its model only once read: a flaw of any model's versions is accepted.
  const failOn = parseFailOnFlag(options.failOn, () => MODELS.flatMap((m) => m.versionFlaws ?? []));
  const wallStart = performance.now();
  let result: ReplayResult;
  try {
    result = replayTrace(file, MODELS);
  } catch (e) {
    throw addReproduction(e, ksimCommandLine(['replay', file]));
  }
  const wallMs = performance.now() - wallStart;
  const verdict: RunVerdict | null = result.report ? judgeRun(result.report.violations, failOn, undefined, result.report.notJudged) : null;
  if (options.json) {
    const out = {
      tracePath: result.tracePath,
      identical: result.identical,
      events: result.footer.events,
      eventsMatched: result.eventsMatched,
      traceHash: result.footer.traceHash,
      replayHash: result.report?.traceHash,
      seed: result.header.seed,
      model: result.header.model,
      scenario: result.header.scenario,
      ksimVersion: result.header.ksimVersion,
      divergence: result.divergence,
      violations: result.report?.violations,
      verdict: verdict ? verdictJson(verdict) : null,
      notes: result.notes,
      wallMs: Math.round(wallMs * 1000) / 1000,
    };
    io.out(JSON.stringify(out) + '\n');
  } else {
    io.out(formatReplaySummary(result, wallMs, verdict));
  }
  // Like `ksim run`, by the same rule: a replay that reproduces a failing violation (a saved
  // counterexample) exits 1 too, so a script can tell "the bug still reproduces" from "this run
  // is clean".
  return result.identical && !verdict?.failed ? EXIT_OK : EXIT_FAILED;
}
