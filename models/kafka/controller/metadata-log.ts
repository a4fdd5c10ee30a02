// The committed metadata's publication state, shared by every controller node as the replicated
// metadata log is: the version (offset of the last published change), whether committed changes
// wait to be published, and the last published image. Changes commit instantly (no Raft commit
// latency) and are published as a whole new image.

import type { MetadataImage, PartitionMeta } from './metadata-image.ts';

export class MetadataLog {
  version = 0;
  /** Committed changes not yet published. */
  dirty = false;
  image: MetadataImage | null = null;

  /** Publishes the committed state as a new image (the caller pushes it to brokers). */
  publish(partitions: readonly PartitionMeta[], fenced: readonly boolean[], shuttingDown: readonly boolean[], incarnations: readonly number[]): MetadataImage {
    this.dirty = false;
    this.version++;
    this.image = {
      version: this.version,
      partitions: partitions.slice(),
      fenced: fenced.slice(),
      shuttingDown: shuttingDown.slice(),
      incarnations: incarnations.slice(),
    };
    return this.image;
  }
}
