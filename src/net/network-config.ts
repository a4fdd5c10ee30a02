// Network parameters of a scenario. Latency is drawn per message as
// latencyUsMin + Exponential(latencyUsMean - latencyUsMin), capped at latencyUsMax, with separate
// parameters for links inside one AZ and links across AZs (cross-AZ round trips on AWS are
// typically several times same-AZ ones).

export interface LinkLatency {
  latencyUsMin: number;
  latencyUsMean: number;
  latencyUsMax: number;
}

export interface NetworkConfig {
  sameAz: LinkLatency;
  crossAz: LinkLatency;
  /** Probability that a message is silently lost. */
  lossRate: number;
  /** Probability that a delivered message is delivered a second time. */
  duplicateRate: number;
  /**
   * Probability that a message may overtake earlier messages on its link. Links are FIFO
   * otherwise, like the TCP connections the simulated systems use.
   */
  reorderRate: number;
}

export const DEFAULT_NETWORK: NetworkConfig = {
  sameAz: { latencyUsMin: 100, latencyUsMean: 250, latencyUsMax: 5_000 },
  crossAz: { latencyUsMin: 500, latencyUsMean: 900, latencyUsMax: 20_000 },
  lossRate: 0,
  duplicateRate: 0,
  reorderRate: 0,
};
