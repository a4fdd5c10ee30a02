// The consumer's application thread as its collaborators (coordinator, fetchers, metadata) see it:
// they wake it when something it may be waiting for happened, and ask it to retry after
// retry.backoff.ms. KafkaConsumer implements it.

import type { NodeContext } from '../../../src/sim/model.ts';
import type { KafkaMessage } from '../messages.ts';
import type { KafkaTimer } from '../timers.ts';

type Ctx = NodeContext<KafkaMessage, KafkaTimer>;

export interface ApplicationThread {
  /** The consumer process is up and past its start time. */
  readonly started: boolean;
  /** The application is inside poll(), waiting for records (not processing, not in commitSync). */
  readonly inPoll: boolean;
  /** Something the application may be waiting for happened: re-run what it was doing. */
  kick(ctx: Ctx): void;
  /** Kick the application after retry.backoff.ms (at most one retry pending). */
  retryLater(ctx: Ctx): void;
  /** The blocking commitSync it started finished (committed, failed or timed out). */
  onCommitSyncDone(ctx: Ctx): void;
}
