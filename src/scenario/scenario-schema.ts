// The model-independent part of the scenario format: seed, duration, limits, network, faults and
// background noise. A model adds its own keys (see model-definition.ts); unknown keys are errors.
// Defaults are filled in here so a resolved scenario states every value the run used. Every size
// has an upper bound, refused before the run starts with the reason (scenario-bounds.ts).

import { z } from 'zod';
import { DEFAULT_NETWORK } from '../net/network-config.ts';
import { faultSchema, NOISE_FAULT_KINDS } from '../faults/fault.ts';
import { NOISE_OFF } from '../faults/noise-config.ts';
import { DEFAULT_LIMITS } from '../kernel/run-limits.ts';
import { DEFAULT_MEMORY_MB, EVENTS_MAX_MAX, FAULTS_MAX, LATENCY_US_MAX, MEMORY_MB_MAX, MEMORY_MB_MIN, SEED_LENGTH_MAX, VIRTUAL_MS_MAX } from './scenario-bounds.ts';

const ms = z.number().min(0).max(VIRTUAL_MS_MAX, `at most ${VIRTUAL_MS_MAX} ms (virtual microseconds must stay exact integers)`).describe('virtual milliseconds');
/** A duration that must be more than 0 (one bound, so -1 and 0 get the same message). */
const msPositive = z.number().gt(0).max(VIRTUAL_MS_MAX, `at most ${VIRTUAL_MS_MAX} ms (virtual microseconds must stay exact integers)`).describe('virtual milliseconds');
const latencyUs = z.number().min(0).max(LATENCY_US_MAX, `at most ${LATENCY_US_MAX} µs (a minute): a link slower than that is a partition; use a fault`);
const name = z.string().min(1);

const latency = (d: { latencyUsMin: number; latencyUsMean: number; latencyUsMax: number }) =>
  z
    .strictObject({
      latencyUsMin: latencyUs.int().default(d.latencyUsMin),
      latencyUsMean: latencyUs.default(d.latencyUsMean),
      latencyUsMax: latencyUs.int().default(d.latencyUsMax),
    })
    .refine((l) => l.latencyUsMin <= l.latencyUsMean && l.latencyUsMean <= l.latencyUsMax, {
      message: 'needs latencyUsMin <= latencyUsMean <= latencyUsMax',
    })
    .prefault({});

const rate = z.number().min(0).max(1);
/** Kept in the format so old scenarios read; TCP never duplicates or reorders for the application. */
const tcpNever = (what: string) =>
  z
    .number()
    .refine((v) => v === 0, { message: `links are TCP connections, which never ${what} what they deliver; remove the field or set it to 0 (use lossRate for a lossy link)` })
    .default(0);

const networkSchema = z
  .strictObject({
    sameAz: latency(DEFAULT_NETWORK.sameAz),
    crossAz: latency(DEFAULT_NETWORK.crossAz),
    lossRate: rate.default(DEFAULT_NETWORK.lossRate),
    duplicateRate: tcpNever('duplicate'),
    reorderRate: tcpNever('reorder'),
  })
  .prefault({});

const noiseSchema = z
  .strictObject({
    intervalMsMean: ms.default(0).describe('mean time between noise faults; 0 is off'),
    durationMsMean: msPositive.default(1000),
    kinds: z.array(z.enum(NOISE_FAULT_KINDS)).default(NOISE_OFF.kinds),
    nodes: z.array(name).optional(),
    startMs: ms.default(0),
    stopMs: ms.optional(),
  })
  .prefault({});

const limitsSchema = z
  .strictObject({
    eventsMax: z
      .number()
      .int({ error: (issue) => (issue.code === 'too_big' ? `at most ${EVENTS_MAX_MAX}: a run that long would take weeks` : undefined) })
      .positive()
      .max(EVENTS_MAX_MAX, `at most ${EVENTS_MAX_MAX}: a run that long would take weeks`)
      .default(DEFAULT_LIMITS.eventsMax),
    virtualMsMax: msPositive.default(DEFAULT_LIMITS.virtualMsMax),
    memoryMb: z
      .number()
      .int({ error: (issue) => (issue.code === 'too_big' ? `at most ${MEMORY_MB_MAX} MiB (1 TiB)` : undefined) })
      .min(MEMORY_MB_MIN, `at least ${MEMORY_MB_MIN} MiB: ksim itself needs that much`)
      .max(MEMORY_MB_MAX, `at most ${MEMORY_MB_MAX} MiB (1 TiB)`)
      .default(DEFAULT_MEMORY_MB)
      .describe('memory the run may use (MiB); a scenario projected to need more is refused before it runs'),
  })
  .prefault({});

/** Keys every scenario has, whatever its model. */
export const envelopeShape = {
  $schema: z.string().optional(),
  name: z.string().default('unnamed'),
  description: z.string().optional(),
  model: z.string(),
  seed: z
    .union([
      z.string().min(1, 'a non-empty string, or a whole number').max(SEED_LENGTH_MAX, `at most ${SEED_LENGTH_MAX} characters`),
      z
        .number()
        .int({
          error: (issue) =>
            issue.code === 'too_big'
              ? 'at most 9007199254740991 (2^53 - 1) as a JSON number: a larger one is rounded to another seed; write it as a string'
              : 'a whole number, or a string',
        }),
    ])
    .transform(String)
    .default('1'),
  durationMs: msPositive.optional().describe('stop here; omit to run until no event is left'),
  limits: limitsSchema,
  network: networkSchema,
  faults: z.array(faultSchema).max(FAULTS_MAX, `at most ${FAULTS_MAX} faults`).default([]),
  noise: noiseSchema,
};
