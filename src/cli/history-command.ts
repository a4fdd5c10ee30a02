// Jepsen interop on the command line:
// - `ksim history [TRACE] -o history.edn` (alias export-history): a run's client history as
//   Jepsen's Kafka workload writes it (models/kafka/analysis/jepsen-history-edn.ts), for Jepsen's
//   checker or Elle. The run is a trace's (replayed from its header; the replay must reach the
//   trace's hash) or one given by --scenario/--seed/--set as `ksim run` takes them.
// - `ksim check-history history.edn`: a Jepsen or Maelstrom Kafka-workload history checked by
//   ksim's history checkers (models/kafka/analysis/history-check.ts), anomalies under Jepsen's
//   names, judged by the one verdict rule: exit 0 passed, 1 failed, 2 bad input.

import type { Command } from 'commander';
import type { CliIo } from './cli-io.ts';
import type { CheckHistoryOptions, HistoryOptions } from './history-actions.ts';
import { addFailOnOption } from './fail-on-option.ts';

const collect = (value: string, previous: string[] | undefined) => [...(previous ?? []), value];

const HISTORY_EXAMPLES = `
Examples:
  $ npx ksim run --scenario unclean-election --trace run.jsonl
  $ npx ksim history run.jsonl -o history.edn
  $ npx ksim history --scenario unclean-election --seed 3 -o history.edn
  $ npx ksim check-history history.edn

Exit codes: 0 written, 2 bad input (no such trace, a replay that does not reach the trace's hash, not a Kafka scenario), 3 a bug in ksim.`;

const CHECK_EXAMPLES = `
Examples:
  $ npx ksim check-history store/latest/history.edn
  $ npx ksim check-history history.edn --subscribe --json
  $ npx ksim check-history history.edn --ww-deps

Checked (Jepsen's names): lost-write, duplicate, nonmonotonic-send, int-send-skip (allowed),
int-nonmonotonic-send, poll-skip, nonmonotonic-poll, int-poll-skip, int-nonmonotonic-poll,
inconsistent-offsets, G1a, precommitted-read, unseen, and Elle's cycles over ww/wr/realtime edges:
G0, G0-realtime and PL-1/strong-PL-1-cycle-exists (allowed), G1c, G1c-realtime and
PL-2/strong-PL-2-cycle-exists (allowed with --ww-deps), empty-transaction-graph.
A history names no configuration, so every finding is a breach unless Jepsen's checker allows it.

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
    .option('--seed <seed>', "root seed, a whole number or any string (overrides the scenario's seed), without a trace")
    .option('--set <key=value>', 'override a scenario or model config key (repeatable), without a trace', collect)
    .addHelpText('after', HISTORY_EXAMPLES)
    .action(async (trace: string | undefined, options: HistoryOptions) => done((await import('./history-actions.ts')).historyCommand(trace, options, io)));
  addFailOnOption(
    program
      .command('check-history')
      .description("check a Jepsen or Maelstrom Kafka-workload history.edn with ksim's history checkers")
      .argument('<history>', 'history.edn: one op map a line, as Jepsen writes it')
      .option('--subscribe', "consumers subscribed (Jepsen's :sub-via :subscribe): poll-skip and nonmonotonic-poll are allowed")
      .option('--ww-deps', "infer write-write dependencies from offsets (Jepsen's :ww-deps): G0/G1c cycles through them; G1c is then allowed")
      .option('--json', 'print one JSON object instead of the summary'),
  )
    .addHelpText('after', CHECK_EXAMPLES)
    .action(async (file: string, options: CheckHistoryOptions) => done((await import('./history-actions.ts')).checkHistoryCommand(file, options, io)));
}

