// The `--fail-on` flag, the same on every command that judges runs (run, replay, check, sweep):
// which classes of violation fail a run (src/scenario/verdict.ts).

import type { Command } from 'commander';
import { DEFAULT_FAIL_ON, formatFailOn, VERDICT_CLASSES } from '../scenario/verdict.ts';

const FAIL_ON_HELP =
  `classes of violation that fail a run, a comma list of ${VERDICT_CLASSES.join(', ')}, or all, none ` +
  `(repeatable; default ${formatFailOn(DEFAULT_FAIL_ON)})`;

export const FAIL_ON_EXPLAINED = `Every violation is a breach, or permitted by the configuration (naming the setting), by the
simulated version (naming the KIP or JIRA) or by the fault load (naming the faults). --fail-on picks
the classes that fail a run (default ${formatFailOn(DEFAULT_FAIL_ON)}); the others are shown and counted.`;

export function addFailOnOption(command: Command): Command {
  return command.option('--fail-on <classes>', FAIL_ON_HELP, (value: string, previous: string[] | undefined) => [...(previous ?? []), value]);
}
