// The Kafka model's part of the scenario format (merged into the envelope of
// src/scenario/scenario-schema.ts): which defaults to start from (preset), the protocol era, the
// metadata mode, the cluster (brokers over AZs, controllers, storage, rack awareness), a flat map
// of Kafka configs, topics, producers and scripted operations. Parsing fills in every default it
// can and normalises config values; cross-field checks that need more than one key (a producer's
// topic exists, replication.factor fits the brokers...) live in build-kafka-scenario.ts.

import { z } from 'zod';
import { CONFIG_PRESET_NAMES } from '../config/config-presets.ts';
import { configMapSchema } from '../config/config-map-schema.ts';
import { MODEL_BUG_DOCS, MODEL_BUGS } from '../model-bugs.ts';
import { PROTOCOL_ERAS, PROTOCOL_FEATURES, type ProtocolEra } from '../version/protocol-features.ts';
import { KAFKA_VERSION_NAMES, releaseOf, type KafkaVersion } from '../version/kafka-versions.ts';
import {
  COMMIT_STRATEGIES,
  LINUX_WRITEBACK_DEFAULTS,
  FSYNC_MS_DEFAULTS,
  type BrokerStorage,
  type CommitStrategy,
  type MetadataMode,
  type StorageType,
} from './kafka-scenario.ts';
import { boundedCount, boundMessage, KAFKA_BOUNDS } from './kafka-bounds.ts';

const DEFAULT_AZS: readonly string[] = ['use1-az1', 'use1-az2', 'use1-az4'];

/** The cluster's AZs: `azs` as stated, else the AZs of an explicit broker list, else DEFAULT_AZS. */
export function clusterAzs(c: { azs?: readonly string[]; brokers?: unknown }): string[] {
  if (c.azs) return [...c.azs];
  if (Array.isArray(c.brokers)) return [...new Set((c.brokers as { az: string }[]).map((b) => b.az))];
  return [...DEFAULT_AZS];
}
const STORAGE_TYPES: readonly StorageType[] = ['ebs', 'instance-store'];
const METADATA_MODES: readonly MetadataMode[] = ['kraft', 'zookeeper'];

/** broker.rack: "az" sets each broker's rack to its AZ (MSK); "none" leaves racks unset. */
type RackMode = 'az' | 'none';
/** What `broker.rack` accepts: the two modes and their aliases. */
const RACK_MODE_INPUTS = ['az', 'aware', 'none', 'naive'] as const;
const RACK_ALIASES: Record<(typeof RACK_MODE_INPUTS)[number], RackMode> = { az: 'az', aware: 'az', none: 'none', naive: 'none' };

const name = z.string().min(1);
const ms = z.number().min(0).describe('virtual milliseconds');
const storageType = z.enum(STORAGE_TYPES as [StorageType, ...StorageType[]]).describe('ebs survives instance loss; instance-store comes back empty');
const STORAGE_FORMS = '"ebs", "instance-store" or an object {"type", "dirtyExpireMs", "dirtyWritebackMs", "fsyncMs"}';
/** A log disk: its type alone, or an object that also sets the OS writeback (storage/page-cache.ts). */
const storage = z.union(
  [
    storageType,
    z.strictObject({
      type: storageType.optional(),
      dirtyExpireMs: z
        .number()
        .int()
        .min(0)
        .optional()
        .describe(
          `milliseconds: dirty page cache this old is written back at the kernel flusher's next pass (Linux vm.dirty_expire_centisecs × 10); Linux's default ${LINUX_WRITEBACK_DEFAULTS.dirtyExpireMs}`,
        ),
      dirtyWritebackMs: z
        .number()
        .int()
        .min(0)
        .optional()
        .describe(
          `milliseconds between the kernel flusher's passes (Linux vm.dirty_writeback_centisecs × 10); 0 turns periodic writeback off; Linux's default ${LINUX_WRITEBACK_DEFAULTS.dirtyWritebackMs}`,
        ),
      fsyncMs: z
        .number()
        .min(0)
        .max(10_000)
        .optional()
        .describe(
          `milliseconds one fsync of a log takes (Kafka fsyncs inside the append when log.flush.interval.messages is reached: the produce response, the follower's next fetch and the log's next append wait); default by type: ebs ${FSYNC_MS_DEFAULTS.ebs}, instance-store ${FSYNC_MS_DEFAULTS['instance-store']}; a type given without fsyncMs takes its type's`,
        ),
    }),
  ],
  { error: `must be ${STORAGE_FORMS}` },
);
type StorageInput = z.output<typeof storage>;

