// The one verdict rule of every command (`ksim run`, `check`, `replay`, `sweep`): each violation
// falls in one class, and `--fail-on` says which classes fail a run.
//
// The classes (a model's checkers set `classification` and, for a permitted one, `permittedBy`):
// - breach: the configured guarantee broke. Under a safe configuration that is a bug in the model
//   or in the protocol being simulated. A violation without a classification is a breach: nothing
//   said anything allows it.
// - configuration: permitted by a setting the user chose (acks=1, unclean leader election,
//   auto.offset.reset=latest, retention.ms...), which the violation names.
// - version: permitted by the simulated version of the system: a known flaw fixed later, named by
//   its KIP or JIRA (truncation to the high watermark before KIP-101, say).
// - fault-load: permitted by the faults alone, whatever the configuration (every in-sync copy of a
//   record lost to simultaneous power loss, say), which the violation names.
//
// A property a checker could not judge on a run (liveness after heal when the faults end too late
// to give recovery its time) is neither: not a pass, not a violation. It is listed beside the
// verdict, never counted in a class and never fails a run.
//
// A finding names the known flaws it blames (the violation's `flaws`: "KIP-380"; a version finding
// names what permits it, a breach may name the fix the version lacks), and --fail-on may name a
// flaw instead of a whole class: under `--fail-on KIP-380` only the findings that blame KIP-380
// fail a run; the others (KIP-966 on the same old version, say) are found, shown and counted, but
// do not fail it. That is how one hunts one known bug of a version that has several. The names a
// model's findings may blame are its definition's versionFlaws. Two names of one flaw (a KIP and
// its JIRA) are counted once, under the label the model gives them (`flawLabels`).
//
// Default --fail-on: breach and configuration. A breach is a bug; a loss the configuration permits
// is the counterexample a user asks for when they pin a weaker setting. Version and fault-load
// findings are shown and counted, never hidden, but do not fail a run unless asked to.

import type { Violation } from '../sim/model.ts';
import { didYouMean } from './closest-name.ts';
import { UserError } from './user-error.ts';

export const VERDICT_CLASSES = ['breach', 'configuration', 'version', 'fault-load'] as const;
export type VerdictClass = (typeof VERDICT_CLASSES)[number];

export const DEFAULT_FAIL_ON: readonly VerdictClass[] = ['breach', 'configuration'];

/** --fail-on's terms: verdict classes, then flaw names (each fails the version findings that blame it). */
export type FailOnTerms = readonly string[];

/** How a class reads in a sentence ("permitted by the fault load"). */
export const VERDICT_CLASS_PHRASE: Readonly<Record<VerdictClass, string>> = {
  breach: 'breach',
  configuration: 'permitted by the configuration',
  version: 'permitted by the simulated version',
  'fault-load': 'permitted by the fault load',
};

/** The class of one violation, from its classification and permittedBy fields. */
export function verdictClassOf(v: Violation): VerdictClass {
  if (v.classification !== 'permitted') return 'breach';
  switch (v.permittedBy) {
    case 'version':
      return 'version';
    case 'fault-load':
      return 'fault-load';
    default:
      return 'configuration';
  }
}

/** The known flaws a finding blames ("KIP-380"), from its `flaws` field. */
export function flawsOf(v: Violation): string[] {
  return Array.isArray(v.flaws) ? v.flaws.filter((f): f is string => typeof f === 'string') : [];
}

/**
 * What a finding's flaws read as in a count, each label once: the model may label several names of
 * one flaw as one (`flawLabels`, name -> label: "KIP-320 (KAFKA-6880)"), so a finding blaming both
 * names counts once. Only the names in `among` (--fail-on's terms), when given.
 */
export function flawLabelsOf(v: Violation, among?: readonly string[]): string[] {
  const labels = typeof v.flawLabels === 'object' && v.flawLabels !== null ? (v.flawLabels as Record<string, unknown>) : {};
  const named = flawsOf(v).filter((f) => among === undefined || among.includes(f));
  return [...new Set(named.map((f) => (typeof labels[f] === 'string' ? (labels[f] as string) : f)))];
}

/** Whether a violation fails a run under these terms: its class is one, or it blames a flaw named. */
export function failsUnder(v: Violation, failOn: FailOnTerms): boolean {
  return failOn.includes(verdictClassOf(v)) || flawsOf(v).some((f) => failOn.includes(f));
}

/**
 * `--fail-on` values (repeatable, each a comma list) to classes, in the rule's order. "all" is every
 * class; "none" fails no run (violations are still shown). Undefined or empty: the default.
 * Throws UserError naming the bad value.
 */
export function parseFailOn(values: readonly string[] | undefined): VerdictClass[] {
  return parseFailOnTerms(values, []) as VerdictClass[];
}

/**
 * As parseFailOn, also accepting the names of `flaws` (the model's versionFlaws; any case), which
 * come after the classes, each once, in the order given.
 */
export function parseFailOnTerms(values: readonly string[] | undefined, flaws: readonly string[]): string[] {
  if (values === undefined || values.length === 0) return [...DEFAULT_FAIL_ON];
  const picked = new Set<VerdictClass>();
  const named = new Set<string>();
  let none = false;
  for (const value of values) {
    for (const raw of value.split(',')) {
      const word = raw.trim();
      const flaw = flaws.find((f) => f.toUpperCase() === word.toUpperCase());
      if (word === 'all') VERDICT_CLASSES.forEach((c) => picked.add(c));
      else if (word === 'none') none = true;
      else if ((VERDICT_CLASSES as readonly string[]).includes(word)) picked.add(word as VerdictClass);
      else if (flaw !== undefined) named.add(flaw);
      else throw new UserError(unknownTerm(word, flaws));
    }
  }
  if (none && (picked.size > 0 || named.size > 0)) throw new UserError('--fail-on none cannot be combined with a class or a flaw');
  return [...VERDICT_CLASSES.filter((c) => picked.has(c)), ...named];
}

