// The committed JSON Schema must match what the code generates; regenerate with
// `npx tsx models/kafka/scenario/write-json-schema.ts`.

import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { buildKafkaJsonSchema, kafkaJsonSchemaText } from './kafka-json-schema.ts';

const SCHEMA_FILE = new URL('./kafka-scenario.schema.json', import.meta.url);

describe('kafka-scenario.schema.json', () => {
  it('is up to date', () => {
    const committed = readFileSync(SCHEMA_FILE, 'utf8');
    expect(committed === kafkaJsonSchemaText(), 'stale: run npx tsx models/kafka/scenario/write-json-schema.ts').toBe(true);
  });

  it('lists every config key with its docs and both presets’ defaults', () => {
    const schema = buildKafkaJsonSchema() as any;
    const mir = schema.properties.config.properties['min.insync.replicas'];
    expect(mir.description).toContain('default 1 (Apache Kafka), 2 (MSK)');
    expect(schema.properties.config.additionalProperties).toBe(false);
    expect(Object.keys(schema.properties.topics.items.properties.config.properties)).toContain('flush.messages');
    expect(Object.keys(schema.properties.producers.items.properties.config.properties)).toContain('acks');
    expect(schema.properties.cluster.properties['broker.rack'].enum).toEqual(['az', 'aware', 'none', 'naive']);
  });
});
