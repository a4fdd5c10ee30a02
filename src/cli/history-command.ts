// Jepsen interop on the command line:
// - `ksim history [TRACE] -o history.edn` (alias export-history): a run's client history as
//   Jepsen's Kafka workload writes it (models/kafka/analysis/jepsen-history-edn.ts), for Jepsen's
//   checker or Elle. The run is a trace's (replayed from its header; the replay must reach the
//   trace's hash) or one given by --scenario/--seed/--set as `ksim run` takes them.
// - `ksim check-history history.edn`: a Jepsen or Maelstrom Kafka-workload history checked by
//   ksim's history checkers (models/kafka/analysis/history-check.ts), anomalies under Jepsen's
//   names, judged by the one verdict rule: exit 0 passed, 1 failed, 2 bad input.

import { Command } from 'commander';
import { MODELS } from '../../models/index.ts';
import { runWithClientHistory } from '../../models/kafka/analysis/client-history-observer.ts';
import { checkHistory } from '../../models/kafka/analysis/history-check.ts';
import { formatJepsenHistory, parseJepsenHistory } from '../../models/kafka/analysis/jepsen-history-edn.ts';
import { checkReplaceable, writeFileAtomic } from '../files/output-file.ts';
import { readInputText } from '../files/input-file.ts';
import { resolveScenario } from '../scenario/resolve-scenario.ts';
import { UserError } from '../scenario/user-error.ts';
import { describeVerdict, judgeRun, parseFailOn } from '../scenario/verdict.ts';
import { TraceReader } from '../trace/trace-reader.ts';
import { EXIT_FAILED, EXIT_OK } from './cli-errors.ts';
import type { CliIo } from './cli-io.ts';
import { addFailOnOption } from './fail-on-option.ts';
import { loadScenario } from './load-scenario.ts';
import { verdictJson } from './run-summary.ts';

/** A history.edn of a long Jepsen test is tens of MB; 512 MiB refuses the wrong file. */
const HISTORY_BYTES_MAX = 512 * 1024 * 1024;

interface HistoryOptions {
  output: string;
  format: string;
  /** commander's --no-final-polls sets this false. */
  finalPolls?: boolean;
  scenario?: string;
  seed?: string;
  set?: string[];
}

interface CheckHistoryOptions {
  subscribe?: boolean;
  json?: boolean;
  failOn?: string[];
}

const collect = (value: string, previous: string[] | undefined) => [...(previous ?? []), value];

const HISTORY_EXAMPLES = `
Examples:
  $ ksim run --scenario unclean-election --trace run.jsonl
  $ ksim history run.jsonl -o history.edn
  $ ksim history --scenario unclean-election --seed 3 -o history.edn
  $ ksim check-history history.edn

Exit codes: 0 written, 2 bad input (no such trace, a replay that does not reach the trace's hash, not a Kafka scenario), 3 a bug in ksim.`;

const CHECK_EXAMPLES = `
Examples:
  $ ksim check-history store/latest/history.edn
  $ ksim check-history history.edn --subscribe --json

Checked (Jepsen's names): lost-write, duplicate, nonmonotonic-send, int-send-skip (allowed),
int-nonmonotonic-send, poll-skip, nonmonotonic-poll, int-poll-skip, int-nonmonotonic-poll,
inconsistent-offsets, G1a, precommitted-read, unseen. Not checked: Elle's cycles (G0, G1c...).
A history names no configuration, so every finding is a breach.

Exit codes: 0 passed, 1 an anomaly failed the history, 2 bad input, 3 a bug in ksim.`;

