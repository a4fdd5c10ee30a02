// Virtual time. The simulator counts integer microseconds (µs) so that same-AZ network latencies
// (a few hundred µs) are representable; model configs stay in milliseconds and convert here.

/** Virtual microseconds since the start of the run. Always an integer. */
export type TimeUs = number;

export const US_PER_MS = 1000;

export function msToUs(ms: number): TimeUs {
  return Math.round(ms * US_PER_MS);
}

/** Human form of a virtual time, e.g. `12.345s`. */
export function formatTimeUs(us: TimeUs): string {
  return `${(us / 1_000_000).toFixed(6).replace(/0{1,3}$/, '')}s`;
}
