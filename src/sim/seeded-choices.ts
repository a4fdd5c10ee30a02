// Seeded choice streams: one seedrandom generator per subsystem name, each seeded from the root
// seed and the name, so an extra draw in one subsystem never shifts another. Alea is used for
// speed; it is pure JavaScript and gives the same sequence on every machine.

import seedrandom from 'seedrandom';
import type { Choice, ChoiceSource } from './choice.ts';

class SeededChoice implements Choice {
  constructor(private readonly next: () => number) {}
  below(n: number): number {
    return Math.floor(this.next() * n);
  }
  unit(): number {
    return this.next();
  }
}

export class SeededChoices implements ChoiceSource {
  private readonly streams = new Map<string, Choice>();
  constructor(readonly rootSeed: string) {}

  stream(name: string): Choice {
    let s = this.streams.get(name);
    if (!s) {
      const prng = seedrandom.alea(`ksim/${this.rootSeed}/${name}`);
      s = new SeededChoice(prng);
      this.streams.set(name, s);
    }
    return s;
  }
}
