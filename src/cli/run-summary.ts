// The human summary of `ksim run`: what ran, how long it took in virtual and wall time, what the
// faults and the network did, the model's own lines, the verdict, and how to replay the trace.

import type { ModelDefinition } from '../scenario/model-definition.ts';
import type { RunReport } from '../scenario/run-report.ts';
import { ksimCommandLine } from '../explore/run-command-line.ts';
import { describeNotJudged, describeVerdict, VERDICT_CLASS_PHRASE, verdictClassOf, type RunVerdict, type VerdictClass } from '../scenario/verdict.ts';
import type { Violation } from '../sim/model.ts';

/** Violations listed one per line before the rest are counted. */
const VIOLATIONS_LISTED_MAX = 20;

interface RunSummaryInput {
  report: RunReport;
  definition: ModelDefinition;
  source: string;
  /** What the model chose on the user's behalf (Resolution.notes), shown under the header. */
  notes?: readonly string[];
  wallMs: number;
  tracePath?: string;
  traceBytes?: number;
  verdict: RunVerdict;
}

export function formatRunSummary(input: RunSummaryInput): string {
  const { report, definition, wallMs } = input;
  const k = report.stats.kernel;
  const lines: string[] = [];
  lines.push(`ksim run: ${report.scenario} (model ${report.model}, ${input.source}), seed ${report.seed}`);
  for (const note of input.notes ?? []) lines.push(`  ${note}`);
  lines.push(
    `  virtual ${formatSeconds(report.virtualMs)}, ${report.events} simulation events in ${formatSeconds(wallMs)} wall` +
      (wallMs > 0 ? `, ${formatSpeedUp(report.virtualMs / wallMs)} real time` : ''),
  );
  const faults = Object.entries(k.faultsApplied);
  lines.push(`  faults applied: ${faults.length === 0 ? 'none' : faults.map(([kind, n]) => `${kind} ${n}`).join(', ')}`);
  // Faults and operations aimed at roles, as they fired: whom they hit ("crash: leader of orders-0 (b2)").
  for (const a of report.aimedFaults ?? []) lines.push(`    aimed at ${a}`);
  lines.push(
    `  network: ${k.messagesSent} sent, ${k.messagesDelivered} delivered, ${k.messagesDropped} dropped on closed connections; ` +
      `${k.retransmissions} retransmissions, ${k.messagesStalled} stalled, ${k.messagesHeld} held`,
  );
  lines.push(
    `  connections: ${k.connectionsOpened} opened, ${k.connectionsReset} reset, ${k.connectionsRefused} refused, ` +
      `${k.connectionsTimedOut} timed out, ${k.connectionsClosed} closed by their client`,
  );
  for (const line of definition.describe?.(report) ?? []) lines.push(`  ${line}`);
  lines.push(...verdictLines(report.violations, input.verdict, '  '));
  lines.push(`  trace hash ${report.traceHash}`);
  if (input.tracePath !== undefined) {
    const bytes = input.traceBytes ?? 0;
    const perEvent = report.loggedEvents > 0 ? `, ${Math.round(bytes / report.loggedEvents)} bytes/entry` : '';
    lines.push(`  trace written to ${input.tracePath} (${report.loggedEvents} trace entries, ${formatBytes(bytes)}${perEvent})`);
    lines.push(`  replay it with: ${ksimCommandLine(['replay', input.tracePath])}`);
  }
  return lines.join('\n') + '\n';
}

/**
 * "all checked properties hold", or the violations, one line each (the first
 * VIOLATIONS_LISTED_MAX), then the verdict: which violation decided the exit code, or why none did.
 */
export function verdictLines(violations: readonly Violation[], verdict: RunVerdict, indent: string): string[] {
  const unjudged = verdict.notJudged.map((n) => `${indent}${describeNotJudged(n)}`);
  if (violations.length === 0) return unjudged.length === 0 ? [`${indent}all checked properties hold`] : [`${indent}every judged property holds`, ...unjudged];
  return [...violationLines(violations, indent), ...unjudged, `${indent}${describeVerdict(verdict)}`];
}

function violationLines(violations: readonly Violation[], indent: string): string[] {
  const lines = [`${indent}${violations.length} violation${violations.length === 1 ? '' : 's'}:`];
  for (const v of violations.slice(0, VIOLATIONS_LISTED_MAX)) lines.push(`${indent}  ${v.property}: ${v.message}`);
  if (violations.length > VIOLATIONS_LISTED_MAX) lines.push(`${indent}  ... and ${violations.length - VIOLATIONS_LISTED_MAX} more (--json lists them all)`);
  return lines;
}

/** The verdict for --json: whether the run failed, under which classes, and what decided it. */
export function verdictJson(verdict: RunVerdict): object {
  const v = verdict.decidedBy;
  const cls: VerdictClass | null = v ? verdictClassOf(v) : null;
  return {
    failed: verdict.failed,
    failOn: verdict.failOn,
    counts: verdict.counts,
    notJudged: verdict.notJudged,
    decidedBy: v ? { property: v.property, class: cls, phrase: VERDICT_CLASS_PHRASE[cls!], partition: v.partition ?? null, message: v.message } : null,
  };
}

export function formatSeconds(ms: number): string {
  if (ms < 1000) return `${ms.toFixed(ms < 10 ? 2 : 0)} ms`;
  return `${(ms / 1000).toFixed(ms < 10_000 ? 3 : 1)} s`;
}

function formatSpeedUp(ratio: number): string {
  if (ratio >= 100) return `${Math.round(ratio)}x`;
  return `${ratio.toFixed(ratio >= 10 ? 1 : 2)}x`;
}

function formatBytes(bytes: number): string {
  if (bytes < 1024) return `${bytes} B`;
  if (bytes < 1024 * 1024) return `${(bytes / 1024).toFixed(1)} KiB`;
  return `${(bytes / (1024 * 1024)).toFixed(1)} MiB`;
}
