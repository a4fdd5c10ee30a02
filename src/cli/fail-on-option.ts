// The `--fail-on` flag, the same on every command that judges runs (run, replay, check, sweep):
// which classes of violation fail a run (src/scenario/verdict.ts).

import type { Command } from 'commander';
import { UserError } from '../scenario/user-error.ts';
import type { VersionFlaws } from '../scenario/model-definition.ts';
import { DEFAULT_FAIL_ON, formatFailOn, parseFailOnTerms, VERDICT_CLASSES, type FailOnTerms } from '../scenario/verdict.ts';

const FAIL_ON_HELP =
  `classes of violation that fail a run, a comma list of ${VERDICT_CLASSES.join(', ')}, or all, none; ` +
  `or a known flaw of the simulated version (e.g. KIP-380: only its findings fail a run) ` +
  `(repeatable; default ${formatFailOn(DEFAULT_FAIL_ON)})`;

export const FAIL_ON_EXPLAINED = `Every violation is a breach, or permitted by the configuration (naming the setting), by the
simulated version (naming the KIP or JIRA) or by the fault load (naming the faults). --fail-on picks
the classes that fail a run (default ${formatFailOn(DEFAULT_FAIL_ON)}); the others are shown and counted.
To hunt one known flaw of an old version, name it instead of the class (--fail-on KIP-380): the
version's other flaws are then shown and counted, not failing.`;

export function addFailOnOption(command: Command): Command {
  return command.option('--fail-on <classes>', FAIL_ON_HELP, (value: string, previous: string[] | undefined) => [...(previous ?? []), value]);
}

/**
 * --fail-on's terms: classes, or flaws of the model's simulated versions, which `flaws` gives (the
 * scenario's model's versionFlaws); it is asked only when a word is not a class, so a scenario is
 * resolved for it only then. A bad word is refused with the classes and flaws it may be.
 */
export function parseFailOnFlag(
  values: readonly string[] | undefined,
  flaws: () => readonly string[],
  /** The flaws the scenario's simulated version has, when one scenario is judged: a flaw it fixed is refused. */
  present?: () => VersionFlaws | undefined,
): FailOnTerms {
  const words = (values ?? []).flatMap((v) => v.split(',').map((w) => w.trim()));
  const plain = words.every((w) => w === 'all' || w === 'none' || (VERDICT_CLASSES as readonly string[]).includes(w));
  const terms = parseFailOnTerms(values, plain ? [] : flaws());
  const named = terms.filter((t) => !(VERDICT_CLASSES as readonly string[]).includes(t));
  const version = named.length > 0 ? present?.() : undefined;
  const fixed = version === undefined ? undefined : named.find((f) => !version.flaws.includes(f));
  if (version !== undefined && fixed !== undefined) {
    const has = version.flaws.length === 0 ? 'none' : version.flaws.join(', ');
    const absent = version.absentBecause?.(fixed);
    const older = version.olderThanFix(fixed);
    const simulate = older === undefined ? '' : `, or simulate ${older}`;
    const why = absent === undefined ? 'has its fix' : `does not have it (${absent})`;
    throw new UserError(`--fail-on ${JSON.stringify(fixed)}: ${version.simulated} ${why}, so no run can fail on it; name a flaw it has (${has}) or a class${simulate}`);
  }
  return terms;
}
