// `--set` of one named thing in a Kafka scenario: `producers.p1.acks=1` (a producer by name),
// `groups.billing.commit=before-processing` (a consumer group by group.id; `consumerGroups.billing`
// too), `groups.billing.members.billing-1.max.poll.records=10` (one member), `topics.orders.min.insync.replicas=2`
// (a topic by name, its topic-level config by either name: retention.ms or log.retention.ms), and
// dotted Kafka names below a scenario field: `config.min.insync.replicas=2`, `cluster.broker.rack=none`
// (the field names the README documents, which a plain dotted path would split at every dot). A
// name or index that matches nothing is a one-line error listing the names there are.
//
// What a Kafka user expects of a client key: its value is that client's `config` entry (as a
// KafkaProducer's Properties), a scenario field of the same name (ratePerSec, commit) is set as a
// field. The value is checked later, with the rest of the scenario.

import { UserError } from '../../../src/scenario/user-error.ts';
import { didYouMean } from '../../../src/scenario/closest-name.ts';
import { coarseTimeKeyMessage } from '../config/coarse-time-keys.ts';
import { unmodelledKafkaKeyMessage } from '../config/unmodelled-kafka-keys.ts';
import { CONFIG_BY_TOPIC_KEY, CONFIG_CATALOG, configEntryIn } from '../config/config-catalog.ts';
import type { ConfigScope } from '../config/config-entry.ts';
import { clusterAzs, consumerMembersOf, ITEM_FIELDS } from './kafka-scenario-schema.ts';

/** What an error calls an item of a list and the list's items ("topic", "topics"). */
interface ItemNouns {
  one: string;
  many: string;
}

/** The lists a setting can address an item of, the field naming an item, what an item is called, and its config scope. */
const LISTS: Record<string, { list: string; nameField: string; nouns: ItemNouns; scope: ConfigScope }> = {
  producers: { list: 'producers', nameField: 'name', nouns: { one: 'producer', many: 'producers' }, scope: 'producer' },
  groups: { list: 'consumerGroups', nameField: 'group.id', nouns: { one: 'consumer group', many: 'consumer groups' }, scope: 'consumer' },
  consumerGroups: { list: 'consumerGroups', nameField: 'group.id', nouns: { one: 'consumer group', many: 'consumer groups' }, scope: 'consumer' },
  topics: { list: 'topics', nameField: 'name', nouns: { one: 'topic', many: 'topics' }, scope: 'topic' },
};

const MEMBER_NOUNS: ItemNouns = { one: 'member', many: 'members' };

/** Dotted names that are one field of an object (not a path): the object's path, the field. */
const DOTTED_FIELDS: Record<string, string[]> = { cluster: ['broker.rack'] };

function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/**
 * The item of `items` called `name` (or at index `name`), else a one-line error naming the items
 * there are: `the scenario has no topic "nosuch"; its topics are "orders"`. `owner`: what holds
 * the list ("the scenario", `consumer group "billing"`).
 */
function findItem(key: string, owner: string, nouns: ItemNouns, items: unknown, nameField: string, name: string): Record<string, unknown> {
  const list = Array.isArray(items) ? items.filter(isObject) : [];
  const byName = list.find((item) => item[nameField] === name);
  if (byName) return byName;
  if (/^\d+$/.test(name) && Number(name) < list.length) return list[Number(name)];
  const names = list.map((item) => String(item[nameField]));
  const there = names.length === 0 ? `it has no ${nouns.many}` : `its ${names.length === 1 ? `${nouns.one} is` : `${nouns.many} are`} ${names.map((n) => `"${n}"`).join(', ')}`;
  throw new UserError(`--set ${key}: ${owner} has no ${nouns.one} "${name}"${didYouMean(name, names)}; ${there}`);
}

/**
 * A group whose members are a count gets them named, as the scenario would name them
 * ("billing-1".., over the cluster's AZs: consumerMembersOf), so one of them can be set.
 */
function namedMembers(key: string, raw: Record<string, unknown>, group: Record<string, unknown>): void {
  if (typeof group.members !== 'number') return;
  const cluster = isObject(raw.cluster) ? raw.cluster : {};
  const azs = clusterAzs({ azs: Array.isArray(cluster.azs) ? cluster.azs.map(String) : undefined, brokers: cluster.brokers });
  if (azs.length === 0) throw new UserError(`--set ${key}: the group's members are a count; name them in the scenario (members: [{ "name": ..., "az": ... }]) to set one`);
  group.members = consumerMembersOf({ 'group.id': String(group['group.id']), members: group.members } as Parameters<typeof consumerMembersOf>[0], azs);
}

/** A topic config key by the name its `config` map uses (the topic-level one: retention.ms). */
function configNameIn(scope: ConfigScope, key: string): string | undefined {
  if (scope !== 'topic') return configEntryIn(key, scope) ? key : undefined;
  const byTopicName = CONFIG_BY_TOPIC_KEY.get(key);
  if (byTopicName) return key;
  const entry = configEntryIn(key, 'topic');
  return entry ? (entry.topicKey ?? entry.key) : undefined;
}

