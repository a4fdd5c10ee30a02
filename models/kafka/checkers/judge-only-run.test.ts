// A run judged and never shown (ksim check's generated runs: RunOptions.judgeOnly) leaves out the
// Kafka summary and nothing else: the same violations, notJudged list, counters, other analyses
// and the coverage the exploration counts, on generated check-small cases with faults.
import { describe, expect, it } from 'vitest';
import { MODELS, SCENARIO_PRESETS } from '../../index.ts';
import { caseArbitrary, resolveCase } from '../../../src/explore/check-runner.ts';
import { CaseSource } from '../../../src/explore/check-case-source.ts';
import { runResolved } from '../../../src/scenario/run-scenario.ts';
import { readKafkaRunSummary } from './run-summary-checker.ts';

const opts = { raw: SCENARIO_PRESETS['check-small'], models: MODELS, settings: [], runs: 0, seed: 1 };

describe('a judge-only Kafka run', () => {
  it('skips the summary and changes nothing a verdict or the coverage reads', () => {
    const cases = new CaseSource(caseArbitrary(opts), opts.seed).take('0', 6);
    expect(cases.some((c) => c.faults.length > 0)).toBe(true);
    let violated = 0;
    for (const c of cases) {
      const resolution = resolveCase(opts, c);
      const shown = runResolved(resolution, { unhashed: true });
      const judged = runResolved(resolution, { unhashed: true, judgeOnly: true });
      expect(readKafkaRunSummary(shown)).toBeDefined();
      expect(readKafkaRunSummary(judged)).toBeUndefined();
      const { 'kafka-summary': _summary, ...otherAnalyses } = shown.analysis;
      expect(judged.analysis).toEqual(otherAnalyses);
      expect(judged.violations).toEqual(shown.violations);
      expect(judged.notJudged).toEqual(shown.notJudged);
      expect(judged.stats).toEqual(shown.stats);
      const coverage = resolution.definition.exploration!.coverage;
      expect(coverage(judged)).toEqual(coverage(shown));
      violated += shown.violations.length > 0 ? 1 : 0;
    }
    // a decoy-free comparison would prove little: some of these runs have findings
    expect(violated).toBeGreaterThan(0);
  });
});
