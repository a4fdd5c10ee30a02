// `npm run bench`'s coverage-guided rows (issue 14): the flawed side of every known flaw of the
// exploration table (bench-exploration.ts), hunted again by coverage-guided search
// (src/explore/worker-guided-check.ts: runs that reached a new situation are mutated more often
// than new ones are drawn) on the same budget, seeds and thread count, so the two tables compare
// strategy against strategy. "blamed on" adds which strategy made each seed's first failing run:
// a fresh draw, or a mutant (shift, stretch, add, retarget) of a corpus run.

import { MODELS } from '../../models/index.ts';
import { FLAW_WIDTH, HEADER, HUNT_RUNS, PINNED_WIDTH, figures, huntSeeds } from './bench-exploration.ts';

export async function benchGuided(): Promise<void> {
  const hunts = MODELS.flatMap((m) => m.knownBugs ?? []);
  console.log('');
  console.log(`coverage-guided search (the known flaws' flawed sides again, ${HUNT_RUNS} runs a seed, generations of 16, 3/4 mutants once the corpus has runs)`);
  console.log(`  ${'flaw'.padEnd(FLAW_WIDTH)} ${'pinned'.padEnd(PINNED_WIDTH)} ${HEADER}`);
  for (const h of hunts) {
    const seeds = await huntSeeds({ raw: h.raw, settings: [...h.settings, ...h.flawed.settings], properties: h.properties, failOn: h.failOn, runs: HUNT_RUNS, guided: true });
    console.log(`  ${h.bug.padEnd(FLAW_WIDTH)} ${h.flawed.label.padEnd(PINNED_WIDTH)} ${figures(seeds)}`);
  }
}
