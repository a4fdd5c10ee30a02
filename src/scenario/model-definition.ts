// How a model plugs into ksim: its scenario keys (a zod shape merged into the scenario format),
// how `--set key=value` maps onto them, which nodes it runs, how to build it and its checkers, and
// how to summarise a run for people.

import type { z } from 'zod';
import type { Checker } from '../check/checker.ts';
import type { NodeSpec, Topology } from '../net/topology.ts';
import type { ChoiceSource } from '../sim/choice.ts';
import type { Model, Tagged } from '../sim/model.ts';
import type { TimeUs } from '../sim/time.ts';
import type { ModelExploration } from './model-exploration.ts';
import type { ModelSweep } from './model-sweep.ts';
import type { ModelTimeline } from './model-timeline.ts';
import type { RunReport } from './run-report.ts';
import type { VerdictClass } from './verdict.ts';

/** Everything a model factory gets: where its nodes are and where its randomness comes from. */
export interface ModelSetup<Config> {
  topology: Topology;
  choices: ChoiceSource;
  config: Config;
  durationUs: TimeUs;
  /**
   * The run is judged and never shown (ksim check's generated runs, RunOptions.judgeOnly): its
   * checkers may skip what only people read (a run summary), never what a verdict, the notJudged
   * list or the exploration's coverage reads.
   */
  judgeOnly?: boolean;
}

/** A deliberate bug of the model, and how `ksim check` catches it (for `ksim bench`). */
export interface BugZooCase {
  bug: string;
  /** The property that must catch it. */
  property: string;
  /** Generated runs until the first failure should not exceed this (fast-check seed 1). */
  runsMax: number;
  /** Faults the shrunk counterexample may keep. */
  faultsMax: number;
  /** The scenario and settings that switch the bug on and expose it. */
  raw: Record<string, unknown>;
  settings: string[];
}

/** One side of a known-bug hunt: what it pins (a version, a setting) and how it reads. */
export interface HuntSide {
  /** "Kafka 0.10", "acks=1". */
  label: string;
  /** --set pairs this side adds to the hunt's own. */
  settings: string[];
}

/**
 * A known flaw of the modelled system (a bug of a past version, or a loss a setting or the fault
 * load permits) that `ksim check` should find unaided, for `ksim bench`: from a fault-free scenario
 * with only the side that has the flaw pinned; the side without it must pass the same budget.
 */
export interface KnownBugHunt {
  /** "KIP-101", "KIP-279 (KAFKA-6361)", "acks=1 loss". */
  bug: string;
  /** What a counterexample's violation reasons name when they blame this flaw ("KIP-101"); undefined: any. */
  names?: string;
  /** The fault-free base scenario; its own faults, if any, are replaced by generated ones. */
  raw: Record<string, unknown>;
  /** Its name as `ksim check --scenario` takes it (a preset), for the command a bench row stands for. */
  scenario: string;
  /** --set pairs both sides share: the weak setting the flaw needs, the preset a version needs. */
  settings: string[];
  /** The properties that must catch it (--property). */
  properties: string[];
  /** What fails a run (--fail-on): the flaw's class, or the flaw's own name among versionFlaws. */
  failOn: string[];
  /** The side with the flaw (the last version that had it) and the side without (the first fixed one). */
  flawed: HuntSide;
  fixed: HuntSide;
}

interface ModelInstance {
  model: Model<Tagged, Tagged>;
  checkers: Checker[];
}

/** What a run of a scenario is projected to need in memory, before it starts. */
export interface MemoryProjection {
  bytes: number;
  /** What the figure is made of, for the error that refuses a run: "1,200,000 records x ~700 bytes...". */
  detail: string;
  /** What to lower to fit: "durationMs, ratePerSec or replication.factor". */
  fix: string;
}

/** One `--set key=value`, its value parsed. */
export interface Setting {
  key: string;
  value: unknown;
  /** The value as typed, before JSON parsing. */
  text?: string;
}

/** Where a config value came from: 'default', 'preset msk', 'version 2.8', 'scenario producers[0].config', '--set acks'. */
export interface ConfigSource {
  value: unknown;
  source: string;
}

/** Scope ("brokers", "producers.p1", "topics.orders") -> key -> its value and source. */
export type ConfigSources = Record<string, Record<string, ConfigSource>>;

