// Normalises one config value as JSON or `--set` gives it (numbers, booleans, or strings such as
// "1", "all", "true") into the catalog's canonical form, or explains in one line why it is not
// valid: the key, the value and the accepted range.

import { didYouMean } from '../../../src/scenario/closest-name.ts';
import { JAVA_INT_MAX, JAVA_LONG_MAX, type ConfigEntry, type ConfigValue } from './config-entry.ts';

/** 2^63 - 1 as the nearest double; values up to it stand for Long.MAX_VALUE. */
const LONG_MAX_AS_DOUBLE = 9223372036854775807;

type NormalizedValue = { ok: true; value: ConfigValue } | { ok: false; message: string };

/** The value as the user wrote it: `"all"`, `2`, `[1]` (an array is not the number it holds). */
function shown(raw: unknown): string {
  const json = JSON.stringify(raw);
  if (json === undefined) return String(raw);
  return json.length > 60 ? `${json.slice(0, 57)}...` : json;
}

function toNumber(raw: unknown): number | undefined {
  if (typeof raw === 'number') return raw;
  if (typeof raw === 'string' && /^\s*-?\d+(\.\d+)?\s*$/.test(raw)) return Number(raw);
  return undefined;
}

function rangeText(entry: ConfigEntry): string {
  const max = entry.max === JAVA_LONG_MAX ? 'Long.MAX_VALUE' : entry.max === JAVA_INT_MAX ? '2147483647 (Integer.MAX_VALUE)' : String(entry.max);
  return `${entry.min} to ${max}`;
}

export function normalizeConfigValue(entry: ConfigEntry, raw: unknown): NormalizedValue {
  const fail = (expected: string, hint = ''): NormalizedValue => ({ ok: false, message: `${entry.key} must be ${expected}, got ${shown(raw)}${hint}` });
  switch (entry.type) {
    case 'boolean': {
      if (typeof raw === 'boolean') return { ok: true, value: raw };
      // Kafka parses booleans case-insensitively.
      if (typeof raw === 'string' && /^(true|false)$/i.test(raw.trim())) return { ok: true, value: raw.trim().toLowerCase() === 'true' };
      return fail('true or false');
    }
    case 'acks': {
      const text = typeof raw === 'number' || typeof raw === 'string' ? String(raw).trim().toLowerCase() : undefined;
      if (text === '0' || text === '1') return { ok: true, value: text };
      if (text === '-1' || text === 'all') return { ok: true, value: 'all' };
      return fail('0, 1, -1 or "all"', text === undefined ? '' : didYouMean(text, ['all']));
    }
    case 'enum': {
      const values = entry.values ?? [];
      const text = typeof raw === 'string' ? raw.trim().toLowerCase() : undefined;
      if (text !== undefined && values.includes(text)) return { ok: true, value: text };
      return fail(`one of ${values.map((v) => JSON.stringify(v)).join(', ')}`, text === undefined ? '' : didYouMean(text, values));
    }
    case 'nullable-string': {
      if (raw === null) return { ok: true, value: null };
      if (typeof raw === 'string' && raw.trim().length > 0) return { ok: true, value: raw.trim() };
      return fail('a non-empty string, or null (unset)');
    }
    case 'double': {
      const n = toNumber(raw);
      const expected = `a number from ${rangeText(entry)}`;
      if (n === undefined || (entry.min !== undefined && n < entry.min) || (entry.max !== undefined && n > entry.max)) return fail(expected);
      return { ok: true, value: n };
    }
    case 'int':
    case 'long':
    case 'nullable-long': {
      if (raw === null && entry.type === 'nullable-long') return { ok: true, value: null };
      const n = toNumber(raw);
      const expected = `an integer from ${rangeText(entry)}${entry.type === 'nullable-long' ? ', or null (unset)' : ''}`;
      if (n === undefined || !Number.isInteger(n)) return fail(expected);
      // A long beyond 2^53 can only mean Long.MAX_VALUE-ish ("never"); ksim stores it as the
      // largest safe integer so arithmetic on it stays exact.
      const value = entry.max === JAVA_LONG_MAX && n > JAVA_LONG_MAX && n <= LONG_MAX_AS_DOUBLE ? JAVA_LONG_MAX : n;
      if ((entry.min !== undefined && value < entry.min) || (entry.max !== undefined && value > entry.max)) return fail(expected);
      if (entry.simMin !== undefined && value !== null && value < entry.simMin.value)
        return { ok: false, message: `${entry.key} must be at least ${entry.simMin.value} in ksim (Kafka allows ${entry.min}, but ${entry.simMin.why}), got ${shown(raw)}` };
      return { ok: true, value };
    }
  }
}
