// Where generated faults land, and how background noise draws targets from its stream (seeded,
// never shrunk). `ksim check` draws the same targets as fast-check arbitraries, which shrink
// (TargetArbitraries in fault-kind.ts, made in src/explore so the kernel never loads fast-check).

import { pick, type Choice } from '../sim/choice.ts';

/** Two sides of a cut: nodes on one side lose the other side, and nothing else. */
export type Split = readonly [readonly string[], readonly string[]];

/** The nodes and AZs generated faults may target. */
export interface TargetSpace {
  readonly nodes: readonly string[];
  readonly azs: readonly string[];
  /**
   * Cuts worth trying that the model names, as Jepsen's nemeses target roles: between fixed
   * nodes of its layout (a broker from its peers but not the controllers...) or between roles
   * resolved when the fault fires (the leader of a partition from its followers, fault-roles.ts).
   */
  readonly splits?: readonly Split[];
  /** Roles a one-node fault may aim at instead of a node ("@leader:orders-0"). */
  readonly roles?: readonly string[];
  /** Whether faults may also pick any node, or split all nodes at random (default true). */
  readonly blind?: boolean;
}

/** A target space with the stream background noise draws from. */
export interface NoiseDraw extends TargetSpace {
  readonly choice: Choice;
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