export interface ModelDefinition<Config = any> {
  name: string;
  summary: string;
  /** The model's scenario keys. Everything it returns after parsing is passed on as Config. */
  shape: Record<string, z.ZodType>;
  /**
   * Applies `--set key=value` for a key the envelope does not own (the model's config names, say) to
   * the raw scenario object. Returns false when the key is unknown to the model.
   */
  applySetting?(raw: Record<string, unknown>, key: string, value: unknown): boolean;
  /**
   * Applies a `--set` that addresses one named thing below a scenario field (`producers.p1.acks`,
   * `cluster.broker.rack`), before the key is taken as a plain dotted path. Returns false when the
   * key is not such an address.
   */
  applyAddressedSetting?(raw: Record<string, unknown>, key: string, value: unknown): boolean;
  /**
   * Where each effective config value of a resolved scenario came from (default, preset, version,
   * scenario field, --set), per scope and key, for --json and trace headers.
   */
  configSources?(config: Config, settings: readonly Setting[]): ConfigSources;
  /** Keys applySetting understands, for error messages and --help. */
  settingKeys?: readonly string[];
  /**
   * Top-level fields whose `--set` value is kept as typed, never parsed as JSON: a version such as
   * 2.10 would otherwise become the number 2.1.
   */
  textSettings?: readonly string[];
  /**
   * Fills in, in place, a default that depends on other fields (the Kafka model's metadata mode
   * follows its kafkaVersion), right after parsing, so the resolved scenario states it; throws a
   * UserError naming the field for a combination that cannot be. Returns what it chose on the
   * user's behalf that they may not expect (one line each, for the run's header), or nothing.
   */
  complete?(config: Config): readonly string[] | void;
  /** Cross-field checks after parsing; throw UserError naming the field. */
  validate?(config: Config, nodeNames: readonly string[]): void;
  nodes(config: Config): NodeSpec[];
  /**
   * The role references a fault of this scenario may name instead of a node ("@leader:orders-0",
   * src/faults/fault-roles.ts); the model resolves them when the fault fires (Model.nodesInRole).
   */
  faultRoles?(config: Config): string[];
  /**
   * The memory a run of this (parsed, validated) scenario will need at its peak, from its sizes:
   * records, partitions, members... `runMs` is how long it runs (durationMs, or limits.virtualMsMax
   * when it has none). A run projected above `limits.memoryMb` is refused before it starts.
   */
  projectMemory?(config: Config, runMs: number): MemoryProjection;
  create(setup: ModelSetup<Config>): ModelInstance;
  /** How `ksim check` explores this model: configs to sample, faults to inject, coverage. */
  exploration?: ModelExploration;
  /** Lines for the human summary of a run. */
  describe?(report: RunReport): string[];
  /** What `ksim sweep` keeps of a run, tabulates per cell and charts; the model's studies. */
  sweep?: ModelSweep<any>;
  /** How its events draw on `ksim timeline`, and what its violations name there. */
  timeline?: ModelTimeline;
  /** Its deliberate bugs, for `ksim bench` to time how fast `ksim check` finds each. */
  bugZoo?: readonly BugZooCase[];
  /** Known flaws of the system it models, for `ksim bench` to time how fast `ksim check` finds each unaided. */
  knownBugs?: readonly KnownBugHunt[];
  /**
   * The flaws its version findings may blame ("KIP-380"), each named in a finding's `flaws`: the
   * names `--fail-on` accepts besides the classes, to fail runs on one known flaw only.
   */
  versionFlaws?: readonly string[];
  /**
   * Of versionFlaws, those a scenario's simulated version has (its fix came later), how the
   * version reads ("Kafka 4.1"), and how to simulate a release that has a flaw ("a release before
   * 0.11, which fixed it (--set kafkaVersion=0.10)"): `--fail-on` refuses a flaw the version cannot
   * show, naming a version that can. A flaw that a later change brought, not one a fix removed,
   * is absent for that reason (`absentBecause`: "it came with KIP-360 (Kafka 2.5)").
   */
  versionFlawsOf?(scenario: unknown): VersionFlaws;
}

/** The flaws a scenario's simulated version has (ModelDefinition.versionFlawsOf). */
export interface VersionFlaws {
  simulated: string;
  flaws: readonly string[];
  olderThanFix(flaw: string): string | undefined;
  absentBecause?(flaw: string): string | undefined;
}
