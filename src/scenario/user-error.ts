// Errors caused by the user's input (scenario, flags, trace files). The CLI prints their message
// as one line and exits 2; they never show a stack trace.

export class UserError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'UserError';
  }
}
