// The human output of `ksim replay`: "identical" with the hash and event count, or where the replay
// first diverged from the trace with both lines side by side.

import { formatTimeUs } from '../sim/time.ts';
import type { ReplayResult } from '../trace/replay.ts';
import type { RunVerdict } from '../scenario/verdict.ts';
import { formatSeconds, verdictLines } from './run-summary.ts';

export function formatReplaySummary(result: ReplayResult, wallMs: number, verdict: RunVerdict | null): string {
  const { header, footer, divergence } = result;
  const lines: string[] = [];
  const what = `${header.scenario.name} (model ${header.model}), seed ${header.seed}`;
  if (result.identical) {
    lines.push(`ksim replay ${result.tracePath}: identical`);
    lines.push(`  ${footer.events} trace entries, trace hash ${footer.traceHash}`);
    lines.push(`  ${what}, virtual ${formatSeconds(footer.summary.virtualMs)}, replayed in ${formatSeconds(wallMs)} wall`);
    if (result.report && verdict) {
      const [first, ...rest] = verdictLines(result.report.violations, verdict, '  ');
      lines.push(`  the run's verdict: ${first.trim()}`, ...rest);
    }
  } else if (divergence) {
    const at = divergence.timeUs === undefined ? '' : ` at virtual time ${formatTimeUs(divergence.timeUs)}`;
    const where = divergence.kind === 'hash' ? 'in the footer' : `at event ${divergence.index} (file line ${divergence.index + 2})${at}`;
    lines.push(`ksim replay ${result.tracePath}: DIVERGED ${where}`);
    lines.push(`  ${divergence.message}; ${what}`);
    if (divergence.kind !== 'hash') {
      lines.push(`  trace:  ${divergence.expected ?? '(the trace had ended)'}`);
      lines.push(`  replay: ${divergence.actual ?? '(the replay had ended)'}`);
    }
    if (divergence.kind !== 'hash') lines.push(`  ${result.eventsMatched} events matched before it`);
  }
  for (const note of result.notes) lines.push(`  note: ${note}`);
  return lines.join('\n') + '\n';
}
