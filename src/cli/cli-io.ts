// Where the CLI writes, and what it hears from the user's terminal. Commands take this instead of
// touching process.stdout or process signals, so tests can run them in-process and read exactly
// what a user would see.

export interface CliIo {
  out(text: string): void;
  err(text: string): void;
  /** Whether stderr is a terminal (a progress bar is drawn only there; elsewhere, plain lines). */
  isTty?(): boolean;
  /**
   * Calls `handler` on each interrupt the user sends (Ctrl-C: SIGINT); returns the function that
   * stops listening. Absent: nothing interrupts a command.
   */
  onInterrupt?(handler: () => void): () => void;
  /**
   * Ends the process now with `code`, whatever is still running (worker threads included): a
   * second Ctrl-C's way out once what it prints is written. Absent: the command returns instead.
   */
  exitNow?(code: number): void;
}

/**
 * KSIM_PROGRESS=bar draws the terminal progress bar (with its cursor and line-wrap sequences) on
 * stderr even when stderr is not a terminal, as a recording of a session, or a test, needs;
 * KSIM_PROGRESS=lines prints plain progress lines on a terminal too.
 */
function stderrIsTerminal(): boolean {
  const forced = process.env.KSIM_PROGRESS;
  if (forced === 'bar') return true;
  if (forced === 'lines') return false;
  return process.stderr.isTTY === true;
}

export const processIo: CliIo = {
  out: (text) => void process.stdout.write(text),
  err: (text) => void process.stderr.write(text),
  isTty: stderrIsTerminal,
  onInterrupt: (handler) => {
    process.on('SIGINT', handler);
    return () => void process.off('SIGINT', handler);
  },
  // stdout and stderr are written synchronously to files, pipes and terminals on Linux, so what was printed is out.
  exitNow: (code) => process.exit(code),
};
