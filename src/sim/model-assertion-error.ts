// Raised by a model when a state it asserts can never happen does happen: a bug in ksim, not a
// finding about the simulated system (those are the checkers' violations). The CLI reports it with
// the scenario and seed so that the run can be replayed under a debugger.

export class ModelAssertionError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ModelAssertionError';
  }
}
