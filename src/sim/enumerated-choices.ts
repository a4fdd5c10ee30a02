// Exhaustive mode: drives the Choice interface from an odometer over choice sequences instead of
// a PRNG, so a small run can be explored for every sequence of choices within bounds (depth first,
// as in TigerBeetle's and FoundationDB's simulators). Every stream shares one sequence: a run is
// deterministic, so the order in which choice points are reached is itself deterministic.
//
// unit() is discretised into `unitSteps` values (the midpoints of equal buckets); choice points
// past `depthMax` always take their first option and are not enumerated.

import type { Choice, ChoiceSource } from './choice.ts';

interface EnumerationBounds {
  depthMax: number;
  unitSteps: number;
}

export class EnumeratedChoices implements ChoiceSource, Choice {
  private prefix: number[] = [];
  private arity: number[] = [];
  private depth = 0;
  private exhausted = false;

  constructor(private readonly bounds: EnumerationBounds) {
    if (!(bounds.depthMax >= 0 && bounds.unitSteps >= 1)) throw new Error('bad enumeration bounds');
  }

  stream(_name: string): Choice {
    return this;
  }

  /** The choices the current run made, as a path that reproduces it. */
  get path(): readonly number[] {
    return this.prefix.slice(0, this.depth);
  }

  below(n: number): number {
    const d = this.depth++;
    if (d >= this.bounds.depthMax) return 0;
    if (d < this.prefix.length) {
      this.arity[d] = n;
      return Math.min(this.prefix[d], n - 1);
    }
    this.prefix.push(0);
    this.arity.push(n);
    return 0;
  }

  unit(): number {
    const steps = this.bounds.unitSteps;
    return (this.below(steps) + 0.5) / steps;
  }

  /** Moves to the next unexplored choice sequence; false when every sequence has been run. */
  advance(): boolean {
    if (this.exhausted) return false;
    // Choices beyond what this run reached are stale.
    const reached = Math.min(this.depth, this.bounds.depthMax);
    this.prefix.length = reached;
    this.arity.length = reached;
    this.depth = 0;
    for (let d = reached - 1; d >= 0; d--) {
      if (this.prefix[d] + 1 < this.arity[d]) {
        this.prefix[d]++;
        this.prefix.length = d + 1;
        this.arity.length = d + 1;
        return true;
      }
    }
    this.exhausted = true;
    return false;
  }
}
