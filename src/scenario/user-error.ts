// Errors caused by the user's input (scenario, flags, trace files). The CLI prints their message
// as one line and exits 2; they never show a stack trace.

import { RunLimitError } from '../sim/run-limit-error.ts';

export class UserError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'UserError';
  }
}

/** User errors, and runs stopped by their limits (the scenario asked too much): exit 2, not a bug. */
export function isUserError(e: unknown): e is Error {
  return e instanceof UserError || e instanceof RunLimitError;
}