/** A storage field over a base: the string form sets the type, the object form the fields it gives. */
function resolveStorage(input: StorageInput | undefined, base: BrokerStorage): BrokerStorage {
  if (input === undefined) return base;
  // a type given without fsyncMs takes its type's fsync time, not the base's
  if (typeof input === 'string') return { ...base, type: input, fsyncMs: input === base.type ? base.fsyncMs : FSYNC_MS_DEFAULTS[input] };
  const type = input.type ?? base.type;
  return {
    type,
    dirtyExpireMs: input.dirtyExpireMs ?? base.dirtyExpireMs,
    dirtyWritebackMs: input.dirtyWritebackMs ?? base.dirtyWritebackMs,
    fsyncMs: input.fsyncMs ?? (type === base.type ? base.fsyncMs : FSYNC_MS_DEFAULTS[type]),
  };
}

const brokerEntry = z.strictObject({
  name,
  id: z.number().int().min(0).optional().describe('broker.id; default: the position in the list, from 1'),
  az: name,
  storage: storage.optional().describe('this broker\'s log disk, field by field over cluster.storage'),
});

const controllerEntry = z.strictObject({ name, az: name });

interface ClusterBroker {
  name: string;
  /** broker.id: 1..N in declaration order. */
  id: number;
  az: string;
  storage: BrokerStorage;
}

interface ClusterNode {
  name: string;
  az: string;
}

interface ResolvedCluster {
  brokers: ClusterBroker[];
  azs: string[];
  storage: BrokerStorage;
  controllers: ClusterNode[];
  'broker.rack': RackMode;
}

/** Names b1..bN (or c1..cN) placed round-robin over the AZs, as MSK spreads brokers. */
function roundRobin(prefix: string, count: number, azs: readonly string[]): ClusterNode[] {
  return Array.from({ length: count }, (_, i) => ({ name: `${prefix}${i + 1}`, az: azs[i % azs.length] }));
}

