// What `ksim check` shows while it runs, on stderr: runs done of those asked, runs per second,
// failures so far and, once one was found, how far shrinking got (runs tried, faults of the
// smallest failing run so far). On a terminal, a bar redrawn as runs finish; elsewhere a line as
// soon as the first run is done and one every 5 s from the start (before the first run is done too:
// a slow first run still shows in a log that the check is alive), never a line per run.
// Wall-clock time is read here, in the CLI, never in the check itself.

import type { CheckProgress } from '../explore/check-runner.ts';
import type { CliIo } from './cli-io.ts';
import { startTerminalBar, type TerminalBar } from './terminal-bar.ts';

/** Plain progress lines at most this often. */
const LINE_INTERVAL_MS = 5000;

export interface CheckProgressView {
  /** The check's first run begins: the bar appears, the clock for runs/s starts. */
  start(): void;
  update(p: CheckProgress): void;
  /** Says, on its own line, that the check was asked to stop and why. */
  stopping(why: string): void;
  /** Ends the view (restoring the terminal); idempotent. */
  stop(): void;
}

function plural(n: number, what: string): string {
  return `${n} ${what}${n === 1 ? '' : 's'}`;
}

/** "no failure yet" / "1 failure, shrinking: 14 tried, best so far 2 faults or operations" (generated operations count with faults). */
function failurePart(p: CheckProgress): string {
  if (p.failures === 0) return 'no failure yet';
  return `${plural(p.failures, 'failure')}, shrinking: ${p.shrinkRuns} tried, best so far ${p.bestFaults ?? 0} fault${p.bestFaults === 1 ? '' : 's'} or operation${p.bestFaults === 1 ? '' : 's'}`;
}

export function checkProgressView(io: CliIo, runsAsked: number): CheckProgressView {
  let start = performance.now();
  let last: CheckProgress = { runs: 0, shrinkRuns: 0, failures: 0, bestFaults: null };
  let stopped = false;
  const seconds = () => (performance.now() - start) / 1000;
  const rate = () => (seconds() > 0 ? ((last.runs + last.shrinkRuns) / seconds()).toFixed(1) : '0.0');
  if (io.isTty?.()) {
    let bar: TerminalBar | null = null;
    const payload = () => ({ rate: rate(), failures: failurePart(last) });
    return {
      start: () => {
        start = performance.now();
        if (!stopped) bar = startTerminalBar(io, '  [{bar}] {value}/{total} runs | {rate} runs/s | {failures}', runsAsked, 0, payload(), false);
      },
      update: (p) => {
        last = p;
        bar?.update(p.runs, payload());
      },
      stopping: (why) => {
        bar?.stop();
        io.err(`  ${why}\n`);
      },
      stop: () => {
        stopped = true;
        bar?.stop();
      },
    };
  }
  const line = () => io.err(`  ${last.runs}/${runsAsked} runs, ${rate()} runs/s, ${failurePart(last)}, ${seconds().toFixed(1)} s\n`);
  let timer: NodeJS.Timeout | undefined;
  let lines = 0;
  return {
    start: () => {
      start = performance.now();
      if (stopped) return;
      timer = setInterval(line, LINE_INTERVAL_MS);
      timer.unref();
    },
    update: (p) => {
      last = p;
      // The first line as soon as a run is done: the check is under way; then the timer's.
      if (lines++ === 0 && !stopped) line();
    },
    stopping: (why) => io.err(`  ${why}\n`),
    stop: () => {
      stopped = true;
      clearInterval(timer);
    },
  };
}
