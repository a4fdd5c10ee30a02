// The field names a scenario schema accepts at a path ("cluster", "faults[2]"), read from the zod
// schema itself, so an unknown field's error can name the fields it was probably meant to be.

import type { z } from 'zod';

/** What zod keeps of a schema: its kind and the schemas inside it. */
interface SchemaDef {
  type: string;
  shape?: Record<string, z.ZodType>;
  innerType?: z.ZodType;
  element?: z.ZodType;
  options?: readonly z.ZodType[];
  in?: z.ZodType;
  out?: z.ZodType;
  left?: z.ZodType;
  right?: z.ZodType;
  valueType?: z.ZodType;
  getter?: () => z.ZodType;
}

const defOf = (schema: z.ZodType): SchemaDef => (schema as unknown as { _zod: { def: SchemaDef } })._zod.def;

/** Guards against a recursive schema (z.lazy) walking forever. */
const DEPTH_MAX = 64;

/** The object schemas `schema` may be once wrappers (optional, default, pipe, union...) are seen through. */
function objectsOf(schema: z.ZodType, depth = 0): SchemaDef[] {
  if (depth > DEPTH_MAX) return [];
  const def = defOf(schema);
  switch (def.type) {
    case 'object':
      return [def];
    case 'optional':
    case 'nullable':
    case 'default':
    case 'prefault':
    case 'readonly':
    case 'catch':
    case 'nonoptional':
      return def.innerType ? objectsOf(def.innerType, depth + 1) : [];
    case 'pipe':
      return [def.in, def.out].flatMap((s) => (s ? objectsOf(s, depth + 1) : []));
    case 'union':
      return (def.options ?? []).flatMap((s) => objectsOf(s, depth + 1));
    case 'intersection':
      return [def.left, def.right].flatMap((s) => (s ? objectsOf(s, depth + 1) : []));
    case 'lazy':
      return def.getter ? objectsOf(def.getter(), depth + 1) : [];
    default:
      return [];
  }
}

/** The schemas `schema` holds at one path step: an object's field, an array's element, a record's value. */
function childrenOf(schema: z.ZodType, step: PropertyKey, depth = 0): z.ZodType[] {
  if (depth > DEPTH_MAX) return [];
  const def = defOf(schema);
  switch (def.type) {
    case 'object':
      return typeof step === 'string' && def.shape && Object.hasOwn(def.shape, step) ? [def.shape[step]] : [];
    case 'array':
      return typeof step === 'number' && def.element ? [def.element] : [];
    case 'record':
      return def.valueType ? [def.valueType] : [];
    case 'optional':
    case 'nullable':
    case 'default':
    case 'prefault':
    case 'readonly':
    case 'catch':
    case 'nonoptional':
      return def.innerType ? childrenOf(def.innerType, step, depth + 1) : [];
    case 'pipe':
      return [def.in, def.out].flatMap((s) => (s ? childrenOf(s, step, depth + 1) : []));
    case 'union':
      return (def.options ?? []).flatMap((s) => childrenOf(s, step, depth + 1));
    case 'intersection':
      return [def.left, def.right].flatMap((s) => (s ? childrenOf(s, step, depth + 1) : []));
    case 'lazy':
      return def.getter ? childrenOf(def.getter(), step, depth + 1) : [];
    default:
      return [];
  }
}

/**
 * Every field name an object at `path` inside `schema` may have (for a union of objects, the
 * fields of all its options), in schema order without repeats; empty when the path leads to no object.
 */
export function fieldNamesAt(schema: z.ZodType, path: readonly PropertyKey[]): string[] {
  let level = [schema];
  for (const step of path) level = level.flatMap((s) => childrenOf(s, step));
  const names = level.flatMap((s) => objectsOf(s)).flatMap((def) => Object.keys(def.shape ?? {}));
  return [...new Set(names)];
}
