// The progress bar ksim draws on a terminal (cli-progress), written through the command's CliIo
// so a test sees exactly what a terminal would. It hides the cursor and turns line wrap off
// while it draws; `stop()` turns both back on, and a command must call it on every way out, Ctrl-C
// included, or the user's terminal is left with no cursor and no wrapping.

import { SingleBar } from 'cli-progress';
import type { CliIo } from './cli-io.ts';

export interface TerminalBar {
  update(value: number, payload: Record<string, string>): void;
  /** Draws the last state, restores the cursor and line wrap, and ends the line (or clears it). */
  stop(): void;
}

/** Columns to draw in when stderr reports none (not a terminal, KSIM_PROGRESS=bar). */
const COLUMNS_DEFAULT = 100;

/** A writable that cli-progress takes for a terminal: every write goes to io.err. */
function terminalStream(io: CliIo): NodeJS.WritableStream {
  return {
    isTTY: true,
    columns: process.stderr.columns || COLUMNS_DEFAULT,
    write: (chunk: string | Uint8Array) => {
      io.err(typeof chunk === 'string' ? chunk : Buffer.from(chunk).toString('utf8'));
      return true;
    },
  } as unknown as NodeJS.WritableStream;
}

/** Starts a bar at `value` of `total`; `format` is cli-progress's ({bar}, {value}, {total}, payload keys). */
export function startTerminalBar(io: CliIo, format: string, total: number, value: number, payload: Record<string, string>, clearOnStop: boolean): TerminalBar {
  const bar = new SingleBar({ stream: terminalStream(io), format, hideCursor: true, linewrap: false, clearOnComplete: clearOnStop, etaBuffer: 50 });
  bar.start(total, value, payload);
  let stopped = false;
  return {
    update: (v, p) => {
      if (!stopped) bar.update(v, p);
    },
    stop: () => {
      if (stopped) return;
      stopped = true;
      bar.stop();
    },
  };
}
