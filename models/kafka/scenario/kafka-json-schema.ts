// Builds the JSON Schema of Kafka scenario files for editors (completion, hover docs, red
// squiggles): the envelope and the Kafka keys from their zod schemas, with the free-form config
// maps replaced by one property per catalog key, carrying its doc, type, range and the Apache
// and MSK defaults. write-json-schema.ts writes it to kafka-scenario.schema.json.

import { z } from 'zod';
import { envelopeShape } from '../../../src/scenario/scenario-schema.ts';
import { CONFIG_CATALOG } from '../config/config-catalog.ts';
import { JAVA_LONG_MAX, type ConfigEntry } from '../config/config-entry.ts';
import { keysAcceptedAt, type ConfigLevel } from '../config/config-map-schema.ts';
import { presetDefault } from '../config/config-presets.ts';
import { kafkaScenarioShape } from './kafka-scenario-schema.ts';

type Json = Record<string, unknown>;

function shownDefault(v: unknown): string {
  if (v === JAVA_LONG_MAX) return 'Long.MAX_VALUE';
  return v === null ? 'unset' : String(v);
}

function valueSchema(e: ConfigEntry): Json {
  const numeric: Json = { type: 'integer' };
  if (e.min !== undefined) numeric.minimum = e.min;
  // Long.MAX_VALUE cannot be written exactly as a JSON number bound; leave long maxima open.
  if (e.max !== undefined && e.max !== JAVA_LONG_MAX) numeric.maximum = e.max;
  const numericString = { type: 'string', pattern: '^\\s*-?\\d+\\s*$' };
  switch (e.type) {
    case 'boolean':
      return { anyOf: [{ type: 'boolean' }, { type: 'string', enum: ['true', 'false'] }] };
    case 'acks':
      return { enum: [0, 1, -1, '0', '1', '-1', 'all'] };
    case 'enum':
      return { type: 'string', enum: [...(e.values ?? [])] };
    case 'nullable-string':
      return { anyOf: [{ type: 'string', minLength: 1 }, { type: 'null' }] };
    case 'int':
    case 'long':
      return { anyOf: [numeric, numericString] };
    case 'double':
      return { anyOf: [{ ...numeric, type: 'number' }, { type: 'string', pattern: '^\\s*-?\\d+(\\.\\d+)?\\s*$' }] };
    case 'nullable-long':
      return { anyOf: [numeric, numericString, { type: 'null' }] };
  }
}

function entryText(e: ConfigEntry): string {
  const apache = presetDefault('apache', e);
  const msk = presetDefault('msk', e);
  const defaults = apache === msk ? `default ${shownDefault(apache)}` : `default ${shownDefault(apache)} (Apache Kafka), ${shownDefault(msk)} (MSK)`;
  return `${e.doc}${e.unit ? ` Unit: ${e.unit}.` : ''} ${e.scope} config; ${defaults}.`;
}

/** A key's schema: the entries it sets at that level (a shared key at the cluster level: each of its scopes). */
function entrySchema(entries: readonly ConfigEntry[]): Json {
  return { description: entries.map(entryText).join(' '), ...valueSchema(entries[0]) };
}

function configMapJsonSchema(level: ConfigLevel, description: unknown): Json {
  const scope = level === 'producer' || level === 'consumer' ? level : null;
  const byName = new Map<string, ConfigEntry[]>();
  for (const e of CONFIG_CATALOG) {
    if (scope !== null && e.scope !== scope) continue;
    byName.set(e.key, [...(byName.get(e.key) ?? []), e]);
    if (e.topicKey) byName.set(e.topicKey, [e]);
  }
  const properties: Json = {};
  for (const name of keysAcceptedAt(level)) properties[name] = entrySchema(byName.get(name)!);
  return { description, type: 'object', properties, additionalProperties: false };
}

function at(schema: Json, ...path: string[]): Json {
  let node: unknown = schema;
  for (const p of path) {
    node = (node as Json)[p];
    if (node === undefined) throw new Error(`JSON schema has no ${path.join('.')}`);
  }
  return node as Json;
}

export function buildKafkaJsonSchema(): Json {
  const scenario = z.strictObject({
    ...envelopeShape,
    ...kafkaScenarioShape,
    model: z.literal('kafka').optional().describe('the model that runs the scenario'),
  });
  const json = z.toJSONSchema(scenario, { io: 'input', unrepresentable: 'any' }) as Json;
  const props = at(json, 'properties');
  props.config = configMapJsonSchema('cluster', (props.config as Json).description);
  for (const [list, level] of [
    ['topics', 'topic'],
    ['producers', 'producer'],
    ['consumerGroups', 'consumer'],
  ] as const) {
    const itemProps = at(props, list, 'items', 'properties');
    itemProps.config = configMapJsonSchema(level, (itemProps.config as Json).description);
  }
  // members is a count or a list: the list's items carry their own consumer config.
  const members = at(props, 'consumerGroups', 'items', 'properties', 'members');
  const list = ((members.anyOf ?? members.oneOf) as Json[]).find((m) => m.type === 'array')!;
  const memberProps = at(list, 'items', 'properties');
  memberProps.config = configMapJsonSchema('consumer', (memberProps.config as Json).description);
  return {
    $schema: json.$schema,
    title: 'ksim Kafka scenario',
    description: 'A ksim scenario for the Kafka model: cluster, configs, topics, producers, consumer groups, operations, faults and noise.',
    ...Object.fromEntries(Object.entries(json).filter(([k]) => k !== '$schema')),
  };
}

/** The file's text: stable key order, two-space indent, trailing newline. */
export function kafkaJsonSchemaText(): string {
  return `${JSON.stringify(buildKafkaJsonSchema(), null, 2)}\n`;
}
