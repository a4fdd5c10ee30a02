// eventual-trust: once every fault has ended, every running node trusts every running peer.
// Rebuilt from the model's events alone (boot, suspect, trust), so a model that forgets to
// withdraw a suspicion is caught. Not checked while a fault is still in force at the end.

import type { Checker, RunView } from '../../src/check/checker.ts';
import type { ModelEvent, Violation } from '../../src/sim/model.ts';
import type { TimeUs } from '../../src/sim/time.ts';

export class EventualTrustChecker implements Checker {
  readonly name = 'eventual-trust';
  /** suspected peers per node name, in the order they were suspected */
  private readonly suspected = new Map<number, Set<string>>();

  onEvent(_timeUs: TimeUs, node: number, ev: ModelEvent): void {
    if (ev.type === 'boot') this.suspected.set(node, new Set());
    else if (ev.type === 'suspect') this.suspected.get(node)!.add(ev.peer as string);
    else if (ev.type === 'trust') this.suspected.get(node)!.delete(ev.peer as string);
  }

  finish(run: RunView): Violation[] {
    if (run.faultsActive) return [];
    const out: Violation[] = [];
    for (const [node, peers] of this.suspected) {
      if (!run.isUp(node)) continue;
      for (const peer of peers) {
        if (!run.isUp(run.topology.index(peer))) continue;
        out.push({
          property: this.name,
          message: `${run.topology.names[node]} still suspects ${peer} at the end of the run, though both are up and no fault is in force`,
        });
      }
    }
    return out;
  }
}
