// The committed metadata's publication state, shared by every controller node as the replicated
// metadata log is: the version (offset of the last published change), whether committed changes
// wait to be published, and the last published image. Changes commit instantly (no Raft commit
// latency) and are published as a whole new image.
//
// Each image is produced from the previous one with immer: unchanged partitions and per-broker
// arrays are the previous image's objects (brokers holding several versions share them), and
// every image is deeply frozen, so no broker can change an image another broker also holds.

import { castDraft, freeze, produce } from 'immer';
import type { MetadataImage, PartitionMeta } from './metadata-image.ts';
import type { KafkaVersion } from '../version/kafka-versions.ts';

export class MetadataLog {
  version = 0;
  /** Committed changes not yet published. */
  dirty = false;
  image: MetadataImage | null = null;

  /** Publishes the committed state as a new image (the caller pushes it to brokers). */
  publish(
    partitions: readonly PartitionMeta[],
    fenced: readonly boolean[],
    shuttingDown: readonly boolean[],
    incarnations: readonly number[],
    finalizedMetadataVersion?: KafkaVersion,
  ): MetadataImage {
    const finalized = finalizedMetadataVersion === undefined ? {} : { finalizedMetadataVersion };
    this.dirty = false;
    this.version++;
    const version = this.version;
    const prev = this.image;
    if (prev === null || prev.partitions.length !== partitions.length) {
      this.image = freeze(
        { version, partitions: partitions.slice(), fenced: fenced.slice(), shuttingDown: shuttingDown.slice(), incarnations: incarnations.slice(), ...finalized },
        true,
      );
      return this.image;
    }
    this.image = produce(prev, (draft) => {
      draft.version = version;
      if (finalizedMetadataVersion !== undefined) draft.finalizedMetadataVersion = finalizedMetadataVersion;
      for (let p = 0; p < partitions.length; p++) if (prev.partitions[p] !== partitions[p]) draft.partitions[p] = castDraft(partitions[p]);
      for (let b = 0; b < fenced.length; b++) {
        if (prev.fenced[b] !== fenced[b]) draft.fenced[b] = fenced[b];
        if (prev.shuttingDown[b] !== shuttingDown[b]) draft.shuttingDown[b] = shuttingDown[b];
        if (prev.incarnations[b] !== incarnations[b]) draft.incarnations[b] = incarnations[b];
      }
    });
    return this.image;
  }
}
