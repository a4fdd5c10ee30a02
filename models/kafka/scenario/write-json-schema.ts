// Regenerates kafka-scenario.schema.json from the scenario schema and the config catalog. Run after changing either: npx tsx models/kafka/scenario/write-json-schema.ts
// (kafka-json-schema.test.ts fails while the committed file is stale).

import { writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { kafkaJsonSchemaText } from './kafka-json-schema.ts';

const KAFKA_JSON_SCHEMA_PATH = fileURLToPath(new URL('./kafka-scenario.schema.json', import.meta.url));

writeFileSync(KAFKA_JSON_SCHEMA_PATH, kafkaJsonSchemaText());
console.log(`wrote ${KAFKA_JSON_SCHEMA_PATH}`);
