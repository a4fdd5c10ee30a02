// KIP-903's stale ISR expansion as a step of a lost record's causal chain (loss-causes.ts): a
// replica that lost the record to power or disk loss while out of the ISR, was taken back into it
// without the record, then elected. KIP-903 closes it with broker epochs in Fetch and
// AlterPartition, in KRaft from 3.5 only. ZooKeeper mode never got the fix (KIP-903: "This
// potential data loss case exists in both ZK mode and Kraft mode ... this proposal just fixes it in
// Kraft mode"), so there it is a known flaw of every version, permitted by it as on KRaft 3.3-3.4;
// a breach on KRaft with the fix.

import { formatTimeUs } from '../../../src/sim/time.ts';
import type { RecordHistory } from '../analysis/kafka-history.ts';
import type { KafkaRunAnalysis } from '../analysis/kafka-run-analysis.ts';
import type { VersionTimeline } from '../analysis/version-timeline.ts';
import { describeFixKraftOnly, describeMissingFix } from '../version/protocol-features.ts';

/**
 * What the cluster ran where KIP-903's check lives, for an expansion committed at rejoinUs that took
 * back `broker`, which lost its log at lostUs out of the ISR. The fetch that showed it caught up came
 * from its process before the loss, after it left the ISR (Fetch v15 carries its broker epoch from
 * metadata.version 3.5-IV1; before, the leader sends -1), and the controller judged the
 * AlterPartition at the rejoin (v3 carries the epochs; a v2 request, or an epoch of -1, is not
 * checked: ReplicationControlManager.ineligibleReplicasForIsr). Any moment from its ISR exit to the
 * rejoin without the fix lets the stale expansion through: the rejoin's if it lacked it, else the
 * exit's if that did, else the rejoin's. Not the election's: a metadata.version raised after the
 * rejoin changes nothing that happened.
 */
export function staleExpansionVersions(
  versions: VersionTimeline,
  isrChanges: readonly { timeUs: number; isr: readonly string[] }[],
  broker: string,
  lostUs: number,
  rejoinUs: number,
): ReturnType<VersionTimeline['at']> {
  const atRejoin = versions.at(rejoinUs);
  if (atRejoin.lacks('alterPartitionCarriesBrokerEpochs')) return atRejoin;
  let exitUs = lostUs;
  for (let i = 1; i < isrChanges.length && isrChanges[i].timeUs <= lostUs; i++) {
    if (isrChanges[i - 1].isr.includes(broker) && !isrChanges[i].isr.includes(broker)) exitUs = isrChanges[i].timeUs;
  }
  const atExit = versions.at(exitUs);
  return atExit.lacks('alterPartitionCarriesBrokerEpochs') ? atExit : atRejoin;
}

/**
 * The stale expansion on r's chain: when it started (the expansion), what happened, and whether the
 * version permits it; null when that is not what happened.
 */
export function staleIsrRejoin(analysis: KafkaRunAnalysis, nodeName: (node: number) => string, r: RecordHistory): { atUs: number; text: string; byVersion: boolean } | null {
  const history = analysis.history;
  for (const i of r.removals ?? []) {
    const removal = history.removals[i];
    if (removal.event.type !== 'log-lost') continue;
    const broker = nodeName(removal.node);
    if (history.isrAt(r.partition, removal.timeUs).includes(broker)) continue;
    const e = history.elections(r.partition).find((x) => x.timeUs >= removal.timeUs && x.event.leader === broker && x.event.isr.includes(broker));
    if (!e) continue;
    const rejoin = history.isrChanges(r.partition).find((c) => c.timeUs > removal.timeUs && c.isr.includes(broker));
    const then = staleExpansionVersions(analysis.versions, history.isrChanges(r.partition), broker, removal.timeUs, rejoin?.timeUs ?? e.timeUs);
    const zooKeeper = analysis.scenario.metadataMode !== 'kraft';
    const byVersion = zooKeeper || then.lacks('alterPartitionCarriesBrokerEpochs');
    const label = analysis.versions.changes.length > 0 ? `${then.label('alterPartitionCarriesBrokerEpochs')}: ` : '';
    const fix = zooKeeper ? `: ${describeFixKraftOnly('alterPartitionCarriesBrokerEpochs')}` : byVersion ? `: ${label}${describeMissingFix('alterPartitionCarriesBrokerEpochs')}` : '';
    const text = `${broker} lost it to ${removal.event.cause} out of the ISR at ${formatTimeUs(removal.timeUs)}, was taken back into the ISR without it and elected at ${formatTimeUs(e.timeUs)}${fix}`;
    return { atUs: rejoin?.timeUs ?? e.timeUs, text, byVersion };
  }
  return null;
}
