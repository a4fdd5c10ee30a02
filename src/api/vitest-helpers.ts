// Test-suite helpers for vitest (or any runner with expect.extend): matchers over a RunResult, and
// kafkaProperty, a test body that model-checks a scenario and fails with the counterexample and the
// commands that replay it. They import nothing from vitest, so ksim does not need it at run time.

import { checkScenario, scenarioArgOf, type CheckScenarioOptions, type RunResult } from './run-api.ts';
import type { ScenarioInput } from './scenario-input.ts';

interface MatcherResult {
  pass: boolean;
  message: () => string;
}

/**
 * Matchers for `expect.extend(ksimMatchers)`:
 * - `expect(run).toHold('lost-write')`: no violation of that property fails the run under its
 *   --fail-on (permitted ones in other classes or blaming other flaws are allowed); without a
 *   property, the whole verdict.
 * - `expect(run).toViolate('lost-write')`: the run has a violation of that property (any class).
 */
export const ksimMatchers = {
  toHold(run: RunResult, property?: string): MatcherResult {
    const { failOn } = run.verdict;
    const failing = run.violations.filter((v) => (failOn.includes(v.verdictClass) || v.flaws.some((f) => failOn.includes(f))) && (property === undefined || v.property === property));
    return {
      pass: failing.length === 0,
      message: () =>
        failing.length === 0
          ? `expected ${property ?? 'some property'} to be violated, but it holds (seed ${run.seed}, trace hash ${run.traceHash})`
          : `${property ?? 'the run'} does not hold (seed ${run.seed}): ${failing[0].property} (${failing[0].verdictClass}): ${failing[0].message}\nrepeat it with: ${run.runCommand}`,
    };
  },
  toViolate(run: RunResult, property: string): MatcherResult {
    const found = run.violations.find((v) => v.property === property);
    return {
      pass: found !== undefined,
      message: () => (found ? `expected no ${property}, but: ${found.message}` : `expected a ${property} violation; the run has ${run.violations.map((v) => v.property).join(', ') || 'none'} (seed ${run.seed})`),
    };
  },
};

/** Types for `expect(run).toHold(...)`: declare them in the user's setup, `interface Assertion<T> extends KsimMatchers<void> {}`. */
export interface KsimMatchers<R = unknown> {
  toHold(property?: string): R;
  toViolate(property: string): R;
}

/**
 * A test body: `it('loses nothing under an AZ outage', kafkaProperty(scenario, { runs: 20 }))`.
 * Model-checks the scenario (checkScenario) and throws, when a run fails, an Error naming the
 * violation, its class and explanation, the shrunk faults, and the commands that replay it.
 */
export function kafkaProperty(scenario: ScenarioInput, options: CheckScenarioOptions = {}): () => void {
  return () => {
    const result = checkScenario(scenario, options);
    const cx = result.counterexample;
    if (!cx) return;
    // the violation that failed the run: its property may also have violations of classes that do not fail it
    const v = cx.run.violations[cx.run.verdict.decidedByIndex] ?? cx.run.violations[0];
    throw new Error(
      [
        `ksim found a failing run after ${result.runs} runs (${result.shrinkRuns} shrinking): ${v.property} (${v.verdictClass})`,
        v.message,
        `settings: ${cx.settings.join(' ') || '(none)'}; faults: ${JSON.stringify(cx.faults)}; run seed ${cx.runSeed}`,
        `replay: ${cx.replayCommands.join('  or  ')}`,
        `or: ${cx.run.runCommand}`,
        ...(typeof scenario === 'string' ? [] : [`(with the scenario object saved as JSON in ${scenarioArgOf(scenario, options)})`]),
      ].join('\n'),
    );
  };
}