export function registerHistoryCommands(program: Command, io: CliIo, done: (exitCode: number) => void): void {
  program
    .command('history')
    .alias('export-history')
    .description("export a run's client history as Jepsen Kafka-workload EDN (history.edn) for Jepsen's checker or Elle")
    .argument('[trace]', 'trace file of the run (else the run of --scenario/--seed/--set)')
    .requiredOption('-o, --output <file.edn>', 'history file to write')
    .option('--format <format>', 'history format (only jepsen-kafka)', 'jepsen-kafka')
    .option('--no-final-polls', "leave out Jepsen's final polls (a poll of every committed log at the end of the run)")
    .option('--scenario <file|preset>', 'scenario JSON file or preset name, without a trace')
    .option('--seed <n>', "root seed (overrides the scenario's seed), without a trace")
    .option('--set <key=value>', 'override a scenario or model config key (repeatable), without a trace', collect)
    .addHelpText('after', HISTORY_EXAMPLES)
    .action((trace: string | undefined, options: HistoryOptions) => done(historyCommand(trace, options, io)));
  addFailOnOption(
    program
      .command('check-history')
      .description("check a Jepsen or Maelstrom Kafka-workload history.edn with ksim's history checkers")
      .argument('<history>', 'history.edn: one op map a line, as Jepsen writes it')
      .option('--subscribe', "consumers subscribed (Jepsen's :sub-via :subscribe): poll-skip and nonmonotonic-poll are allowed")
      .option('--json', 'print one JSON object instead of the summary'),
  )
    .addHelpText('after', CHECK_EXAMPLES)
    .action((file: string, options: CheckHistoryOptions) => done(checkHistoryCommand(file, options, io)));
}

function historyCommand(trace: string | undefined, options: HistoryOptions, io: CliIo): number {
  if (options.format !== 'jepsen-kafka') throw new UserError(`--format ${JSON.stringify(options.format)}: unknown format; use jepsen-kafka`);
  if (trace !== undefined && (options.scenario !== undefined || options.seed !== undefined || options.set !== undefined))
    throw new UserError('a trace already names its run: give either TRACE or --scenario/--seed/--set, not both');
  checkReplaceable(options.output, `-o "${options.output}"`);
  let raw: unknown;
  let expectedHash: string | null = null;
  if (trace !== undefined) {
    const reader = TraceReader.open(trace);
    raw = reader.header.scenario;
    expectedHash = reader.footer.traceHash;
  } else raw = loadScenario(options.scenario).raw;
  const resolution = resolveScenario(raw, MODELS, { settings: options.set ?? [], seed: options.seed });
  const { report, ops } = runWithClientHistory(resolution, { finalPolls: options.finalPolls !== false });
  if (expectedHash !== null && report.traceHash !== expectedHash)
    throw new UserError(`trace "${trace}": the replay's hash ${report.traceHash} is not the trace's ${expectedHash} (another ksim version?); export with the ksim that wrote it`);
  writeFileAtomic(options.output, formatJepsenHistory(ops), `-o "${options.output}"`);
  const count = (f: string) => ops.filter((op) => op.f === f && op.process !== 'final-reader').length;
  const finals = ops.filter((op) => op.process === 'final-reader' && op.f === 'poll').length;
  io.out(
    `wrote ${options.output}: ${ops.length} completed ops (${count('send')} sends, ${count('poll')} polls, ${count('assign')} assigns` +
      `${finals ? `, ${finals} final polls` : ''}), each after its invocation; seed ${report.seed}, trace hash ${report.traceHash}\n`,
  );
  return EXIT_OK;
}

function checkHistoryCommand(file: string, options: CheckHistoryOptions, io: CliIo): number {
  const failOn = parseFailOn(options.failOn);
  const { ops, ednIndex } = parseJepsenHistory(readInputText(file, `history "${file}"`, HISTORY_BYTES_MAX).text);
  const check = checkHistory(ops, { subscribe: options.subscribe, opName: (op) => `op@${ednIndex.get(op) ?? op.index}` });
  const verdict = judgeRun(check.violations, failOn);
  if (options.json) {
    io.out(JSON.stringify({ file, ops: check.ops, violations: check.violations, allowed: check.allowed, notChecked: check.notChecked, verdict: verdictJson(verdict) }) + '\n');
    return verdict.failed ? EXIT_FAILED : EXIT_OK;
  }
  const lines = [`ksim check-history ${file}: ${check.ops} client ops`];
  if (check.violations.length === 0) lines.push('no anomaly found');
  for (const v of check.violations) lines.push(`  ${v.property} (breach): ${v.message}`);
  const allowed = Object.entries(check.allowed);
  if (allowed.length) lines.push(`allowed (Jepsen's allowed-error-types): ${allowed.map(([t, n]) => `${t} x${n}`).join(', ')}`);
  lines.push(`not checked: ${check.notChecked.join(', ')} (Elle's dependency cycles)`);
  lines.push(describeVerdict(verdict));
  io.out(lines.join('\n') + '\n');
  return verdict.failed ? EXIT_FAILED : EXIT_OK;
}
