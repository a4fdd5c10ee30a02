// What the catalog says about one Kafka config key (its scope, value type, Apache Kafka's default,
// Amazon MSK's where it differs, range, unit and doc), and the TypeScript types computed from
// catalog entries: a scope's entries, written `as const satisfies readonly ConfigEntry<scope>[]`,
// give the config shape the model reads (ConfigShape) and its defaults (defaultsOf), so neither is
// written twice.

/**
 * Where a key applies:
 * - `broker`: cluster-wide broker config (set in the scenario's `config`).
 * - `topic`: a broker default that a topic can override (its topic-level name may differ:
 *   `log.flush.interval.messages` is `flush.messages` on a topic).
 * - `producer`: a client config; the scenario's `config` sets it for every producer and a
 *   producer's own `config` overrides it.
 * - `consumer`: a consumer client config; the scenario's `config` sets it for every consumer, a
 *   consumer group's `config` for its members, a member's own `config` overrides both.
 */
export type ConfigScope = 'broker' | 'topic' | 'producer' | 'consumer';

export type ConfigValue = number | boolean | string | null;

/** A producer's acks, normalised (-1 is 'all'). */
export type Acks = '0' | '1' | 'all';

/** Java's Integer.MAX_VALUE. */
export const JAVA_INT_MAX = 2147483647;
/** Java's Long.MAX_VALUE as ksim stores it (no int64 in a JS number; see the `long` type). */
export const JAVA_LONG_MAX = Number.MAX_SAFE_INTEGER;

interface EntryBase<S extends ConfigScope> {
  key: string;
  scope: S;
  /** The name a topic-level override uses when it differs from the broker key. */
  topicKey?: string;
  /** Inclusive bounds for numeric types (Kafka's own). */
  min?: number;
  max?: number;
  /**
   * A lower bound ksim needs above Kafka's `min`, and why: a value Kafka accepts but the simulation
   * cannot run (it would never leave one instant of virtual time). Refused like an out-of-range value.
   */
  simMin?: { value: number; why: string };
  /** Unit of a numeric value, for docs ("ms", "bytes", "records"...). */
  unit?: string;
  /** The accepted values of an `enum`. */
  values?: readonly string[];
  doc: string;
}

/**
 * The value type and the defaults that go with it:
 * - `int`: a Java int; `long`: a Java long, where Long.MAX_VALUE is stored as
 *   Number.MAX_SAFE_INTEGER (every value ksim compares it with is far smaller).
 * - `nullable-long`: a long that Kafka leaves unset (null) by default.
 * - `double`: a Java double (min.cleanable.dirty.ratio).
 * - `acks`: 0, 1, -1 or "all", normalised to '0' | '1' | 'all'.
 * - `enum`: one of `values` (case-insensitive, normalised to lower case).
 * - `nullable-string`: a non-empty string or null (unset).
 * `default` is Apache Kafka's default, already normalised; `mskDefault` is Amazon MSK's default
 * configuration where it differs (the table in seeds/003_*.txt, "Default Configuration Values").
 */
type TypedDefaults =
  | { type: 'int' | 'long' | 'double'; default: number; mskDefault?: number }
  | { type: 'nullable-long'; default: number | null; mskDefault?: number | null }
  | { type: 'boolean'; default: boolean; mskDefault?: boolean }
  | { type: 'acks'; default: Acks; mskDefault?: Acks }
  | { type: 'enum'; values: readonly string[]; default: string; mskDefault?: string }
  | { type: 'nullable-string'; default: string | null; mskDefault?: string | null };

export type ConfigEntry<S extends ConfigScope = ConfigScope> = EntryBase<S> & TypedDefaults;

/** The value type of one entry: an enum's own values, numbers, booleans, nullable where unset. */
type ConfigValueOf<E extends ConfigEntry> = E extends { type: 'int' | 'long' | 'double' }
  ? number
  : E extends { type: 'nullable-long' }
    ? number | null
    : E extends { type: 'boolean' }
      ? boolean
      : E extends { type: 'acks' }
        ? Acks
        : E extends { type: 'enum'; values: readonly (infer V)[] }
          ? V
          : E extends { type: 'nullable-string' }
            ? string | null
            : never;

/** The config object of some entries: one property per key, of the entry's value type. */
export type ConfigShape<Entries extends readonly ConfigEntry[]> = {
  -readonly [E in Entries[number] as E['key']]: ConfigValueOf<E>;
};

/** Apache Kafka's defaults of some entries, as their config object. */
export function defaultsOf<const Entries extends readonly ConfigEntry[]>(entries: Entries): ConfigShape<Entries> {
  return Object.fromEntries(entries.map((e) => [e.key, e.default])) as ConfigShape<Entries>;
}
