// Names the explicit faults behind an effect the checkers see (a replica that lost its page cache,
// a broker that went away), so a verdict permitted by the fault load names the faults, as a
// runbook would: "az-outage of use1-az1 at 12.007s". A fault names a node when it lists the node or
// its AZ. Background noise is not listed in the scenario, so an effect it caused names no fault.

import type { Fault } from '../../../src/faults/fault.ts';
import type { FaultData } from '../../../src/faults/fault-actions.ts';
import { faultNameRefsOf } from '../../../src/faults/fault.ts';
import type { NameRef } from '../../../src/faults/fault-fields.ts';
import { formatTimeUs, type TimeUs } from '../../../src/sim/time.ts';

/** Slack around a fault's window: its effects land a moment after it starts or ends. */
const EDGE_US = 1000;

export class FaultNames {
  /** hitting's answers by node and time, valid while `fired` keeps the length it had (end-of-run analyses ask again for the same losses). */
  private readonly hits = new Map<string, string[]>();
  private hitsForFired = 0;
  /** Each fault's named nodes and AZs (a walk of its kind's schema): asked for every record a loss explains. */
  private readonly refs = new Map<Fault, NameRef[]>();

  /**
   * `planned`: the scenario's faults; `fired`: the same as they fired (a live list, filled during
   * the run), whose role targets are resolved to the node they hit: a fault aimed at
   * "@leader:orders-0" names no broker until it fires. The fired ones are used once there are any.
   */
  constructor(
    private readonly planned: readonly Fault[],
    private readonly azOf: (node: string) => string | undefined,
    private readonly fired: readonly FaultData[] = [],
  ) {}

  /** The explicit faults in force at `timeUs` that name `node` or its AZ, described. */
  hitting(node: string, timeUs: TimeUs): string[] {
    if (this.hitsForFired !== this.fired.length) {
      this.hits.clear();
      this.hitsForFired = this.fired.length;
    }
    const key = `${node}@${timeUs}`;
    let out = this.hits.get(key);
    if (out === undefined) this.hits.set(key, (out = this.described(node, timeUs)));
    return out;
  }

  private described(node: string, timeUs: TimeUs): string[] {
    const az = this.azOf(node);
    const out: string[] = [];
    const faults = this.fired.length > 0 ? (this.fired as readonly Fault[]) : this.planned;
    for (const f of faults) {
      const startUs = f.atMs * 1000;
      const duration = 'durationMs' in f && typeof f.durationMs === 'number' ? f.durationMs : Infinity;
      if (timeUs < startUs - EDGE_US || timeUs > startUs + duration * 1000 + EDGE_US) continue;
      let refs = this.refs.get(f);
      if (refs === undefined) this.refs.set(f, (refs = faultNameRefsOf(f)));
      if (!refs.some((r) => r.name === node || (az !== undefined && r.names === 'az' && r.name === az))) continue;
      out.push(`${f.kind} of ${refs.map((r) => r.name).join(', ')} at ${formatTimeUs(startUs)}`);
    }
    return out;
  }

  /** "(az-outage of use1-az1 at 12.007s)" for the nodes and times given, or "" when no explicit fault is known. */
  named(hits: readonly { node: string; timeUs: TimeUs }[]): string {
    const names = new Set<string>();
    for (const h of hits) for (const n of this.hitting(h.node, h.timeUs)) names.add(n);
    return names.size === 0 ? '' : ` (${[...names].join('; ')})`;
  }
}
