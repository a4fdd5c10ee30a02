// One-line scenario errors in the form resolve-scenario.ts uses: `invalid scenario: "field": why`.

import { UserError } from '../../../src/scenario/user-error.ts';

export function scenarioError(field: string, message: string): UserError {
  return new UserError(`invalid scenario: "${field}": ${message}`);
}
