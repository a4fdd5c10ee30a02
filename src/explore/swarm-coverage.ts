// What a generated run's schedule exercised, for `ksim check`'s coverage table beside the model's
// own situations: how many fault kinds its swarm enabled, which kinds of target, and which roles
// its faults aimed at (src/faults/fault-roles.ts), so a green result says whether faults ever hit
// the leader of a partition, or only fixed nodes; and which administrative operations it ran
// ("operation: preferred-leader-election"); and, when the model has composites, how many kinds
// the swarm enabled ("swarm: no composite kind") and which the schedule drew ("composite: replica
// cut + leader chain").

import { faultNameRefsOf, type Fault } from '../faults/fault.ts';
import { isRoleRef, ROLE_PREFIX } from '../faults/fault-roles.ts';
import type { ExploredOperation } from '../scenario/model-exploration.ts';
import type { Swarm } from './fault-schedule-arbitrary.ts';

/** Coverage names for one generated schedule. */
export function scheduleCoverage(swarm: Swarm | undefined, faults: readonly Fault[], operations: readonly ExploredOperation[] = [], composites: readonly string[] = []): string[] {
  const out: string[] = [];
  if (swarm && swarm.kinds.length > 0) {
    const n = swarm.kinds.length;
    out.push(`swarm: ${n === 1 ? '1 fault kind' : n <= 3 ? '2-3 fault kinds' : '4+ fault kinds'}`);
    out.push(`swarm: targets ${swarm.targets.join(' + ')}`);
  }
  if (swarm?.operations !== undefined) {
    const n = swarm.operations.length;
    out.push(`swarm: ${n === 0 ? 'no operation kind' : n === 1 ? '1 operation kind' : `${n <= 3 ? '2-3' : '4+'} operation kinds`}`);
    if (swarm.kinds.length === 0) out.push('swarm: operations only');
  }
  if (swarm?.composites !== undefined) {
    const n = swarm.composites.length;
    out.push(`swarm: ${n === 0 ? 'no composite kind' : n === 1 ? '1 composite kind' : `${n <= 3 ? '2-3' : '4+'} composite kinds`}`);
  }
  for (const kind of [...new Set(composites)].sort()) out.push(`composite: ${kind}`);
  for (const kind of [...new Set(operations.map((op) => op.kind))].sort()) out.push(`operation: ${kind}`);
  const roles = new Set<string>();
  for (const f of faults)
    for (const ref of faultNameRefsOf(f))
      if (isRoleRef(ref.name)) {
        const colon = ref.name.indexOf(':');
        roles.add(colon < 0 ? ref.name : ref.name.slice(0, colon));
      }
  for (const role of [...roles].sort()) out.push(`fault aimed at ${role.slice(ROLE_PREFIX.length).replace(/-/g, ' ')}`);
  return out;
}
