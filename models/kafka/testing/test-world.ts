// A KafkaWorld for unit tests of one Kafka class, built from the same small DSL as the whole-
// cluster tests (kafka-test-cluster.ts), without running anything.

import { Topology } from '../../../src/net/topology.ts';
import { ClusterLayout } from '../cluster-layout.ts';
import { KafkaWorld } from '../kafka-world.ts';
import { buildScenario, scenarioNodes, type TestCluster } from './kafka-test-cluster.ts';

export function testWorld(t: TestCluster): KafkaWorld {
  const scenario = buildScenario(t);
  const layout = new ClusterLayout(scenario, new Topology(scenarioNodes(scenario)));
  return new KafkaWorld(scenario, layout, t.durationMs * 1000);
}
