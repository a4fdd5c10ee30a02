// Kafka's coarser-unit forms of time configs (log.retention.hours, log.retention.minutes,
// log.roll.hours): Kafka reads the .ms key first, then .minutes, then .hours
// (KafkaConfig.logRetentionTimeMillis, LogConfig's segment.ms from log.roll.ms / log.roll.hours).
// ksim takes the .ms key alone, so a scenario states one value in one unit; a coarse key gets an
// error that says which key to write and the value converted.

/** The coarse key -> the .ms key ksim takes and the milliseconds in one of the coarse unit. */
const COARSE_TIME_KEYS: ReadonlyMap<string, { msKey: string; unitMs: number; unit: string }> = new Map([
  ['log.retention.hours', { msKey: 'log.retention.ms', unitMs: 3_600_000, unit: 'hours' }],
  ['log.retention.minutes', { msKey: 'log.retention.ms', unitMs: 60_000, unit: 'minutes' }],
  ['log.roll.hours', { msKey: 'log.roll.ms', unitMs: 3_600_000, unit: 'hours' }],
]);

/**
 * Why a coarse time key is refused and what to write instead, e.g. `"log.retention.hours" is
 * Kafka's hours form of log.retention.ms; ksim takes the .ms key only: write log.retention.ms=18000000`;
 * undefined for any other key. A negative retention is unlimited in Kafka, as -1 ms. `writeAs`
 * names the .ms key where it is written (a topic's own `topics.orders.retention.ms`).
 */
export function coarseTimeKeyMessage(key: string, value: unknown, writeAs: (msKey: string) => string = (k) => k): string | undefined {
  const coarse = COARSE_TIME_KEYS.get(key);
  if (!coarse) return undefined;
  const number = typeof value === 'string' && value.trim() !== '' ? Number(value) : value;
  const ms = typeof number === 'number' && Number.isInteger(number) ? (number < 0 ? -1 : number * coarse.unitMs) : undefined;
  const msKey = writeAs(coarse.msKey);
  const write = ms === undefined ? `${msKey} (${coarse.unit} x ${coarse.unitMs})` : `${msKey}=${ms}`;
  return `"${key}" is Kafka's ${coarse.unit} form of ${coarse.msKey}; ksim takes the .ms key only (in Kafka it wins over the coarser ones): write ${write}`;
}
