// The kernel's TCP connections (transport.ts), observed end to end with the probe model: the
// handshake, retransmission after partitions (both ways and one way), what a crash, a power loss
// and a process that stops listening tell the peers and when, an application's own close, random
// loss, SYN retries and give-up, and a paused receiver.
import { describe, expect, it } from 'vitest';
import { runProbe, type ProbeAction, type ProbeSend } from './testing/probe-model.ts';
import type { Fault } from '../faults/fault.ts';

// a and b share an AZ; c is in another. Latencies are fixed (0.2 ms inside an AZ, 1 ms across) so
// every time below is exact: a connect takes 2 ms (SYN, SYN-ACK), its first message 3 ms.
const nodes = [
  { name: 'a', az: 'az1' },
  { name: 'b', az: 'az1' },
  { name: 'c', az: 'az2' },
];
const network = {
  sameAz: { latencyUsMin: 200, latencyUsMean: 200, latencyUsMax: 200 },
  crossAz: { latencyUsMin: 1000, latencyUsMean: 1000, latencyUsMax: 1000 },
};

function run(sends: ProbeSend[], faults: Fault[] = [], actions: ProbeAction[] = [], durationMs = 10_000) {
  return runProbe({ nodes, sends, faults, actions, durationMs, network });
}

/** A time in ms (µs / 1000). */
const ms = (us: number | undefined) => (us === undefined ? undefined : us / 1000);

describe('handshake', () => {
  it('the first message waits for the SYN / SYN-ACK round trip; later ones take one latency', () => {
    const { model, outcome } = run([
      { atMs: 10, from: 'a', to: 'c' },
      { atMs: 20, from: 'a', to: 'c' },
    ]);
    expect([ms(model.arrivalUs(0)), ms(model.arrivalUs(1))]).toEqual([13, 21]);
    expect(model.connections).toEqual([{ atUs: 12_000, node: 'a', peer: 'c', what: 'connect' }]);
    expect([outcome.kernel.connectionsOpened, outcome.kernel.connectionsEstablished]).toEqual([1, 1]);
  });

  it('a reply goes back on the requester\'s connection; with none open it is dropped', () => {
    const { model, outcome } = run([
      { atMs: 10, from: 'a', to: 'c' },
      { atMs: 20, from: 'c', to: 'a', reply: true },
      { atMs: 20, from: 'c', to: 'b', reply: true }, // b never connected to c
    ]);
    expect([model.got(1), model.got(2)]).toEqual([true, false]);
    expect(ms(model.arrivalUs(1))).toBe(21); // no handshake: the connection is a's
    expect(outcome.kernel.messagesDropped).toBe(1);
    expect(outcome.kernel.connectionsOpened).toBe(1);
  });
});

describe('partitions delay, TCP retransmits', () => {
  it('a 1 ms partition costs one RTO (200 ms): what was sent arrives in order with the first retransmission', () => {
    const { model, outcome } = run(
      [
        { atMs: 5, from: 'a', to: 'c' }, // opens the connection
        { atMs: 10, from: 'a', to: 'c' }, // in flight when the partition starts
        { atMs: 10.5, from: 'a', to: 'c' }, // sent into it
        { atMs: 12, from: 'a', to: 'c' }, // after it healed: held back behind the lost segment
      ],
      [{ atMs: 10.2, kind: 'partition', groups: [['a'], ['c']], durationMs: 1 }],
    );
    // message 1 met the cut at 11 ms; its retransmission leaves at 211 ms and arrives at 212 ms
    expect(model.received.map((r) => [r.id, ms(r.atUs)])).toEqual([
      [0, 8],
      [1, 212],
      [2, 212],
      [3, 212],
    ]);
    expect(outcome.kernel.messagesDropped).toBe(0);
    expect(outcome.kernel.messagesStalled).toBe(2); // message 3 was sent after the heal, behind the retransmission
  });

  it('a longer partition waits for the first retransmission after it heals (RTO doubling: 0.2, 0.6, 1.4, 3.0 s)', () => {
    const { model, outcome } = run(
      [
        { atMs: 5, from: 'a', to: 'c' },
        { atMs: 100, from: 'a', to: 'c' },
      ],
      [{ atMs: 50, kind: 'partition', groups: [['a'], ['c']], durationMs: 1400 }],
    );
    // stalled at 101 ms; retransmissions at 301, 701, 1501 ms: the one after the heal gets through
    expect(ms(model.arrivalUs(1))).toBe(1502);
    expect(outcome.kernel.retransmissions).toBe(3);
  });

  it('a one-way cut stalls only its direction: replies still flow the other way', () => {
    const { model } = run(
      [
        { atMs: 5, from: 'a', to: 'c' },
        { atMs: 20, from: 'a', to: 'c' },
        { atMs: 20, from: 'c', to: 'a', reply: true },
      ],
      [{ atMs: 10, kind: 'partition-one-way', from: ['a'], to: ['c'], durationMs: 100 }],
    );
    expect(ms(model.arrivalUs(2))).toBe(21);
    expect(ms(model.arrivalUs(1))).toBe(222); // stalled at 21 ms, retransmitted at 221 ms, after the cut ended
  });

  it('a hold delivers what it buffered at its release, in order, without waiting for an RTO', () => {
    const { model } = run(
      [
        { atMs: 5, from: 'a', to: 'c' },
        { atMs: 20, from: 'a', to: 'c' },
        { atMs: 21, from: 'a', to: 'c' },
      ],
      [{ atMs: 10, kind: 'hold', from: 'a', to: 'c', durationMs: 90 }],
    );
    expect(model.received.map((r) => [r.id, ms(r.atUs)])).toEqual([
      [0, 8],
      [1, 101],
      [2, 101],
    ]);
  });
});