const clusterSchema = z
  .strictObject({
    brokers: z
      .union([boundedCount('brokers', 1), z.array(brokerEntry).min(1).max(KAFKA_BOUNDS.brokers.max, boundMessage('brokers'))])
      .default(3)
      .describe('a count (named b1..bN, placed round-robin over azs, broker.id 1..N) or an explicit list'),
    azs: z
      .array(name)
      .min(1)
      .optional()
      .describe('availability zones; default: the AZs of an explicit broker list, else use1-az1, use1-az2, use1-az4'),
    storage: storage
      .optional()
      .describe(
        `every broker's log disk: ${STORAGE_FORMS}; default "ebs" with Linux's writeback (dirtyExpireMs ${LINUX_WRITEBACK_DEFAULTS.dirtyExpireMs}, dirtyWritebackMs ${LINUX_WRITEBACK_DEFAULTS.dirtyWritebackMs}, fsyncMs ${FSYNC_MS_DEFAULTS.ebs})`,
      ),
    controllers: z
      .union([boundedCount('controllers', 1), z.array(controllerEntry).min(1).max(KAFKA_BOUNDS.controllers.max, boundMessage('controllers'))])
      .default(3)
      .describe('KRaft controllers (or the ZooKeeper-era controller quorum): a count (c1..cN over azs) or a list'),
    'broker.rack': z
      .enum(RACK_MODE_INPUTS)
      .default('az')
      .describe('"az" (alias "aware"): rack = AZ, rack-aware replica placement, as on MSK; "none" (alias "naive"): racks unset'),
  })
  .transform((c, ctx): ResolvedCluster => {
    const clusterStorage = resolveStorage(c.storage, { type: 'ebs', ...LINUX_WRITEBACK_DEFAULTS, fsyncMs: FSYNC_MS_DEFAULTS.ebs });
    const explicitBrokers = Array.isArray(c.brokers) ? c.brokers : undefined;
    const azs = clusterAzs(c);
    azs.forEach((az, i) => {
      if (azs.indexOf(az) !== i) ctx.addIssue({ code: 'custom', path: ['azs', i], message: `duplicate AZ "${az}"` });
    });
    const checkAz = (az: string, path: (string | number)[]) => {
      if (!azs.includes(az))
        ctx.addIssue({ code: 'custom', path, message: `unknown AZ "${az}"; cluster.azs is ${azs.map((a) => `"${a}"`).join(', ')}` });
    };
    const brokers: ClusterBroker[] = explicitBrokers
      ? explicitBrokers.map((b, i) => {
          checkAz(b.az, ['brokers', i, 'az']);
          const id = b.id ?? i + 1;
          if (explicitBrokers.findIndex((o, j) => (o.id ?? j + 1) === id) !== i)
            ctx.addIssue({ code: 'custom', path: ['brokers', i, 'id'], message: `duplicate broker.id ${id}` });
          return { name: b.name, id, az: b.az, storage: resolveStorage(b.storage, clusterStorage) };
        })
      : roundRobin('b', c.brokers as number, azs).map((b, i) => ({ name: b.name, id: i + 1, az: b.az, storage: clusterStorage }));
    const controllers = Array.isArray(c.controllers)
      ? c.controllers.map((n, i) => {
          checkAz(n.az, ['controllers', i, 'az']);
          return { name: n.name, az: n.az };
        })
      : roundRobin('c', c.controllers, azs);
    return { brokers, azs, storage: clusterStorage, controllers, 'broker.rack': RACK_ALIASES[c['broker.rack']] };
  })
  .prefault({});

const topicSchema = z.strictObject({
  name,
  partitions: boundedCount('partitions', 1).optional().describe('default: num.partitions (or the length of an explicit replicas list)'),
  'replication.factor': z
    .number()
    .int()
    .min(1)
    .optional()
    .describe('default: default.replication.factor (or the width of an explicit replicas list)'),
  config: configMapSchema('topic'),
  replicas: z
    .array(z.array(name).min(1).max(KAFKA_BOUNDS.brokers.max, boundMessage('brokers')))
    .min(1)
    .max(KAFKA_BOUNDS.partitions.max, boundMessage('partitions'))
    .optional()
    .describe('explicit assignment: replicas[p] lists broker names, preferred leader first; default: Kafka’s placement'),
});

const scriptedSendSchema = z.strictObject({
  atMs: ms,
  key: z.string().nullable().default(null).describe('null: no key (sticky partitioner)'),
});

const producerSchema = z.strictObject({
  name,
  az: name,
  topic: name,
  ratePerSec: z.number().min(0).max(KAFKA_BOUNDS.ratePerSec.max, boundMessage('ratePerSec')).default(0).describe('records per second from startMs to stopMs'),
  keys: boundedCount('keys', 0).default(0).describe('distinct keys "k0".."k{keys-1}"; 0 sends null keys (sticky partitioner)'),
  recordBytes: boundedCount('recordBytes', 1).default(100),
  startMs: ms.default(0),
  stopMs: ms.optional().describe('default: until the end of the run'),
  sends: z
    .array(scriptedSendSchema)
    .max(KAFKA_BOUNDS.sends.max, boundMessage('sends'))
    .default([])
    .describe('scripted single sends, in addition to ratePerSec'),
  config: configMapSchema('producer'),
});

