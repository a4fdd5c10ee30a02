// The causes every checker of one run shares (loss-causes.ts, consumer-causes.ts,
// group-metadata-loss.ts), built once, at the end of the run, from the shared analysis, so each
// explains a finding by the same events the same way.

import type { RunView } from '../../../src/check/checker.ts';
import type { KafkaRunAnalysis } from '../analysis/kafka-run-analysis.ts';
import { ConsumerCauses } from './consumer-causes.ts';
import type { FaultNames } from './fault-names.ts';
import { GroupMetadataCauses } from './group-metadata-loss.ts';
import { LossCauses } from './loss-causes.ts';

interface Causes {
  loss: LossCauses;
  consumer: ConsumerCauses;
  groups: GroupMetadataCauses;
}

export class RunCauses {
  private causes: Causes | null = null;

  constructor(
    private readonly analysis: KafkaRunAnalysis,
    readonly faults: FaultNames,
  ) {}

  of(run: Pick<RunView, 'nowUs' | 'model' | 'topology'>): Causes {
    if (this.causes) return this.causes;
    const findings = this.analysis.conclude(run);
    const loss = new LossCauses(this.analysis, findings, this.faults);
    const groups = new GroupMetadataCauses(this.analysis, findings, this.faults);
    this.causes = { loss, groups, consumer: new ConsumerCauses(this.analysis, findings, loss, groups) };
    return this.causes;
  }
}
