// consumer-liveness waits out the consumer's request.timeout.ms before judging: a fetch a broker
// received just before the AZ outage took its power is answered by nobody, so the member waits its
// request timeout before it fetches that partition elsewhere. Kafka before 2.0 defaults it to
// 305 s (KAFKA-7050 made it 30 s): the default scenario on Kafka 1.1 left orders-5 unread for the
// rest of the run, which the checker called a breach of a group that "can keep up".
import { describe, expect, it } from 'vitest';
import { SCENARIO_PRESETS } from '../models/index.ts';
import { runScenario } from '../models/kafka/testing/scenario-run.ts';

const run = (kafkaVersion: string) => runScenario(structuredClone(SCENARIO_PRESETS['msk-3az-outage']) as Record<string, unknown>, [`kafkaVersion=${kafkaVersion}`]).report;

describe('consumer-liveness and the consumer request timeout', () => {
  it('Kafka 1.1 (request.timeout.ms 305 s): not judged in 120 s, naming the timeout; no breach', () => {
    const report = run('1.1');
    expect(report.violations.filter((v) => v.property === 'consumer-liveness')).toEqual([]);
    const note = JSON.stringify(report.notJudged ?? []);
    expect(note).toMatch(/consumer-liveness/);
    expect(note).toMatch(/request\.timeout\.ms=305000/);
  });

  it('Kafka 2.1 (30 s): judged, and holds', () => {
    const report = run('2.1');
    expect(report.violations.filter((v) => v.property === 'consumer-liveness')).toEqual([]);
    expect(JSON.stringify(report.notJudged ?? [])).not.toMatch(/consumer-liveness/);
  });
});
