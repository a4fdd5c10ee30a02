// Network parameters of a scenario. Latency is drawn per message as
// latencyUsMin + Exponential(latencyUsMean - latencyUsMin), capped at latencyUsMax, with separate
// parameters for links inside one AZ and links across AZs (cross-AZ round trips on AWS are
// typically several times same-AZ ones). Links carry TCP connections: random loss delays a
// segment by its retransmission timeouts (and what follows it on the connection), it never loses
// it; duplication and reordering do not reach the application, so those rates must be 0.

export interface LinkLatency {
  latencyUsMin: number;
  latencyUsMean: number;
  latencyUsMax: number;
}

export interface NetworkConfig {
  sameAz: LinkLatency;
  crossAz: LinkLatency;
  /** Probability that one transmission of a segment is lost; TCP retransmits it after its RTO. */
  lossRate: number;
  /** Always 0: TCP never delivers a segment twice (the scenario format keeps the field). */
  duplicateRate: number;
  /** Always 0: TCP delivers in order (the scenario format keeps the field). */
  reorderRate: number;
}

export const DEFAULT_NETWORK: NetworkConfig = {
  sameAz: { latencyUsMin: 100, latencyUsMean: 250, latencyUsMax: 5_000 },
  crossAz: { latencyUsMin: 500, latencyUsMean: 900, latencyUsMax: 20_000 },
  lossRate: 0,
  duplicateRate: 0,
  reorderRate: 0,
};
