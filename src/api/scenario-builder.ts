// A scenario built in code, validated as `ksim run` validates a scenario file and `--set` pairs
// (resolve-scenario.ts): an unknown key, a bad value or an inconsistent topology throws the same
// one-line UserError naming the field and the fix.

import { resolve, scenarioObject, type ScenarioInput } from './scenario-input.ts';

export class ScenarioBuilder {
  private readonly settings: string[] = [];

  constructor(private readonly base: Record<string, unknown>) {}

  /**
   * Sets a scenario key or a Kafka config key, as `--set key=value` does ("acks", "min.insync.replicas",
   * "durationMs", "topics[0].replicationFactor"...). Strings are taken as written, anything else as JSON.
   */
  set(key: string, value: unknown): this {
    this.settings.push(`${key}=${typeof value === 'string' ? value : JSON.stringify(value)}`);
    return this;
  }

  seed(seed: number | string): this {
    return this.set('seed', String(seed));
  }

  /** The explicit fault schedule (replaces the scenario's). */
  faults(faults: readonly Record<string, unknown>[]): this {
    return this.set('faults', faults);
  }

  durationMs(ms: number): this {
    return this.set('durationMs', ms);
  }

  /**
   * The validated scenario, defaults filled in: pass it to runScenario or checkScenario.
   * @throws UserError naming the field and the fix.
   */
  build(): Record<string, unknown> {
    return structuredClone(resolve(this.base, { settings: this.settings }).scenario) as Record<string, unknown>;
  }
}

/** Starts a scenario from a preset (default msk-3az-outage) or a scenario object. */
export function scenario(base: ScenarioInput = 'msk-3az-outage'): ScenarioBuilder {
  return new ScenarioBuilder(scenarioObject(base));
}

