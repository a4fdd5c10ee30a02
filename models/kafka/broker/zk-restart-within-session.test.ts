// ZooKeeper mode: a broker process restarted while its old session's /brokers/ids znode still
// exists cannot register (KafkaZkClient.registerBroker's checked ephemeral create, ZkUtils
// .registerBrokerInZk in 0.10-1.0: NODEEXISTS, "A broker is already registered on the path"),
// KafkaServer.startup fails and the process exits, in every release ksim simulates. On the apache
// preset nothing restarts it; MSK restarts a failed broker process after processRestartMs (10 s),
// and it registers once the old session has expired. ksim used to keep the process up, waiting.
import { describe, expect, it } from 'vitest';
import { verdictClassOf } from '../../../src/scenario/verdict.ts';
import { runScenario, type Ev, type Scenario } from '../testing/scenario-run.ts';
import checkSmall from '../presets/check-small.scenario.json' with { type: 'json' };

/** check-small in ZooKeeper mode on kafkaVersion: b1 crashes at 5 s and the schedule restarts it downMs later. */
function crashAndRestart(kafkaVersion: string, preset: 'apache' | 'msk', downMs: number, durationMs = 60_000) {
  const raw: Scenario = {
    ...structuredClone(checkSmall),
    preset,
    kafkaVersion,
    metadataMode: 'zookeeper',
    durationMs,
    producers: [{ name: 'p1', az: 'use1-az1', topic: 'orders', ratePerSec: 10, keys: 10 }],
    faults: [{ atMs: 5000, kind: 'crash', node: 'b1', durationMs: downMs }],
  };
  const run = runScenario(raw);
  const exits = run.events.filter(([, node, ev]) => node === 'b1' && ev.type === 'broker-exit') as [number, string, Ev & { restartInMs: number | null }][];
  const b1InIsr = (p: string) => run.final.partitions.find((s) => s.partition === p)!.isr.includes('b1');
  return { ...run, exits, b1InIsr };
}

describe('ZooKeeper mode: a restart within the old session exits (NODEEXISTS)', () => {
  for (const version of ['0.10', '2.1', '2.2', '2.8', '3.9']) {
    it(`${version}, apache: the process restarted 1 s after its crash exits at once and stays down; liveness blames the fault load, not Kafka`, () => {
      const { exits, b1InIsr, report } = crashAndRestart(version, 'apache', 1000, 120_000);
      expect(exits.map(([t]) => Math.floor(t / 1_000_000))).toEqual([6]);
      expect(exits[0][2].restartInMs).toBeNull();
      expect(exits[0][2].reason).toContain('NODEEXISTS');
      expect(b1InIsr('orders-0') || b1InIsr('orders-1')).toBe(false);
      expect(report.stats.model.missedBrokerBounces).toBe(0);
      const liveness = report.violations.filter((v) => v.property === 'liveness-after-heal');
      expect(liveness.length).toBeGreaterThan(0);
      for (const v of liveness) expect(verdictClassOf(v)).toBe('fault-load');
    });
  }

  it('2.8 on MSK: the service restarts the exited process every 10 s; it exits while the old session lives (18 s from its last ping), then registers and rejoins', () => {
    const { exits, b1InIsr, report } = crashAndRestart('2.8', 'msk', 1000);
    expect(exits.length).toBeGreaterThanOrEqual(1);
    expect(exits.every(([, , ev]) => ev.restartInMs === 10_000)).toBe(true);
    expect(exits.at(-1)![0]).toBeLessThan(5_000_000 + 18_000_000);
    expect(b1InIsr('orders-0') && b1InIsr('orders-1')).toBe(true);
    expect(report.violations.filter((v) => v.property === 'liveness-after-heal')).toEqual([]);
  });

  it('decoy: a restart after the old session expired registers at once: no exit, back in every ISR', () => {
    for (const version of ['2.1', '2.8']) {
      const { exits, b1InIsr } = crashAndRestart(version, 'apache', 25_000);
      expect(exits).toEqual([]);
      expect(b1InIsr('orders-0') && b1InIsr('orders-1')).toBe(true);
    }
  });
});