/** A Kafka version by name, e.g. "3.7"; `--set kafkaVersion=3.0` arrives as the number 3: the version whose number it is. */
const kafkaVersionSchema = z.preprocess(
  (v) => (typeof v === 'number' ? (KAFKA_VERSION_NAMES.find((name) => Number(name) === v) ?? v) : v),
  z.enum(KAFKA_VERSION_NAMES as [KafkaVersion, ...KafkaVersion[]], { error: (issue) => patchReleaseProblem(issue.input) }),
);

/** For "3.3.1": ksim simulates one release of each line ("3.3" is 3.3.0), named without its patch number; else undefined (zod's own message). */
function patchReleaseProblem(input: unknown): string | undefined {
  const line = typeof input === 'string' ? /^(\d+\.\d+)\.\d+$/.exec(input)?.[1] : undefined;
  if (line === undefined || !(KAFKA_VERSION_NAMES as readonly string[]).includes(line)) return undefined;
  return `ksim simulates one release of each line, named without its patch number: use "${line}" (Apache Kafka ${releaseOf(line as KafkaVersion)}; ksim versions lists each line's release and MSK's)`;
}

const OPERATION_KINDS = ['controlled-shutdown', 'rolling-restart', 'upgrade', 'update-features', 'create-partitions', 'preferred-leader-election', 'consumer-close', 'consumer-start', 'producer-restart', 'delete-records', 'reassign-partitions'] as const;
const operationAt = ms.describe('virtual milliseconds from the start of the run');
/**
 * The scripted operations, one object per kind (see KafkaOperation in kafka-scenario.ts for what
 * each does in Kafka and the class or KIP it follows).
 */
const operationSchema = z.discriminatedUnion(
  'kind',
  [
    z.strictObject({
      atMs: operationAt,
      kind: z.literal('controlled-shutdown'),
      broker: name.describe(
        'the broker to stop, or a role resolved when the operation fires: "@leader:<topic>-<partition>" (the partition\'s leader then) or "@follower:<topic>-<partition>" (its first other replica)',
      ),
      durationMs: z.number().positive().describe('the broker starts again this long after it stopped'),
    }),
    z.strictObject({
      atMs: operationAt,
      kind: z.literal('rolling-restart'),
      brokers: z.array(name).min(1).optional().describe('the order to restart in; default: every broker in cluster order'),
      durationMs: z.number().positive().describe('each broker starts again this long after it stopped'),
      isrWaitMs: z
        .number()
        .positive()
        .default(300_000)
        .describe('after a broker is back, wait at most this long for every partition to have its full ISR before the next broker stops'),
      'inter.broker.protocol.version': kafkaVersionSchema
        .optional()
        .describe('ZooKeeper mode: each broker starts again with this inter.broker.protocol.version (the final step of an upgrade, docs/upgrade.html: bump the protocol version and restart the brokers one by one); every broker must run that version by then'),
      'log.message.format.version': kafkaVersionSchema
        .optional()
        .describe('ZooKeeper mode: each broker starts again writing this message format (the upgrade\'s last rolling restart, docs/upgrade.html: once clients are upgraded, raise log.message.format.version); at most the inter.broker.protocol.version the broker then has; from 0.11 batches carry leader epochs (KIP-101 protects)'),
    }),
    z.strictObject({
      atMs: operationAt,
      kind: z.literal('upgrade'),
      broker: name.optional().describe('the broker to upgrade'),
      brokers: z.array(name).min(1).optional().describe('or: the brokers to upgrade one at a time, in this order, as a rolling restart (default, with no broker: every broker in cluster order)'),
      to: kafkaVersionSchema.describe('the Kafka version the broker runs after its restart (newer than the one it runs); inter.broker.protocol.version or metadata.version stay until the final step'),
      durationMs: z.number().positive().default(10_000).describe('each broker starts again on the new software this long after it stopped'),
      isrWaitMs: z
        .number()
        .positive()
        .default(300_000)
        .describe('rolling form: after a broker is back, wait at most this long for every partition to have its full ISR before the next broker stops'),
    }),
    z.strictObject({
      atMs: operationAt,
      kind: z.literal('update-features'),
      'metadata.version': kafkaVersionSchema.describe(
        'KRaft: the UpdateFeatures API (kafka-features.sh upgrade --metadata): the final step of an upgrade; refused (INVALID_UPDATE_VERSION) while a broker\'s software does not support it',
      ),
    }),
    z.strictObject({
      atMs: operationAt,
      kind: z.literal('create-partitions'),
      topic: name,
      totalCount: boundedCount('partitions', 1).describe('the topic\'s partition count afterwards (kafka-topics --alter --partitions)'),
    }),
    z.strictObject({
      atMs: operationAt,
      kind: z.literal('preferred-leader-election'),
      topic: name.optional().describe('default: every topic (kafka-leader-election --all-topic-partitions)'),
      partition: z.number().int().min(0).optional().describe('default: every partition of the topic'),
    }),
    z.strictObject({ atMs: operationAt, kind: z.literal('consumer-close'), member: name }),
    z.strictObject({ atMs: operationAt, kind: z.literal('consumer-start'), member: name }),
    z.strictObject({ atMs: operationAt, kind: z.literal('producer-restart'), producer: name }),
    z.strictObject({
      atMs: operationAt,
      kind: z.literal('delete-records'),
      topic: name,
      partition: z.number().int().min(0),
      offset: z.number().int().min(-1).describe('the new log start offset; -1: the high watermark (kafka-delete-records --offset-json-file)'),
    }),
    z.strictObject({
      atMs: operationAt,
      kind: z.literal('reassign-partitions'),
      topic: name,
      partition: z.number().int().min(0),
      replicas: z
        .array(name)
        .min(1, 'needs at least one broker: a partition cannot have an empty replica set')
        .max(KAFKA_BOUNDS.brokers.max, boundMessage('brokers'))
        .describe('the target replica set by broker name, preferred leader first (kafka-reassign-partitions --reassignment-json-file); its size may differ from the current replication factor'),
      throttleBytesPerSec: z
        .number()
        .int()
        .positive()
        .optional()
        .describe('kafka-reassign-partitions --throttle (KIP-73): leader.replication.throttled.rate and follower.replication.throttled.rate on every broker involved, bytes/s, for the moving replicas; default: none'),
    }),
  ],
  { error: (issue) => (issue.code === 'invalid_union' ? `unknown operation kind; kinds are ${OPERATION_KINDS.map((k) => `"${k}"`).join(', ')}` : undefined) },
);

