// The commands the exploration bench's known-flaw rows stand for: each is a `ksim check` the CLI
// accepts as printed (one generated run here, one worker), and a version's row fails on its own
// flaw only (--fail-on breach,KIP-380), never on the whole version class, so the row shows its own
// bug rather than another flaw the old version also has.
import { describe, expect, it } from 'vitest';
import { MODELS } from '../../models/index.ts';
import { HUNT_RUNS, huntCommand } from './bench-exploration.ts';
import { main } from './main.ts';

const hunts = MODELS.flatMap((m) => m.knownBugs ?? []);
const versionFlaws = MODELS.flatMap((m) => m.versionFlaws ?? []);

describe('the bench rows’ commands', () => {
  it('a known version flaw’s row fails on breaches and that flaw only; a permitted loss’s row on its classes', () => {
    const rows = hunts.map((h) => huntCommand(h, h.flawed, 'S'));
    expect(rows[0]).toBe(
      `npx ksim check --scenario check-small --set preset=apache --set kafkaVersion=0.10 --property hw-above-isr-leo --property lost-write --property log-divergence --fail-on breach,KIP-101 --runs ${HUNT_RUNS} --seed S --workers 2`,
    );
    expect(hunts.filter((h) => h.failOn.length === 2 && versionFlaws.includes(h.failOn[1])).map((h) => h.failOn[1])).toEqual(['KIP-101', 'KIP-279', 'KAFKA-7164', 'KIP-320', 'KIP-380', 'KIP-903', 'KIP-966']);
    for (const [i, h] of hunts.entries()) {
      const failOn = / --fail-on (\S+) /.exec(rows[i])![1].split(',');
      if (h.names !== undefined && versionFlaws.includes(h.names)) expect(failOn).toEqual(['breach', h.names]);
      else expect(failOn.every((w) => !versionFlaws.includes(w))).toBe(true);
    }
  });

  for (const h of hunts) {
    it(`${h.bug}: both sides' commands run as printed`, async () => {
      for (const side of [h.flawed, h.fixed]) {
        // One run, and a time limit: a seed whose first run finds the flaw would otherwise shrink it (minutes on a loaded machine).
        const argv = [...huntCommand(h, side, 1).replace(`--runs ${HUNT_RUNS}`, '--runs 1').replace('--workers 2', '--workers 1').split(' ').slice(2), '--time-limit-s', '5'];
        let stdout = '';
        let stderr = '';
        const code = await main([...argv, '--json'], { out: (t) => void (stdout += t), err: (t) => void (stderr += t) });
        expect(code, stderr).toBeLessThanOrEqual(1);
        // The fixed side fails on the classes alone: its version cannot show the flaw, and --fail-on refuses the name there.
        const classes = h.failOn.filter((t) => !/^(KIP|KAFKA)-/.test(t));
        expect(JSON.parse(stdout).failOn).toEqual(side === h.fixed ? classes : h.failOn);
      }
    }, 60_000);
  }
});