/** Sets `rest` (a field or a config key, maybe as `config.<key>`) of one item. */
function setInItem(key: string, item: Record<string, unknown>, scope: ConfigScope, rest: string, value: unknown, fields: readonly string[]): void {
  const configKey = rest.startsWith('config.') ? rest.slice('config.'.length) : rest;
  const name = configNameIn(scope, configKey);
  if (name !== undefined) {
    if (!isObject(item.config)) item.config = {};
    (item.config as Record<string, unknown>)[name] = value;
    return;
  }
  const coarse = coarseKeyMessage(key, scope, rest, configKey, value);
  if (coarse) throw new UserError(`--set ${key}: ${coarse}`);
  const unmodelled = unmodelledKafkaKeyMessage(configKey);
  if (unmodelled !== undefined) throw new UserError(`--set ${key}: ${unmodelled}`);
  if (rest.startsWith('config.')) throw new UserError(`--set ${key}: "${configKey}" is not a ${scope} config key${didYouMean(configKey, scopeKeys(scope))}`);
  // A field of the item (ratePerSec, commit, a topic's replication.factor...); neither a field nor a
  // key: the closest of both (`ack` -> "acks", `ratePerSecond` -> "ratePerSec").
  if (!fields.includes(rest)) throw new UserError(`--set ${key}: "${rest}" is neither a ${scope} config key nor a field of the ${scope}${didYouMean(rest, [...scopeKeys(scope), ...fields])}`);
  item[rest] = value;
}

/** The config names `scope` takes (a topic's by its topic-level name: retention.ms). */
function scopeKeys(scope: ConfigScope): string[] {
  return CONFIG_CATALOG.filter((e) => e.scope === scope).map((e) => (scope === 'topic' ? (e.topicKey ?? e.key) : e.key));
}

/**
 * A coarse time key on one item (`topics.orders.log.retention.hours`, or `retention.hours`, which
 * Kafka has at neither level): which .ms key to write there, and its value in ms.
 */
function coarseKeyMessage(key: string, scope: ConfigScope, rest: string, configKey: string, value: unknown): string | undefined {
  const prefix = key.slice(0, key.length - rest.length);
  const writeAs = (msKey: string) => `${prefix}${configNameIn(scope, msKey) === undefined ? msKey : (configEntryIn(msKey, scope)?.topicKey ?? msKey)}`;
  const asGiven = coarseTimeKeyMessage(configKey, value, writeAs);
  if (asGiven) return asGiven;
  const brokerForm = coarseTimeKeyMessage(`log.${configKey}`, value, writeAs);
  return brokerForm && `"${configKey}" is not a Kafka config key (the broker's hours/minutes keys are log.*); ${brokerForm}`;
}

/**
 * Applies an addressed `--set` to the raw scenario; false when `key` addresses nothing this way
 * (a plain scenario path or a cluster-wide config key, applied elsewhere).
 */
export function applyAddressedSetting(raw: Record<string, unknown>, key: string, value: unknown): boolean {
  const parts = key.split('.');
  const target = LISTS[parts[0]];
  if (target && parts.length >= 3) {
    const item = findItem(key, 'the scenario', target.nouns, raw[target.list], target.nameField, parts[1]);
    let rest = parts.slice(2).join('.');
    if (target.list === 'consumerGroups' && parts[2] === 'members' && parts.length >= 5) {
      namedMembers(key, raw, item);
      const member = findItem(key, `consumer group "${String(item['group.id'])}"`, MEMBER_NOUNS, item.members, 'name', parts[3]);
      rest = parts.slice(4).join('.');
      setInItem(key, member, target.scope, rest, value, ITEM_FIELDS.members);
      return true;
    }
    setInItem(key, item, target.scope, rest, value, ITEM_FIELDS[target.list as keyof typeof ITEM_FIELDS]);
    return true;
  }
  // `config.<dotted Kafka name>`: the cluster-wide config map, keyed by the whole name.
  if (parts[0] === 'config' && parts.length >= 2) {
    const config = isObject(raw.config) ? raw.config : (raw.config = {});
    (config as Record<string, unknown>)[parts.slice(1).join('.')] = value;
    return true;
  }
  // `cluster.storage.fsyncMs=5` over the string form `"storage": "ebs"`: the type stays, as
  // `{ "type": "ebs", "fsyncMs": 5 }` (the object form the schema takes).
  const cluster = raw.cluster;
  if (parts[0] === 'cluster' && parts[1] === 'storage' && parts.length === 3 && isObject(cluster) && typeof cluster.storage === 'string') {
    cluster.storage = { type: cluster.storage, [parts[2]]: value };
    return true;
  }
  // `cluster.storage=instance-store` over an object form (a scenario's, or an earlier
  // `cluster.storage.fsyncMs` flag's, or another --grid axis's) sets its type and keeps its fields,
  // so the flags mean the same in any order.
  if (key === 'cluster.storage' && typeof value === 'string' && isObject(cluster) && isObject(cluster.storage)) {
    cluster.storage = { ...cluster.storage, type: value };
    return true;
  }
  const dotted = DOTTED_FIELDS[parts[0]];
  const field = parts.slice(1).join('.');
  if (dotted?.includes(field)) {
    const object = isObject(raw[parts[0]]) ? raw[parts[0]] : (raw[parts[0]] = {});
    (object as Record<string, unknown>)[field] = value;
    return true;
  }
  return false;
}
