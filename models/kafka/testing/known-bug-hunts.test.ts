// The known-bug hunts `ksim bench` times are well formed: each side resolves as a scenario that
// `ksim check` accepts, the versions exist and follow each other, the last buggy version lacks
// the fix and the first fixed one has it, and a counterexample's reason would name the bug. (The
// hunts themselves are too slow for the suite; properties/known-bugs-found.test.ts runs a few.)
import { describe, expect, it } from 'vitest';
import { MODELS } from '../../index.ts';
import { caseArbitrary } from '../../../src/explore/check-runner.ts';
import { resolveScenario } from '../../../src/scenario/resolve-scenario.ts';
import { kafkaDefinition } from '../kafka-definition.ts';
import { featuresOfVersion, KAFKA_VERSION_NAMES } from '../version/kafka-versions.ts';
import { describeMissingFix, flawsNamedIn } from '../version/protocol-features.ts';
import { parseFailOnTerms } from '../../../src/scenario/verdict.ts';
import { flawOf, KAFKA_BUG_HUNTS, KAFKA_KNOWN_BUGS } from './known-bug-hunts.ts';

describe('known-bug hunts', () => {
  it('the definition lists every version bug and the permitted losses', () => {
    expect(kafkaDefinition.knownBugs).toBe(KAFKA_KNOWN_BUGS);
    expect(KAFKA_KNOWN_BUGS.map((h) => h.bug)).toEqual([
      'KIP-101',
      'KIP-279 (KAFKA-6361)',
      'KAFKA-7164',
      'KIP-320 (KAFKA-6880)',
      'KIP-380',
      'KIP-903',
      'KIP-966 (ELR)',
      'acks=1 loss (configuration)',
      'in-sync copies burned (fault load)',
    ]);
  });

  for (const h of KAFKA_BUG_HUNTS) {
    it(`${h.bug}: ${h.lastBuggy} is the last version without the fix and ${h.firstFixed} the first with it`, () => {
      const last = KAFKA_VERSION_NAMES.indexOf(h.lastBuggy);
      expect(last).toBeGreaterThanOrEqual(0);
      expect(KAFKA_VERSION_NAMES[last + 1]).toBe(h.firstFixed);
      expect(featuresOfVersion(h.lastBuggy)[h.capability]).toBe(false);
      expect(featuresOfVersion(h.firstFixed)[h.capability]).toBe(true);
      // the hunt fails on its own flaw only (and breaches), a name --fail-on accepts, not on the version class
      const hunt = KAFKA_KNOWN_BUGS.find((k) => k.bug === h.bug)!;
      expect(hunt.failOn).toEqual(['breach', flawOf(h)]);
      expect(kafkaDefinition.versionFlaws).toContain(flawOf(h));
      expect(parseFailOnTerms(hunt.failOn, kafkaDefinition.versionFlaws!)).toEqual(hunt.failOn);
      // what the verdicts name (the fix's KIP or JIRA) is what the bench looks for in a reason
      expect(describeMissingFix(h.capability)).toContain(hunt.names);
      expect(flawsNamedIn([describeMissingFix(h.capability)])).toContain(flawOf(h));
    });
  }

  for (const h of KAFKA_KNOWN_BUGS) {
    for (const side of [h.flawed, h.fixed]) {
      it(`${h.bug}, ${side.label}: resolves, fault-free, as a scenario ksim check explores`, () => {
        const settings = [...h.settings, ...side.settings];
        const resolution = resolveScenario(h.raw, MODELS, { settings });
        expect((resolution.scenario as Record<string, unknown>).faults ?? []).toEqual([]);
        const version = /^kafkaVersion=(.*)$/.exec(side.settings.find((s) => s.startsWith('kafkaVersion=')) ?? '')?.[1];
        expect((resolution.scenario as Record<string, unknown>).kafkaVersion).toBe(version);
        expect(() => caseArbitrary({ raw: h.raw, models: MODELS, settings, runs: 1, seed: 1, properties: h.properties, failOn: h.failOn })).not.toThrow();
      });
    }
  }

  it('the two sides of a hunt differ only in what they pin, and the flawed side pins something', () => {
    for (const h of KAFKA_KNOWN_BUGS) {
      expect(h.flawed.settings.length).toBeGreaterThan(0);
      expect(h.flawed.settings.map((s) => s.split('=')[0])).toEqual(h.fixed.settings.map((s) => s.split('=')[0]));
      expect(h.flawed.settings).not.toEqual(h.fixed.settings);
    }
  });

  it('the fault-load loss is failed only by --fail-on fault-load, which its hunt asks for', () => {
    const faultLoad = KAFKA_KNOWN_BUGS.find((h) => h.bug.includes('fault load'))!;
    expect(faultLoad.failOn).toContain('fault-load');
    expect(KAFKA_KNOWN_BUGS.filter((h) => h !== faultLoad).every((h) => !h.failOn.includes('fault-load'))).toBe(true);
  });
});
