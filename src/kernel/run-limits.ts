// The limits that stop a run that would not end on its own: events dispatched, virtual time passed,
// and events at one virtual instant (a loop that takes no virtual time). Each stop is a
// RunLimitError naming the limit and what to change.

import { RunLimitError } from '../sim/run-limit-error.ts';
import { formatTimeUs, msToUs, type TimeUs } from '../sim/time.ts';

export interface RunLimits {
  /** Dispatched events allowed before the run is stopped as a runaway. */
  eventsMax: number;
  /** Virtual time allowed; a run without a duration must go quiet before it. */
  virtualMsMax: number;
}

export const DEFAULT_LIMITS: RunLimits = { eventsMax: 50_000_000, virtualMsMax: 24 * 3600 * 1000 };

/**
 * Events dispatched at one virtual microsecond, one after another, before the run is stopped as
 * stuck: a timer or a message loop that takes no virtual time (a zero interval or timeout in the
 * scenario) would otherwise spin until eventsMax, minutes of wall time later.
 */
const EVENTS_AT_ONE_INSTANT_MAX = 1_000_000;

/** Checks one run's dispatch loop against its limits. */
export class RunLimitGuard {
  private readonly virtualUsMax: TimeUs;
  private lastUs: TimeUs = -1;
  private eventsAtInstant = 0;

  constructor(private readonly limits: RunLimits) {
    this.virtualUsMax = msToUs(limits.virtualMsMax);
  }

  /**
   * Before dispatching the event at `nextUs`, the `dispatched`-th of the run (now at `nowUs`).
   * @throws RunLimitError when a limit is passed.
   */
  check(nextUs: TimeUs, nowUs: TimeUs, dispatched: number): void {
    if (nextUs > this.virtualUsMax)
      throw new RunLimitError(
        'virtualMsMax',
        `run stopped: virtual time passed limits.virtualMsMax=${this.limits.virtualMsMax} with events still queued; ` +
          `set durationMs or raise limits.virtualMsMax`,
      );
    if (dispatched >= this.limits.eventsMax)
      throw new RunLimitError(
        'eventsMax',
        `run stopped: limits.eventsMax=${this.limits.eventsMax} events reached at t=${formatTimeUs(nowUs)}; ` +
          `raise limits.eventsMax or shorten durationMs`,
      );
    if (nextUs !== this.lastUs) {
      this.lastUs = nextUs;
      this.eventsAtInstant = 0;
    } else if (++this.eventsAtInstant > EVENTS_AT_ONE_INSTANT_MAX)
      throw new RunLimitError(
        'eventsAtOneInstant',
        `run stopped: ${EVENTS_AT_ONE_INSTANT_MAX} events at t=${formatTimeUs(nextUs)} without virtual time moving on; ` +
          `something in the scenario loops in no time (an interval, a timeout or a latency of zero?)`,
      );
  }
}