describe('what peers learn when a process or host goes', () => {
  it('a crash on a live host resets its connections one latency later; a connect while it is down is refused', () => {
    const { model, outcome } = run(
      [
        { atMs: 5, from: 'a', to: 'c' },
        { atMs: 60, from: 'a', to: 'c' }, // reconnects: refused, c is down
        { atMs: 120, from: 'a', to: 'c' }, // c is back: a new connection
      ],
      [{ atMs: 50, kind: 'crash', node: 'c', durationMs: 50 }],
    );
    expect(model.connections.map((e) => [e.what, ms(e.atUs)])).toEqual([
      ['connect', 7],
      ['reset', 51],
      ['refused', 62],
      ['connect', 122],
    ]);
    expect([model.got(1), model.got(2)]).toEqual([false, true]);
    expect([outcome.kernel.connectionsReset, outcome.kernel.connectionsRefused]).toEqual([1, 1]);
  });

  it('a crash behind a partition is learned at the first retransmission after it heals', () => {
    const { model } = run(
      [{ atMs: 5, from: 'a', to: 'c' }],
      [
        { atMs: 40, kind: 'partition', groups: [['a'], ['c']], durationMs: 500 },
        { atMs: 50, kind: 'crash', node: 'c' },
      ],
    );
    // the RST stalls at 51 ms; retransmissions at 251 and 651 ms
    expect(model.connections.map((e) => [e.what, ms(e.atUs)])).toEqual([
      ['connect', 7],
      ['reset', 652],
    ]);
  });

  it('a powered-off host is silent; once back, it answers the next retransmission with a reset', () => {
    const { model } = run(
      [
        { atMs: 5, from: 'a', to: 'c' },
        { atMs: 5, from: 'b', to: 'c' },
        { atMs: 100, from: 'a', to: 'c' }, // stalls at the silent host
      ],
      [{ atMs: 50, kind: 'power-loss', node: 'c', durationMs: 1000 }],
    );
    // a stalls at 101 ms; retransmissions at 301, 701, 1501 ms: the last meets the rebooted host,
    // whose RST is back at 1503 ms. b sent nothing, so it learns nothing.
    const resets = model.connections.filter((e) => e.what !== 'connect');
    expect(resets.map((e) => [e.node, e.what, ms(e.atUs)])).toEqual([['a', 'reset', 1503]]);
    expect(model.got(2)).toBe(false);
  });

  it('what a held link buffered is in the network: delivered at the release though its sender lost power; what a cut link stalled is lost with the host', () => {
    const sends = [
      { atMs: 5, from: 'a', to: 'c' },
      { atMs: 20, from: 'a', to: 'c' }, // caught by the hold or the cut
    ];
    const held = run(sends, [
      { atMs: 10, kind: 'hold', from: 'a', to: 'c', durationMs: 90 },
      { atMs: 50, kind: 'power-loss', node: 'a', durationMs: 1000 },
    ]).model;
    expect(held.received.map((r) => [r.id, ms(r.atUs)])).toEqual([
      [0, 8],
      [1, 101],
    ]);
    const cut = run(sends, [
      { atMs: 10, kind: 'partition-one-way', from: ['a'], to: ['c'], durationMs: 90 },
      { atMs: 50, kind: 'power-loss', node: 'a', durationMs: 1000 },
    ]).model;
    expect(cut.received.map((r) => r.id)).toEqual([0]);
  });

  it('a process that stops listening resets its connections and refuses new ones until it listens again', () => {
    const { model } = run(
      [
        { atMs: 5, from: 'a', to: 'c' },
        { atMs: 100, from: 'a', to: 'c' },
        { atMs: 300, from: 'a', to: 'c' },
      ],
      [],
      [
        { atMs: 50, node: 'c', action: 'stop-listening' },
        { atMs: 200, node: 'c', action: 'listen' },
      ],
    );
    expect(model.connections.map((e) => [e.what, ms(e.atUs)])).toEqual([
      ['connect', 7],
      ['reset', 51],
      ['refused', 102],
      ['connect', 302],
    ]);
    expect([model.got(1), model.got(2)]).toEqual([false, true]);
  });
});

