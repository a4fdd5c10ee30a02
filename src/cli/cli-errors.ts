// Exit codes (0 ok, 1 failed, 2 bad input, 3 a bug, 130 stopped by Ctrl-C) and how errors become
// them. A user's mistake (bad scenario, bad flag, bad trace file, a run that hit its limits) is
// one line on stderr and exit 2, never a stack trace; anything else is a bug in ksim and keeps its
// stack (exit 3), after the scenario and seed of the run that threw it and the commands that run
// it again, when a run threw it.

import { CommanderError } from 'commander';
import { crashedRunOf } from '../scenario/crashed-run.ts';
import { isUserError } from '../scenario/user-error.ts';
import type { CliIo } from './cli-io.ts';

export const EXIT_OK = 0;
/** A checked property was violated, or a replay diverged. */
export const EXIT_FAILED = 1;
/** Bad input or usage. */
const EXIT_USAGE = 2;
/** A bug in ksim. */
export const EXIT_INTERNAL = 3;
/** Stopped by the user (Ctrl-C, SIGINT): 128 + 2, as a shell reports a command SIGINT ended. */
export const EXIT_INTERRUPTED = 130;

/** Messages from user errors become a single line even if a message carried a newline. */
export function oneLine(message: string): string {
  return message.replace(/\s*\n\s*/g, '; ').trim();
}

export function reportError(e: unknown, io: CliIo): number {
  if (e instanceof CommanderError) return e.exitCode === 0 ? EXIT_OK : EXIT_USAGE; // commander already printed it
  if (isUserError(e)) {
    io.err(`ksim: ${oneLine(e.message)}\n`);
    return EXIT_USAGE;
  }
  const stack = e instanceof Error ? (e.stack ?? e.message) : String(e);
  const run = crashedRunOf(e);
  const context = run
    ? `  in a run of scenario "${run.scenario}" (model ${run.model}), seed ${run.seed}\n` + run.reproduce.map((c) => `  reproduce: ${c}\n`).join('')
    : '';
  io.err(`ksim: internal error (a bug in ksim; please report it with the command line):\n${context}${stack}\n`);
  return EXIT_INTERNAL;
}