function unknownTerm(word: string, flaws: readonly string[]): string {
  const classes = `a comma list of ${VERDICT_CLASSES.join(', ')} (or all, none)`;
  if (flaws.length === 0) return `--fail-on ${JSON.stringify(word)}: unknown class; use ${classes}`;
  const near = didYouMean(word, [...VERDICT_CLASSES, ...flaws]);
  return `--fail-on ${JSON.stringify(word)}: unknown class or flaw${near}; use ${classes}, or a flaw the simulated versions have: ${flaws.join(', ')}`;
}

/** A property a checker could not judge on a run, and why (Checker.notJudged). */
export interface NotJudged {
  property: string;
  /** One phrase: "the last fault heals at 52.0 s, leaving 8.0 s, less than the 19.2 s recovery may take". */
  reason: string;
}

/** "liveness-after-heal: not judged: <reason>". */
export function describeNotJudged(n: NotJudged): string {
  return `${n.property}: not judged: ${n.reason}`;
}

export interface RunVerdict {
  failed: boolean;
  failOn: FailOnTerms;
  /** The violation that failed the run: the first of the most severe failing class. */
  decidedBy: Violation | null;
  /** Violations per class (all of them, failing or not). */
  counts: Record<VerdictClass, number>;
  /** The flaws blamed by version findings that did not fail the run, each once, first seen first (as the version class's count says them). */
  flawsNotFailing: readonly string[];
  /** Properties not judged on the run (of those targeted by `properties`, when given): in no class, failing nothing. */
  notJudged: readonly NotJudged[];
}

/**
 * Judges one run's violations. With `properties`, only violations of those properties can fail
 * the run (`ksim check --property`); the others are still counted.
 */
export function judgeRun(
  violations: readonly Violation[],
  failOn: FailOnTerms,
  properties?: readonly string[],
  notJudged: readonly NotJudged[] = [],
): RunVerdict {
  const counts = { breach: 0, configuration: 0, version: 0, 'fault-load': 0 } as Record<VerdictClass, number>;
  let decidedBy: Violation | null = null;
  let decidedRank = Infinity;
  const flawsNotFailing = new Set<string>();
  for (const v of violations) {
    const cls = verdictClassOf(v);
    counts[cls]++;
    if (!failsUnder(v, failOn) || (properties && !properties.includes(v.property))) {
      if (cls === 'version') flawLabelsOf(v).forEach((f) => flawsNotFailing.add(f));
      continue;
    }
    const rank = VERDICT_CLASSES.indexOf(cls);
    if (rank < decidedRank) {
      decidedBy = v;
      decidedRank = rank;
    }
  }
  const unjudged = properties ? notJudged.filter((n) => properties.includes(n.property)) : notJudged;
  return { failed: decidedBy !== null, failOn, decidedBy, counts, flawsNotFailing: [...flawsNotFailing], notJudged: [...unjudged] };
}

/** "breach,configuration", or "none". */
export function formatFailOn(failOn: FailOnTerms): string {
  return failOn.length === 0 ? 'none' : failOn.join(',');
}

function where(v: Violation): string {
  return typeof v.partition === 'string' ? ` of ${v.partition}` : '';
}

/**
 * Counts of the classes that did not fail the run, as "2 permitted by the fault load"; the version
 * class with the flaws it blames: "1 permitted by the simulated version (KIP-966)".
 */
function notFailing(verdict: RunVerdict): string[] {
  const flaws = verdict.flawsNotFailing.length === 0 ? '' : ` (${verdict.flawsNotFailing.join(', ')})`;
  return VERDICT_CLASSES.filter((c) => verdict.counts[c] > 0 && !verdict.failOn.includes(c)).map(
    (c) => `${verdict.counts[c]} ${c === 'breach' ? `breach${verdict.counts[c] === 1 ? '' : 'es'}` : VERDICT_CLASS_PHRASE[c]}${c === 'version' ? flaws : ''}`,
  );
}

/**
 * The verdict in one line, saying which violation decided the exit code, or why the run passed
 * although it has violations.
 */
export function describeVerdict(verdict: RunVerdict): string {
  const unjudged = verdict.notJudged.map((n) => n.property);
  const aside = unjudged.length === 0 ? '' : `; not judged (neither passed nor failed): ${unjudged.join(', ')}`;
  const rule = `--fail-on ${formatFailOn(verdict.failOn)}`;
  const total = VERDICT_CLASSES.reduce((n, c) => n + verdict.counts[c], 0);
  if (verdict.decidedBy) {
    const v = verdict.decidedBy;
    return `verdict: FAILED, decided by ${v.property}${where(v)} (${VERDICT_CLASS_PHRASE[verdictClassOf(v)]}) under ${rule}${aside}`;
  }
  if (total === 0) return unjudged.length === 0 ? 'verdict: passed, all checked properties hold' : `verdict: passed, every judged property holds${aside}`;
  const others = notFailing(verdict);
  if (others.length === 0) return `verdict: passed under ${rule}: ${total} violation${total === 1 ? '' : 's'} of properties not targeted by --property${aside}`;
  return `verdict: passed under ${rule}: ${others.join(', ')} do not fail a run (see --fail-on)${aside}`;
}
