// The counterexample trace's name on Kafka scenarios, whose config maps keep the order of the --set
// pairs: the same settings in another order are the same file (the settings hash sorts keys). Here
// in src/cli, which may load the model registry (src/explore's tests use the fixture models).
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { MODELS, SCENARIO_PRESETS } from '../../models/index.ts';
import { resolveScenario } from '../scenario/resolve-scenario.ts';
import { runResolved } from '../scenario/run-scenario.ts';
import { saveCounterexample } from '../explore/counterexample-trace.ts';

const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'ksim-cx-name-'));
afterAll(() => fs.rmSync(tmp, { recursive: true, force: true }));

describe('saveCounterexample on a Kafka scenario', () => {
  it('names the same settings stated in another order the same way', () => {
    const kafka = { ...SCENARIO_PRESETS['check-small'], durationMs: 2000 };
    const resolution = (order: string[]) => resolveScenario(kafka, MODELS, { settings: order });
    const a = resolution(['linger.ms=7', 'acks=1', 'retries=3']);
    const b = resolution(['retries=3', 'acks=1', 'linger.ms=7']);
    expect(JSON.stringify(b.scenario)).not.toBe(JSON.stringify(a.scenario)); // the order shows in the JSON
    const noCase = { faults: [], operations: [] } as unknown as Parameters<typeof saveCounterexample>[0]['case'];
    const file = (r: typeof a) => saveCounterexample({ case: noCase, resolution: r, report: runResolved(r) }, tmp, '--traces-dir');
    expect(file(b)).toBe(file(a));
  });
});