const commitStrategy = z
  .enum(COMMIT_STRATEGIES as [CommitStrategy, ...CommitStrategy[]])
  .describe(
    'auto: enable.auto.commit every auto.commit.interval.ms; after-processing: commit a poll’s offsets once processed (at least once); before-processing: commit right after poll (at most once)',
  );

const consumerMemberSchema = z.strictObject({
  name,
  az: name,
  startMs: ms.optional().describe('default: the group’s startMs'),
  processingMs: ms.optional().describe('processing time per record; default: the group’s'),
  commit: commitStrategy.optional().describe('default: the group’s'),
  commitSync: z.boolean().optional().describe('default: the group’s'),
  config: configMapSchema('consumer'),
});

const consumerGroupSchema = z.strictObject({
  'group.id': name,
  topics: z.array(name).min(1).describe('topics the members subscribe to'),
  startMs: ms.default(0),
  processingMs: ms.default(0).describe('processing time per record'),
  commit: commitStrategy.default('after-processing'),
  commitSync: z.boolean().default(true).describe('commitSync (wait, retry retriable errors) or commitAsync (fire and forget)'),
  config: configMapSchema('consumer'),
  members: z
    .union([boundedCount('members', 1), z.array(consumerMemberSchema).min(1).max(KAFKA_BOUNDS.members.max, boundMessage('members'))])
    .describe('a count (named "<group.id>-1".., placed round-robin over cluster.azs) or an explicit list'),
});

