// `ksim timeline TRACE -o FILE.html [--no-replay]`: renders one run's trace into a
// self-contained HTML timeline (see src/report/timeline-html.ts). The trace is streamed once and
// aggregated into bounded data, so a million-event trace makes a page of a few MB. The records a
// violation names come from replaying the run (the footer keeps only messages); --no-replay reads
// them from the messages instead. Exit 0 on success, 2 for a missing or damaged trace.

import { Command } from 'commander';
import { MODELS } from '../../models/index.ts';
import { ksimCommandLine } from '../explore/run-command-line.ts';
import { checkReplaceable, writeFileAtomic } from '../files/output-file.ts';
import { addReproduction, crashedRunOf } from '../scenario/crashed-run.ts';
import { isUserError, UserError } from '../scenario/user-error.ts';
import { aggregateTrace } from '../report/timeline-aggregator.ts';
import { renderTimelineHtml } from '../report/timeline-html.ts';
import { violationsOfTrace } from '../report/violation-records.ts';
import { TraceReader } from '../trace/trace-reader.ts';
import { EXIT_OK } from './cli-errors.ts';
import type { CliIo } from './cli-io.ts';

interface TimelineCommandOptions {
  output: string;
  /** commander's --no-replay sets this false. */
  replay?: boolean;
}

const EXAMPLES = `
Examples:
  $ npx ksim run --scenario unclean-election --trace run.jsonl
  $ npx ksim timeline run.jsonl -o run.html
  $ npx ksim timeline traces/lost-write-cab1f71822101243.jsonl -o lost.html --no-replay   a counterexample of the corpus

The page works offline. Zoomed out it shows activity per time bucket; zoomed in, individual
events. Violating records are marked on the chart and listed with their explanation.

Exit codes: 0 written, 2 bad input (no such trace, damaged or foreign file, unwritable output), 3 a bug in ksim.`;

export function registerTimelineCommand(program: Command, io: CliIo, done: (exitCode: number) => void): void {
  program
    .command('timeline')
    .description('render a trace into a self-contained HTML timeline of the run')
    .argument('<trace>', 'trace file written by ksim run --trace or ksim check')
    .requiredOption('-o, --output <file.html>', 'HTML file to write')
    .option('--no-replay', "don't replay the run to find the violating records; read them from the violation messages")
    .addHelpText('after', EXAMPLES)
    .action((trace: string, options: TimelineCommandOptions) => done(timelineCommand(trace, options, io)));
}

export function timelineCommand(trace: string, options: TimelineCommandOptions, io: CliIo): number {
  const output = `-o "${options.output}"`;
  checkReplaceable(options.output, output); // before the work, not after it
  const reader = TraceReader.open(trace);
  let html: string;
  let events: number;
  let violations: number;
  try {
    const found = violationsOfTrace(reader.header, reader.footer, MODELS, { replay: options.replay !== false });
    const timeline = MODELS.find((m) => m.name === reader.header.model)?.timeline;
    const data = aggregateTrace(reader, { violations: found.violations, violationsNote: found.note, timeline });
    html = renderTimelineHtml(data);
    events = data.eventLines;
    violations = data.violations.length;
  } catch (e) {
    // A format 1 trace has no checks: a line that cannot be drawn was edited, not written by ksim.
    if (!reader.sealed && !isUserError(e) && !crashedRunOf(e))
      throw new UserError(
        `${trace}: line ${reader.eventsRead + 1} cannot be drawn (${(e as Error).message}); a format 1 trace carries no checks, so the line was probably edited`,
      );
    // The replay that recovers the violations' records crashed: replaying the trace shows it.
    throw addReproduction(e, ksimCommandLine(['replay', trace]));
  } finally {
    reader.close();
  }
  writeFileAtomic(options.output, html, output);
  io.out(`ksim timeline: ${events} events, ${violations} violation${violations === 1 ? '' : 's'} from ${trace}\n`);
  io.out(`  timeline written to ${options.output} (${(Buffer.byteLength(html) / 1024).toFixed(0)} KiB)\n`);
  return EXIT_OK;
}