describe('an application closing its connection', () => {
  it('loses what it held both ways: the stalled request is discarded, the reply dropped; the next send reconnects', () => {
    const { model, outcome } = run(
      [
        { atMs: 5, from: 'a', to: 'c' },
        { atMs: 20, from: 'a', to: 'c' }, // stalls in the one-way cut: discarded by the close
        { atMs: 30, from: 'c', to: 'a', reply: true }, // stalls the other way: dropped at a's closed side
        { atMs: 400, from: 'a', to: 'c' }, // a new connection
      ],
      [
        { atMs: 10, kind: 'partition-one-way', from: ['a'], to: ['c'], durationMs: 50 },
        { atMs: 25, kind: 'partition-one-way', from: ['c'], to: ['a'], durationMs: 100 },
      ],
      [{ atMs: 40, node: 'a', action: 'disconnect', peer: 'c' }],
    );
    expect([model.got(1), model.got(2), model.got(3)]).toEqual([false, false, true]);
    expect(model.connections.map((e) => e.what)).toEqual(['connect', 'connect']); // its own close is not reported
    expect([outcome.kernel.connectionsClosed, outcome.kernel.connectionsOpened, outcome.kernel.messagesDropped]).toEqual([1, 2, 2]);
  });
});

describe('a server closing a connection it accepted', () => {
  it('resets the client behind what the server already sent; what the client sends meanwhile is dropped; its next send reconnects', () => {
    const { model, outcome } = run(
      [
        { atMs: 5, from: 'a', to: 'c' }, // opens the connection (arrives at 8 ms)
        { atMs: 9, from: 'c', to: 'a', reply: true }, // sent before the close: arrives at 10 ms
        { atMs: 10.5, from: 'a', to: 'c' }, // reaches c's closed side at 11.5 ms: dropped (the reset is already on its way)
        { atMs: 400, from: 'a', to: 'c' }, // a new connection
      ],
      [],
      [{ atMs: 10, node: 'c', action: 'close-accepted', peer: 'a' }],
    );
    expect([model.got(1), model.got(2), model.got(3)]).toEqual([true, false, true]);
    expect(model.connections.map((e) => [ms(e.atUs), e.node, e.what])).toEqual([
      [7, 'a', 'connect'],
      [11, 'a', 'reset'],
      [402, 'a', 'connect'],
    ]);
    expect([outcome.kernel.connectionsClosed, outcome.kernel.connectionsReset, outcome.kernel.messagesDropped]).toEqual([1, 1, 1]);
  });
});

describe('SYN retries', () => {
  it('a connect to a silent host retries its SYN at 1, 3, 7 s and succeeds once the host is back', () => {
    const { model } = run(
      [{ atMs: 10, from: 'a', to: 'c' }],
      [{ atMs: 5, kind: 'power-loss', node: 'c', durationMs: 5000 }],
    );
    expect(ms(model.arrivalUs(0))).toBe(7013);
  });

  it('gives up after 127 s (tcp_syn_retries = 6) with a timeout', () => {
    const { model } = runProbe({
      nodes,
      sends: [{ atMs: 10, from: 'a', to: 'c' }],
      faults: [{ atMs: 5, kind: 'power-loss', node: 'c' }],
      durationMs: 200_000,
      network,
    });
    expect(model.connections).toEqual([{ atUs: 127_010_000, node: 'a', peer: 'c', what: 'timeout' }]);
  });
});

describe('a paused process', () => {
  it('gets what arrived, and its connection notices, in order when it resumes', () => {
    const { model } = run(
      [
        { atMs: 5, from: 'a', to: 'c' },
        { atMs: 20, from: 'c', to: 'a', reply: true },
      ],
      [
        { atMs: 10, kind: 'pause', node: 'a', durationMs: 90 },
        { atMs: 30, kind: 'crash', node: 'c' },
      ],
    );
    expect(ms(model.arrivalUs(1))).toBe(100);
    expect(model.connections.map((e) => [e.what, ms(e.atUs)])).toEqual([
      ['connect', 7],
      ['reset', 100],
    ]);
  });
});
