// When a Kafka violation fails a `ksim check` run. The rule: every violation fails the run except
// one permitted by the fault load alone (permittedBy 'fault-load': every in-sync copy of a record
// lost to power or disk loss, a leader that lost records being elected). Those go beyond what
// replication promises to survive whatever the configuration, so they are shown and counted, not
// failed. A breach fails (the model or its protocol era broke the configured guarantee), and so
// does a finding permitted by the configuration (acks=1, unclean election, idempotence off): the
// user asked whether those settings lose data, and the smallest run that does is the answer.
//
// That is why the Kafka exploration (kafka-definition.ts) pins the guarantee-deciding settings to
// their safe values and swarms only settings that keep the guarantee: `ksim check` with no --set
// checks the guarantee and passes on a correct model, while `--set acks=1` (say) asks for a
// counterexample of the weaker configuration.

import type { Violation } from '../../../src/sim/model.ts';

export function violationFailsCheck(v: Violation): boolean {
  return !(v.classification === 'permitted' && v.permittedBy === 'fault-load');
}
