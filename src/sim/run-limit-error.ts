// Raised when a run hits one of its limits: a runaway model or an unbounded scenario is stopped
// with a message that names the limit and how to raise it.

export class RunLimitError extends Error {
  constructor(
    readonly limit: 'eventsMax' | 'virtualMsMax' | 'eventsAtOneInstant',
    message: string,
  ) {
    super(message);
    this.name = 'RunLimitError';
  }
}