/** The fields of each list item a `--set` can address (producers.p1.<field>...), by its list. */
export const ITEM_FIELDS: Readonly<Record<'producers' | 'consumerGroups' | 'members' | 'topics', readonly string[]>> = {
  producers: Object.keys(producerSchema.shape),
  consumerGroups: Object.keys(consumerGroupSchema.shape),
  members: Object.keys(consumerMemberSchema.shape),
  topics: Object.keys(topicSchema.shape),
};

/** The Kafka model's scenario keys. */
export const kafkaScenarioShape = {
  preset: z
    .enum(CONFIG_PRESET_NAMES as ['msk', 'apache'])
    .default('msk')
    .describe('which defaults apply before `config`: "msk" (Amazon MSK) or "apache" (Apache Kafka)'),
  era: z
    .enum(PROTOCOL_ERAS as [ProtocolEra, ...ProtocolEra[]])
    .default('current')
    .describe(`replication protocol when no kafkaVersion is stated: ${PROTOCOL_ERAS.map((era) => `${era} (${PROTOCOL_FEATURES[era].summary})`).join('; ')}`),
  kafkaVersion: kafkaVersionSchema
    .optional()
    .describe("the Apache Kafka version run: its protocol fixes and known bugs (instead of `era`), its Apache defaults where they changed, and the metadata modes it has (see `ksim versions`)"),
  metadataMode: z
    .enum(METADATA_MODES as [MetadataMode, ...MetadataMode[]])
    .optional()
    .describe('"kraft" or "zookeeper"; unstated: kraft, or with a kafkaVersion (or an era before current, which ran ZooKeeper only) the mode that version runs in production (zookeeper before 3.3, and before 3.7 under the msk preset)'),
  cluster: clusterSchema,
  config: configMapSchema('cluster'),
  topics: z.array(topicSchema).max(KAFKA_BOUNDS.topics.max, boundMessage('topics')).default([]),
  producers: z.array(producerSchema).default([]),
  operations: z.array(operationSchema).max(KAFKA_BOUNDS.operations.max, boundMessage('operations')).default([]).describe('scripted administrative actions'),
  consumerGroups: z
    .array(consumerGroupSchema)
    .max(KAFKA_BOUNDS.consumerGroups.max, boundMessage('consumerGroups'))
    .superRefine((groups, ctx) => {
      // Checked here, before the members' node names are derived from the group.id and collide.
      groups.forEach((g, i) => {
        const first = groups.findIndex((o) => o['group.id'] === g['group.id']);
        if (first !== i) ctx.addIssue({ code: 'custom', path: [i, 'group.id'], message: `duplicate group.id "${g['group.id']}" (also consumerGroups[${first}])` });
      });
    })
    .default([])
    .describe('consumer groups; their members are nodes, coordinated through __consumer_offsets'),
  bugs: z
    .array(z.enum(MODEL_BUGS))
    .default([])
    .describe(`deliberate model bugs for the bug zoo (tests only): ${MODEL_BUGS.map((b) => `${b}: ${MODEL_BUG_DOCS[b]}`).join('; ')}`),
};

const kafkaScenarioObject = z.object(kafkaScenarioShape);

/** The Kafka keys of a parsed scenario (plus the envelope fields the checks need). */
/** `era` is dropped from a resolved scenario that states a kafkaVersion (kafka-definition.ts complete): the version decides. */
export type KafkaScenarioInput = Omit<z.output<typeof kafkaScenarioObject>, 'era'> & { era?: ProtocolEra; durationMs?: number };
type ConsumerGroupInput = z.output<typeof consumerGroupSchema>;

/** A group's members as the scenario resolves them: a count becomes "<group.id>-1".. over the AZs. */
export function consumerMembersOf(g: ConsumerGroupInput, azs: readonly string[]): z.output<typeof consumerMemberSchema>[] {
  if (Array.isArray(g.members)) return g.members;
  return Array.from({ length: g.members }, (_, i) => ({ name: `${g['group.id']}-${i + 1}`, az: azs[i % azs.length], config: {} }));
}
