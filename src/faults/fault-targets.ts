// Where generated faults land, drawn two ways: for `ksim check` as fast-check arbitraries (they
// shrink, so each target is drawn in the shape that shrinks most simply), and for background
// noise from the noise stream (seeded, never shrunk). Fault kinds build their draws from these.

import fc from 'fast-check';
import { pick, type Choice } from '../sim/choice.ts';

/** The nodes and AZs generated faults may target. */
export interface TargetSpace {
  readonly nodes: readonly string[];
  readonly azs: readonly string[];
}

/** A target space with the stream background noise draws from. */
export interface NoiseDraw extends TargetSpace {
  readonly choice: Choice;
}

export function anyNode(space: TargetSpace): fc.Arbitrary<string> {
  return fc.constantFrom(...space.nodes);
}

export function anyAz(space: TargetSpace): fc.Arbitrary<string> {
  return fc.constantFrom(...space.azs);
}

/** A split of the nodes into two non-empty sides, drawn from a bitmask so it shrinks simply. */
export function twoSides(nodes: readonly string[]): fc.Arbitrary<[string[], string[]]> {
  return fc
    .array(fc.boolean(), { minLength: nodes.length, maxLength: nodes.length })
    .filter((mask) => mask.some((b) => b) && mask.some((b) => !b))
    .map((mask) => [nodes.filter((_, i) => mask[i]), nodes.filter((_, i) => !mask[i])]);
}

export function drawNode(d: NoiseDraw): string {
  return pick(d.choice, d.nodes);
}

export function drawAz(d: NoiseDraw): string {
  return pick(d.choice, d.azs);
}

/** A random split of the nodes into two sides (the second is empty when there is one node). */
export function drawTwoSides(d: NoiseDraw): [string[], string[]] {
  const shuffled = shuffle(d.choice, [...d.nodes]);
  const cut = 1 + d.choice.below(Math.max(1, shuffled.length - 1));
  return [shuffled.slice(0, cut), shuffled.slice(cut)];
}

function shuffle<T>(choice: Choice, xs: T[]): T[] {
  for (let i = xs.length - 1; i > 0; i--) {
    const j = choice.below(i + 1);
    const t = xs[i];
    xs[i] = xs[j];
    xs[j] = t;
  }
  return xs;
}
