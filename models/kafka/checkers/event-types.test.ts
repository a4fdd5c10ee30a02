// Checker.eventTypes is a promise: a checker that declares the event types it reads gets the same
// verdict and figures as when it hears every event. Runs whole scenarios both ways (the declared
// types stripped) and compares violations and the checkers' summaries.
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { Checker } from '../../../src/check/checker.ts';
import { resolveScenario, type Resolution } from '../../../src/scenario/resolve-scenario.ts';
import { runResolved } from '../../../src/scenario/run-scenario.ts';
import { SeededChoices } from '../../../src/sim/seeded-choices.ts';
import { MODELS, SCENARIO_PRESETS } from '../../index.ts';

/** The same checker (its methods and state) with no declared types: it hears every event. */
function hearingEverything(c: Checker): Checker {
  return Object.assign(Object.create(c) as Checker, { eventTypes: undefined });
}

function withoutDeclaredTypes(res: Resolution): Resolution {
  const definition = res.definition;
  return {
    ...res,
    definition: {
      ...definition,
      create: (setup) => {
        const instance = definition.create(setup);
        return { ...instance, checkers: instance.checkers.map(hearingEverything) };
      },
    },
  };
}

describe('checkers that declare their event types', () => {
  // unclean-election loses writes; msk-3az-outage has consumer groups; study-producer-ordering pauses brokers
  for (const name of ['unclean-election', 'msk-3az-outage', 'study-producer-ordering']) {
    it(`reach the same verdict and figures on ${name} as when they hear every event`, () => {
      const res = resolveScenario(SCENARIO_PRESETS[name], MODELS);
      const typed = runResolved(res);
      const every = runResolved(withoutDeclaredTypes(res));
      expect(every.traceHash).toBe(typed.traceHash);
      expect(JSON.stringify(typed.violations)).toBe(JSON.stringify(every.violations));
      expect(JSON.stringify(typed.analysis)).toBe(JSON.stringify(every.analysis));
    });
  }

  it('the Kafka model has checkers that declare types, so the comparison above compares something', () => {
    const res = resolveScenario(SCENARIO_PRESETS['unclean-election'], MODELS);
    const instance = res.definition.create({ topology: res.topology, choices: new SeededChoices('1'), config: res.scenario, durationUs: 1 });
    expect(instance.checkers.filter((c) => c.eventTypes !== undefined).length).toBeGreaterThanOrEqual(10);
  });
});

describe('a checker reads only the event types it declares', () => {
  // The runs above cover the presets' events; an event only some scenarios have (an operation)
  // would be missed silently. Every type a checker's source compares against must be declared.
  const dir = import.meta.dirname;
  const files = readdirSync(dir).filter((f) => f.endsWith('.ts') && !f.endsWith('.test.ts'));
  for (const file of files) {
    const text = readFileSync(join(dir, file), 'utf8');
    const declared = /readonly eventTypes[^=]*=\s*\[([^\]]*)\]/.exec(text);
    if (declared === null) continue;
    it(file, () => {
      const names = new Set([...declared[1].matchAll(/'([a-z-]+)'/g)].map((m) => m[1]));
      const read = [...text.matchAll(/(?:case |\.type [!=]== )'([a-z-]+)'/g)].map((m) => m[1]);
      expect(read.filter((t) => !names.has(t))).toEqual([]);
    });
  }
});
