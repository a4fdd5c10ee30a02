// The OS page cache of one broker's log disk and the kernel flusher that writes it back (Linux's
// per-device bdi_writeback, fs/fs-writeback.c). Kafka writes its logs through the page cache and,
// with log.flush.interval.* at their defaults, never fsyncs them: what survives a power loss is
// what the flusher wrote back (or a roll or flush policy fsynced; storage/partition-log.ts).
//
// Linux's rule, which this class follows:
// - An inode's dirtied_when is stamped when it goes from clean to dirty (__mark_inode_dirty);
//   writing more to a file that is already dirty does not move it.
// - The flusher wakes every dirty_writeback_interval (vm.dirty_writeback_centisecs, default 500 =
//   5 s) while the device has dirty inodes (wb_workfn re-arms with wb_wakeup_delayed); once it
//   finds the device clean it sleeps, and the next inode dirtied on it arms it again, one interval
//   later (wb_wakeup_delayed from __mark_inode_dirty). A value of 0 disables periodic writeback.
// - Each wake-up is a kupdate pass (wb_check_old_data_flush): the inodes whose dirtied_when is at
//   least dirty_expire_interval old (vm.dirty_expire_centisecs, default 3000 = 30 s;
//   move_expired_inodes) are written back whole, every dirty page of the file including the ones
//   dirtied a moment ago (nr_pages is all dirty pages of the system), and leave the dirty list.
//   So a file written continuously, like a partition's active segment, is written back whole
//   every expire interval plus up to one wake-up interval, and a power loss takes between 0 and
//   dirtyExpireMs + dirtyWritebackMs of its latest writes.
//
// The state is computed lazily: nothing is scheduled; before a log on this disk changes (an
// append) and at a power loss, catchUp(now) runs the passes that fell due since the last call, in
// order. That is exact because between two calls no log changed, so each pass sees the logs as
// they were at its time (a truncation in between needs no catch-up: writing back then truncating
// leaves the same flushed offset as truncating then writing back).
//
// Simplifications: background writeback above vm.dirty_background_ratio (10% of memory,
// gigabytes on a broker, while ksim's producers leave tens of megabytes dirty at most) is not
// modelled, which can only overstate loss. A pass writes instantly, and what it wrote is durable
// at once: the disk's write time (milliseconds for these volumes on EBS) and the filesystem
// journal that makes a grown file's new size durable (ext4 commits every 5 s, XFS on log forces)
// are not modelled, so a power loss within that time after a pass loses a little less here.

import { keepAsDoubles } from '../../../src/sim/double-fields.ts';

/** A file on the disk, as the flusher sees it (one partition's active segment: PartitionLog). */
export interface DirtyInode {
  /** Linux's dirtied_when: when the file went from clean to dirty; -1 while it is clean. */
  readonly dirtiedAtUs: number;
  /** The flusher's kupdate pass: writes the whole file back if it was dirtied at or before this time. */
  writeBackIfDirtiedBy(dirtiedBeforeUs: number): void;
}

/** The kernel's writeback settings, in microseconds. */
interface WritebackSettingsUs {
  /** vm.dirty_expire_centisecs × 10 000. */
  dirtyExpireUs: number;
  /** vm.dirty_writeback_centisecs × 10 000; 0 disables periodic writeback. */
  dirtyWritebackUs: number;
}

export class PageCache {
  private readonly inodes: DirtyInode[] = [];
  /** When the flusher wakes next; -1 while it sleeps (no dirty inode, or writeback disabled). */
  private nextPassUs = -1;

  constructor(private readonly settings: WritebackSettingsUs) {
    if (!(settings.dirtyExpireUs >= 0) || !(settings.dirtyWritebackUs >= 0))
      throw new Error(`page cache settings must be >= 0: expire ${settings.dirtyExpireUs} us, writeback ${settings.dirtyWritebackUs} us`);
    keepAsDoubles(this, ['nextPassUs']);
  }

  /** The next flusher pass, or -1 while the flusher sleeps (for tests and assertions). */
  get nextWritebackUs(): number {
    return this.nextPassUs;
  }

  register(inode: DirtyInode): void {
    this.inodes.push(inode);
  }

  /** An inode went from clean to dirty at nowUs: a sleeping flusher is armed one interval later. */
  inodeDirtied(nowUs: number): void {
    if (this.nextPassUs < 0 && this.settings.dirtyWritebackUs > 0) this.nextPassUs = nowUs + this.settings.dirtyWritebackUs;
  }

  /** Runs every flusher pass due at or before nowUs, in time order. */
  catchUp(nowUs: number): void {
    while (this.nextPassUs >= 0 && this.nextPassUs <= nowUs) this.pass(this.nextPassUs);
  }

  /** Power loss: the cache is gone (the inodes drop their dirty state themselves) and the flusher with it. */
  lose(): void {
    this.nextPassUs = -1;
  }

  /**
   * One kupdate pass at atUs. Passes that cannot find an expired inode write nothing, so the next
   * one computed is the first that can (the flusher keeps waking meanwhile, to no effect).
   */
  private pass(atUs: number): void {
    const { dirtyExpireUs, dirtyWritebackUs } = this.settings;
    let oldestUs = -1;
    for (let i = 0; i < this.inodes.length; i++) {
      const inode = this.inodes[i];
      inode.writeBackIfDirtiedBy(atUs - dirtyExpireUs);
      const dirtied = inode.dirtiedAtUs;
      if (dirtied >= 0 && (oldestUs < 0 || dirtied < oldestUs)) oldestUs = dirtied;
    }
    if (oldestUs < 0) {
      this.nextPassUs = -1;
      return;
    }
    const wakeUps = Math.max(1, Math.ceil((oldestUs + dirtyExpireUs - atUs) / dirtyWritebackUs));
    this.nextPassUs = atUs + wakeUps * dirtyWritebackUs;
  }
}
