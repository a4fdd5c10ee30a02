// GroupMetadata on its own: the classic group's state machine (GroupMetadata.validPreviousStates),
// generations and leaders, and static membership bookkeeping (KIP-345).
import { describe, expect, it } from 'vitest';
import { GroupMetadata, type GroupState } from './group-metadata.ts';
import { MemberMetadata } from './member-metadata.ts';

function memberOf(memberId: string, opts: { instanceId?: string; protocol?: string; rebalanceTimeoutUs?: number; joining?: boolean } = {}): MemberMetadata {
  const m = new MemberMetadata(memberId, opts.instanceId ?? null, 7, 10_000_000, opts.rebalanceTimeoutUs ?? 300_000_000, opts.protocol ?? 'range', ['t'], [], 0);
  if (opts.joining ?? true) m.joinRequestId = 1;
  return m;
}

function groupIn(state: GroupState): GroupMetadata {
  const g = new GroupMetadata('g', 3);
  const path: GroupState[] = ['PreparingRebalance', 'CompletingRebalance', 'Stable'];
  if (state !== 'Empty') for (const s of path.slice(0, path.indexOf(state) + 1)) g.transitionTo(s);
  return g;
}

describe('GroupMetadata state machine', () => {
  it('walks Empty -> PreparingRebalance -> CompletingRebalance -> Stable -> PreparingRebalance', () => {
    const g = new GroupMetadata('g', 3);
    expect(g.state).toBe('Empty');
    for (const s of ['PreparingRebalance', 'CompletingRebalance', 'Stable', 'PreparingRebalance', 'Empty'] as GroupState[]) {
      g.transitionTo(s);
      expect(g.is(s)).toBe(true);
    }
  });

  it('refuses transitions Kafka refuses', () => {
    const refused: [GroupState, GroupState][] = [
      ['Empty', 'Stable'],
      ['Empty', 'CompletingRebalance'],
      ['Empty', 'Empty'],
      ['PreparingRebalance', 'Stable'],
      ['PreparingRebalance', 'PreparingRebalance'],
      ['CompletingRebalance', 'Empty'],
      ['Stable', 'CompletingRebalance'],
      ['Stable', 'Empty'],
    ];
    for (const [from, to] of refused) expect(() => groupIn(from).transitionTo(to), `${from} -> ${to}`).toThrow(/invalid transition/);
  });

  it('can start Stable when loaded from a group record', () => {
    expect(new GroupMetadata('g', 3, 'Stable').state).toBe('Stable');
  });
});

describe('GroupMetadata generations', () => {
  it('initNextGeneration with nobody left: Empty, no leader, no protocol', () => {
    const g = groupIn('PreparingRebalance');
    g.generation = 4;
    g.leaderId = 'old';
    g.protocol = 'range';
    g.initNextGeneration();
    expect([g.state, g.generation, g.leaderId, g.protocol]).toEqual(['Empty', 5, '', '']);
  });

  it('initNextGeneration keeps a leader that rejoined, else elects the first member, whose protocol the group takes', () => {
    const g = groupIn('PreparingRebalance');
    g.add(memberOf('a', { protocol: 'roundrobin' }));
    g.add(memberOf('b', { protocol: 'sticky' }));
    g.leaderId = 'b';
    g.initNextGeneration();
    expect([g.state, g.generation, g.leaderId, g.protocol]).toEqual(['CompletingRebalance', 1, 'b', 'roundrobin']);
    g.transitionTo('Stable');
    g.transitionTo('PreparingRebalance');
    g.leaderId = 'gone';
    g.initNextGeneration();
    expect([g.generation, g.leaderId]).toEqual([2, 'a']);
  });

  it('waits for every dynamic member to rejoin, but not for static ones; the late dynamic ones are removed', () => {
    const g = groupIn('PreparingRebalance');
    g.add(memberOf('a'));
    g.add(memberOf('s', { instanceId: 'i1', joining: false }));
    expect(g.hasAllMembersJoined()).toBe(true);
    g.add(memberOf('late', { joining: false }));
    expect(g.hasAllMembersJoined()).toBe(false);
    g.removeNotYetRejoinedDynamicMembers();
    expect([...g.members.keys()]).toEqual(['a', 's']);
  });

  it('allows the longest rebalance timeout of its members for a join', () => {
    const g = groupIn('Empty');
    expect(g.maxRebalanceTimeoutUs()).toBe(0);
    g.add(memberOf('a', { rebalanceTimeoutUs: 5 }));
    g.add(memberOf('b', { rebalanceTimeoutUs: 9 }));
    expect(g.maxRebalanceTimeoutUs()).toBe(9);
  });
});

describe('GroupMetadata static membership', () => {
  it('replaces a static member under a new member id, keeping its leadership and moving it to the end', () => {
    const g = groupIn('Stable');
    const old = memberOf('s-1', { instanceId: 'i1' });
    g.add(old);
    g.add(memberOf('d-2'));
    g.leaderId = 's-1';
    expect(g.staticMember('i1')).toBe(old);
    g.replaceStaticMember(old, 's-3');
    expect([...g.members.keys()]).toEqual(['d-2', 's-3']);
    expect([g.staticMembers.get('i1'), g.leaderId, old.memberId]).toEqual(['s-3', 's-3', 's-3']);
    expect(g.staticMember(null)).toBeUndefined();
  });

  it('removing a fenced old instance leaves the new instance’s id mapping alone', () => {
    const g = groupIn('Stable');
    const current = memberOf('s-2', { instanceId: 'i1' });
    g.add(current);
    const fenced = memberOf('s-1', { instanceId: 'i1' });
    g.remove(fenced);
    expect(g.staticMembers.get('i1')).toBe('s-2');
    g.remove(current);
    expect(g.staticMembers.has('i1')).toBe(false);
    expect(g.members.size).toBe(0);
  });
});

describe('MemberMetadata', () => {
  it('expires a session at exactly session.timeout.ms after its last heartbeat (DelayedHeartbeat deadline)', () => {
    const m = memberOf('a');
    m.lastHeartbeatUs = 1_000_000;
    expect(m.sessionExpired(10_999_999)).toBe(false);
    expect(m.sessionExpired(11_000_000)).toBe(true);
  });
});
