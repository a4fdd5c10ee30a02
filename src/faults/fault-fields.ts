// The field schemas fault kinds are built from. A field built from `nodeName` or `azName` names a
// node or an AZ: after parsing, every such name is checked against the topology (faultNameRefs
// finds them by walking the kind's schema), so a kind gets "unknown node" errors for free.

import { z } from 'zod';

export const virtualMs = z.number().min(0).describe('virtual milliseconds');
export const durationMs = z.number().positive().optional().describe('the fault ends by itself after this many ms');
export const nodeName = z.string().min(1);
export const azName = z.string().min(1);
export const nodeNames = z.array(nodeName).min(1);
/** Two or more groups of nodes, none empty. */
export const nodeGroups = z.array(z.array(nodeName).min(1)).min(2);

/** A node or AZ name a fault refers to, with its field path inside the fault ("groups[1][0]"). */
export interface NameRef {
  path: string;
  names: 'node' | 'az';
  name: string;
}

/** The node and AZ names in a parsed fault, in field order. */
export function faultNameRefs(shape: Readonly<Record<string, z.ZodType>>, fault: object): NameRef[] {
  const refs: NameRef[] = [];
  for (const [key, schema] of Object.entries(shape)) collect(schema, (fault as Record<string, unknown>)[key], key, refs);
  return refs;
}

function collect(schema: z.ZodType, value: unknown, path: string, refs: NameRef[]): void {
  if (value === undefined) return;
  if (schema === nodeName) refs.push({ path, names: 'node', name: value as string });
  else if (schema === azName) refs.push({ path, names: 'az', name: value as string });
  else if (schema instanceof z.ZodArray)
    (value as unknown[]).forEach((v, i) => collect(schema.element as z.ZodType, v, `${path}[${i}]`, refs));
}
