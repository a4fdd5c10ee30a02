// The work of `ksim history` and `ksim check-history` (history-command.ts registers them and loads
// this module only when one of them runs, so other commands never pay for it).

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
import { loadScenario } from './load-scenario.ts';
import { verdictJson } from './run-summary.ts';

export interface HistoryOptions {
  output: string;
  format: string;
  /** commander's --no-final-polls sets this false. */
  finalPolls?: boolean;
  scenario?: string;
  seed?: string;
  set?: string[];
}

export interface CheckHistoryOptions {
  subscribe?: boolean;
  wwDeps?: boolean;
  json?: boolean;
  failOn?: string[];
}

/** A history.edn of a long Jepsen test is tens of MB; 512 MiB refuses the wrong file. */
const HISTORY_BYTES_MAX = 512 * 1024 * 1024;

export function historyCommand(trace: string | undefined, options: HistoryOptions, io: CliIo): number {
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
  // Jepsen's final reader assigns itself every partition, then polls until it has read them all.
  const finals = (f: string) => ops.filter((op) => op.process === 'final-reader' && op.f === f).length;
  const n = (count: number, what: string) => `${count} ${what}${count === 1 ? '' : 's'}`;
  const finalOps = finals('assign') + finals('poll') > 0 ? `; the final reader's ${n(finals('assign'), 'assign')} and ${n(finals('poll'), 'poll')}` : '';
  io.out(
    `wrote ${options.output}: ${ops.length} completed ops (${count('send')} sends, ${count('poll')} polls, ${count('assign')} assigns${finalOps})` +
      `, each after its invocation; seed ${report.seed}, trace hash ${report.traceHash}\n`,
  );
  return EXIT_OK;
}

export function checkHistoryCommand(file: string, options: CheckHistoryOptions, io: CliIo): number {
  const failOn = parseFailOn(options.failOn);
  const { ops, ednIndex } = parseJepsenHistory(readInputText(file, `history "${file}"`, HISTORY_BYTES_MAX).text);
  // Nothing to judge is a wrong file, not a history that passes (Jepsen's analysis keeps ops with an integer :process).
  if (ops.length === 0)
    throw new UserError(`history "${file}": no client operation in it; a Jepsen Kafka history holds one EDN map per line with :type, :f, an integer :process and :value`);
  const check = checkHistory(ops, { subscribe: options.subscribe, wwDeps: options.wwDeps, opName: (op) => `op@${ednIndex.get(op) ?? op.index}` });
  const verdict = judgeRun(check.violations, failOn);
  if (options.json) {
    io.out(JSON.stringify({ file, ops: check.ops, violations: check.violations, allowed: check.allowed, verdict: verdictJson(verdict) }) + '\n');
    return verdict.failed ? EXIT_FAILED : EXIT_OK;
  }
  const invocations = ops.filter((op) => op.type === 'invoke').length;
  const lines = [`ksim check-history ${file}: ${check.ops} history entries (${invocations} invocations and ${check.ops - invocations} completions)`];
  if (check.violations.length === 0) lines.push('no anomaly found');
  for (const v of check.violations) lines.push(`  ${v.property} (breach): ${v.message}`);
  const allowed = Object.entries(check.allowed);
  if (allowed.length) lines.push(`allowed (Jepsen's allowed-error-types): ${allowed.map(([t, n]) => `${t} x${n}`).join(', ')}`);
  lines.push(describeVerdict(verdict));
  io.out(lines.join('\n') + '\n');
  return verdict.failed ? EXIT_FAILED : EXIT_OK;
}
