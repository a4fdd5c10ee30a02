// ZkBrokerRegistration: what reaches a ZooKeeper-mode process the controller has not registered.
import { describe, expect, it } from 'vitest';
import { ZkBrokerRegistration } from './zk-broker-registration.ts';

describe('ZkBrokerRegistration', () => {
  it('a process that could not register (NODE_EXISTS) acts on nothing, in any version', () => {
    const r = new ZkBrokerRegistration();
    r.acted(0, 3);
    r.reset(); // the old process died; the new one starts
    expect(r.onHeartbeatAnswer(false)).toBe(false);
    expect(r.reachesUnregistered(0, 4, false)).toBe(false);
    expect(r.reachesUnregistered(0, 4, true)).toBe(false);
  });

  it('registered unnoticed before KIP-380: only partitions changed since the broker last acted on them reach it', () => {
    const r = new ZkBrokerRegistration();
    r.acted(0, 3);
    r.acted(1, 5);
    r.reset();
    expect(r.onHeartbeatAnswer(true)).toBe(true);
    expect(r.onHeartbeatAnswer(true)).toBe(false); // told once
    expect(r.reachesUnregistered(0, 4, false)).toBe(true); // the LeaderAndIsr queued since the old process died
    expect(r.reachesUnregistered(1, 5, false)).toBe(false);
    expect(r.reachesUnregistered(2, 1, false)).toBe(true); // never acted on: anything the controller sent
    // With KIP-380 the new process rejects what was meant for the old one (STALE_BROKER_EPOCH).
    expect(r.reachesUnregistered(0, 4, true)).toBe(false);
  });
});
