// The shapes of a ZooKeeper-mode broker bounce the controller missed (KIP-380's motivation), read
// from a run's history: a broker that lost records was elected within its old session and led
// from that election, stayed in the ISR and was elected, or was taken back in before its old
// session could expire. loss-causes.ts names them as the missed bounce on a lost record's chain.

import type { KafkaHistory } from '../analysis/kafka-history.ts';
import type { KafkaRunAnalysis } from '../analysis/kafka-run-analysis.ts';
import { countUntil } from '../analysis/time-ordered.ts';

/**
 * A ZooKeeper-mode broker that lost records at lostUs, elected within zookeeper.session.timeout.ms
 * of it (the controller still counted its old session live) and leading from that election, with
 * no election between: its new process could not register before the old session expired (its
 * znode still there), and did so unnoticed as it expired, so the LeaderAndIsr the controller had
 * queued for it made it lead with what its disk kept (cluster-control-manager.ts,
 * broker/zk-broker-registration.ts). A controller with KIP-380 handles that bounce as a failure
 * at the expiry (KafkaController.BrokerChange, bouncedBrokerIds) and elects another replica
 * first, so the broker never leads from that election.
 */
export function electedWithinOldSession(analysis: KafkaRunAnalysis, nodeName: (node: number) => string, partition: string, node: number, lostUs: number): { ledUs: number; electedUs: number; expiryUs: number } | null {
  if (analysis.scenario.metadataMode === 'kraft') return null;
  const expiryUs = lostUs + analysis.scenario.brokerConfig['zookeeper.session.timeout.ms'] * 1000;
  const led = analysis.history.leaderships(partition).find((l) => l.node === node && l.timeUs > lostUs);
  if (!led) return null;
  const broker = nodeName(node);
  const elections = analysis.history.elections(partition);
  const e = elections[countUntil(elections, led.timeUs) - 1];
  if (!e || e.timeUs <= lostUs || e.timeUs > expiryUs || e.event.leader !== broker) return null;
  return { ledUs: led.timeUs, electedUs: e.timeUs, expiryUs };
}

/**
 * A broker out of the ISR when it lost records at lostUs, taken back in before its old ZooKeeper
 * session could have expired, and in it from the earliest that session could expire until it was
 * elected: the times; null otherwise. The session expires zookeeper.session.timeout.ms after the
 * broker was last heard, which is less than a ping interval (a third of the timeout,
 * broker/broker-lifecycle-manager.ts) before lostUs; a controller with KIP-380 handles the bounce
 * then (the new process registers as the old znode goes), so the fix would have taken it out.
 */
export function rejoinedBeforeBounceHandled(analysis: KafkaRunAnalysis, partition: string, broker: string, lostUs: number): { rejoinUs: number; expiryUs: number; electedUs: number } | null {
  const history = analysis.history;
  if (analysis.scenario.metadataMode === 'kraft' || history.isrAt(partition, lostUs).includes(broker)) return null;
  const sessionUs = analysis.scenario.brokerConfig['zookeeper.session.timeout.ms'] * 1000;
  const changes = history.isrChanges(partition);
  const rejoin = changes.find((c) => c.timeUs > lostUs && c.isr.includes(broker));
  if (!rejoin || rejoin.timeUs > lostUs + sessionUs) return null;
  const expiryUs = Math.max(rejoin.timeUs, lostUs + Math.ceil((2 * sessionUs) / 3));
  const e = history.elections(partition).find((x) => x.timeUs >= expiryUs && x.event.leader === broker);
  if (!e || changes.some((c) => c.timeUs > rejoin.timeUs && c.timeUs < e.timeUs && !c.isr.includes(broker))) return null;
  return { rejoinUs: rejoin.timeUs, expiryUs, electedUs: e.timeUs };
}

/** When `broker`, in the ISR at lostUs, was elected leader without having left the ISR since; null otherwise. */
export function electedWithoutLeavingIsr(history: KafkaHistory, partition: string, broker: string, lostUs: number): number | null {
  if (!history.isrAt(partition, lostUs).includes(broker)) return null;
  const e = history.elections(partition).find((x) => x.timeUs > lostUs && x.event.leader === broker);
  if (!e) return null;
  const left = history.isrChanges(partition).some((c) => c.timeUs > lostUs && c.timeUs < e.timeUs && !c.isr.includes(broker));
  return left ? null : e.timeUs;
}
