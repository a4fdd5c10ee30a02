// Faults aimed at roles, as Jepsen's nemeses target them: a node field of a fault may name a role
// ("@leader:orders-0", "@active-controller") instead of a node, and the kernel resolves it when
// the fault fires, from the model's state at that moment (Model.nodesInRole), so the fault stays
// meaningful as leadership moves. What a role means is the model's business; here a role
// reference is `@name` or `@name:argument` in any field built from `nodeName`. The kernel logs
// the fault as resolved (node names, plus the role references it came from) in the trace, so a
// replay resolves it again to the same nodes or diverges.
//
// A role in a one-node field (crash `node`, hold `from`/`to`) resolves to the first node holding
// it; in a node list it expands to every holder; in partition groups a node already on an
// earlier side is left off a later one. A fault whose role nobody holds (no leader right now), or
// whose sides end up empty or the same node, does nothing: it is logged as skipped.

import { z } from 'zod';
import { nodeName } from './fault-fields.ts';

export const ROLE_PREFIX = '@';

/** Whether a name in a node field is a role reference. */
export function isRoleRef(name: string): boolean {
  return name.startsWith(ROLE_PREFIX);
}

/** "leader of orders-0" for "@leader:orders-0", "active controller" for "@active-controller". */
export function describeRole(ref: string): string {
  const body = ref.slice(ROLE_PREFIX.length);
  const colon = body.indexOf(':');
  const role = (colon < 0 ? body : body.slice(0, colon)).replace(/-/g, ' ');
  return colon < 0 ? role : `${role} of ${body.slice(colon + 1)}`;
}

/** A fault as it fired: its node fields resolved, and the role references they came from. */
interface ResolvedRoles {
  /** The fault with every role replaced by node names; null when it does nothing (skipped). */
  fault: object | null;
  /** "leader of orders-0 (b2)" per role reference, in field order. */
  named: string[];
}

/** Whether any node field of the fault names a role. */
export function namesRoles(shape: Readonly<Record<string, z.ZodType>>, fault: object): boolean {
  let found = false;
  walk(shape, fault, (name) => {
    if (isRoleRef(name)) found = true;
    return [name];
  });
  return found;
}

/**
 * Resolves every role reference in the fault's node fields with `holders` (role reference ->
 * node names holding it now, in the model's order).
 */
export function resolveRoles(shape: Readonly<Record<string, z.ZodType>>, fault: object, holders: (ref: string) => readonly string[]): ResolvedRoles {
  const named: string[] = [];
  let empty = false;
  const resolved = walk(shape, fault, (name) => {
    if (!isRoleRef(name)) return [name];
    const nodes = holders(name);
    named.push(`${describeRole(name)} (${nodes.length === 0 ? 'nobody' : nodes.join(', ')})`);
    if (nodes.length === 0) empty = true;
    return nodes;
  });
  // A one-way cut from a node to itself means nothing: the node stays on the `from` side.
  if (Array.isArray(resolved.from) && Array.isArray(resolved.to)) resolved.to = (resolved.to as string[]).filter((n) => !(resolved.from as string[]).includes(n));
  if (empty || !sidesUsable(resolved)) return { fault: null, named };
  return { fault: { ...resolved, roles: pickNodeFields(shape, fault) }, named };
}

type Expand = (name: string) => readonly string[];

/** The fault with each node field mapped through `expand` (a one-node field keeps the first). */
function walk(shape: Readonly<Record<string, z.ZodType>>, fault: object, expand: Expand): Record<string, unknown> {
  const out: Record<string, unknown> = { ...fault };
  for (const [key, schema] of Object.entries(shape)) {
    const value = (fault as Record<string, unknown>)[key];
    if (value !== undefined) out[key] = mapField(unwrap(schema), value, expand);
  }
  return out;
}

function unwrap(schema: z.ZodType): z.ZodType {
  return schema instanceof z.ZodOptional ? (schema.unwrap() as z.ZodType) : schema;
}

function mapField(schema: z.ZodType, value: unknown, expand: Expand): unknown {
  if (schema === nodeName) return expand(value as string)[0] ?? '';
  if (!(schema instanceof z.ZodArray)) return value;
  const element = schema.element as z.ZodType;
  if (element === nodeName) return [...new Set((value as string[]).flatMap(expand))];
  if (element instanceof z.ZodArray && element.element === nodeName) {
    // Sides of a cut: a node stays on the first side that names it.
    const seen = new Set<string>();
    return (value as string[][]).map((side) => [...new Set(side.flatMap(expand))].filter((n) => !seen.has(n) && (seen.add(n), true)));
  }
  return value;
}

/** A resolved fault acts only with non-empty sides and a link between two different nodes. */
function sidesUsable(f: Record<string, unknown>): boolean {
  if (Array.isArray(f.groups) && f.groups.some((side) => (side as unknown[]).length === 0)) return false;
  for (const key of ['from', 'to', 'node']) {
    const v = f[key];
    if (v === '' || (Array.isArray(v) && v.length === 0)) return false;
  }
  return !(typeof f.from === 'string' && f.from === f.to);
}

/** The node fields as the fault names them (roles included), for the trace. */
function pickNodeFields(shape: Readonly<Record<string, z.ZodType>>, fault: object): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [key, schema] of Object.entries(shape)) {
    const s = unwrap(schema);
    const isNodes = s === nodeName || (s instanceof z.ZodArray && (s.element === nodeName || (s.element instanceof z.ZodArray && s.element.element === nodeName)));
    if (isNodes && (fault as Record<string, unknown>)[key] !== undefined) out[key] = (fault as Record<string, unknown>)[key];
  }
  return out;
}
