// What the checkers need to know about the configuration of a partition or a producer, looked up
// from the resolved scenario (and, for producers the scenario does not list, from the model's final
// state). Kept in one place so every checker classifies against the same figures.

import type { KafkaFinalState } from '../kafka-events.ts';
import type { KafkaScenario } from '../scenario/kafka-scenario.ts';
import type { Acks } from '../config/config-entry.ts';
import type { TopicConfig } from '../config/topic-configs.ts';
import { topicDefaultsOf } from '../config/topic-configs.ts';
import { parsePartitionName } from './partition-name.ts';

interface ProducerGuarantees {
  acks: Acks;
  idempotent: boolean;
  retries: number;
  maxInFlight: number;
}

export class ScenarioLookup {
  private readonly producers = new Map<string, ProducerGuarantees>();
  private readonly topics = new Map<string, TopicConfig>();

  constructor(readonly scenario: KafkaScenario) {
    for (const t of scenario.topics) this.topics.set(t.name, t.config);
    for (const p of scenario.producers) {
      this.producers.set(p.name, {
        acks: p.config.acks,
        idempotent: p.config['enable.idempotence'],
        retries: p.config.retries,
        maxInFlight: p.config['max.in.flight.requests.per.connection'],
      });
    }
  }

  /** Producers the scenario does not name (none, today) are taken from the model's final state. */
  learnFromFinal(final: KafkaFinalState | undefined): void {
    if (!final) return;
    for (const [name, p] of Object.entries(final.producers)) {
      if (this.producers.has(name)) continue;
      const acks: Acks = p.acks === '0' || p.acks === '1' ? p.acks : 'all';
      this.producers.set(name, { acks, idempotent: p.idempotent, retries: p.retries, maxInFlight: p.maxInFlight });
    }
  }

  producer(name: string): ProducerGuarantees | undefined {
    return this.producers.get(name);
  }

  topicConfig(partition: string): TopicConfig {
    const config = this.topics.get(parsePartitionName(partition).topic);
    if (config) return config;
    return topicDefaultsOf(this.scenario.brokerConfig);
  }

  /** Every partition the scenario creates, in report order. */
  partitions(): string[] {
    const out: string[] = [];
    const topics = [...this.scenario.topics].sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
    for (const t of topics) for (let i = 0; i < t.partitions; i++) out.push(`${t.name}-${i}`);
    return out;
  }
}
