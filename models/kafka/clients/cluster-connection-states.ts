// Kafka's ClusterConnectionStates: a client's view of its connection to each broker. A connection
// is DISCONNECTED, CONNECTING (the handshake is under way, bounded by
// socket.connection.setup.timeout.ms, KIP-601) or READY. After a disconnect the client may not
// connect again for reconnect.backoff.ms, doubling per consecutive failure up to
// reconnect.backoff.max.ms; a failed connect also doubles the next setup timeout, up to
// socket.connection.setup.timeout.max.ms; both with 20% jitter, and both reset once a connection is
// READY. Times in µs; the backoffs are drawn in ms as Kafka does.
//
// The kernel keeps the real connection (src/kernel/transport.ts); this is the client's bookkeeping,
// kept in step by the client: connecting() when it asks for a connection, ready() on onConnect,
// disconnected() on onDisconnect and when it closes a connection itself.

import type { Choice } from '../../../src/sim/choice.ts';
import { ExponentialBackoff } from './exponential-backoff.ts';

const DISCONNECTED = 0;
export const CONNECTING = 1;
const READY = 2;

const RECONNECT_BACKOFF_EXP_BASE = 2;
const RECONNECT_BACKOFF_JITTER = 0.2;
const CONNECTION_SETUP_TIMEOUT_EXP_BASE = 2;
const CONNECTION_SETUP_TIMEOUT_JITTER = 0.2;

/** The client configs that shape its connections, in ms. */
export interface ConnectionConfig {
  'reconnect.backoff.ms': number;
  'reconnect.backoff.max.ms': number;
  'socket.connection.setup.timeout.ms': number;
  'socket.connection.setup.timeout.max.ms': number;
}

export class ClusterConnectionStates {
  readonly state: Uint8Array;
  /** Increments on each connect, so a stale setup-timeout timer is recognised. */
  readonly attempt: Int32Array;
  private readonly lastConnectAttemptUs: Float64Array;
  private readonly failedAttempts: Int32Array;
  private readonly failedConnectAttempts: Int32Array;
  private readonly reconnectBackoffUs: Float64Array;
  private readonly setupTimeoutUs: Float64Array;
  private readonly reconnectBackoff: ExponentialBackoff;
  private readonly setupTimeout: ExponentialBackoff;

  constructor(brokerCount: number, config: ConnectionConfig, jitter: Choice) {
    this.state = new Uint8Array(brokerCount);
    this.attempt = new Int32Array(brokerCount);
    this.lastConnectAttemptUs = new Float64Array(brokerCount).fill(-Infinity);
    this.failedAttempts = new Int32Array(brokerCount);
    this.failedConnectAttempts = new Int32Array(brokerCount);
    this.reconnectBackoffUs = new Float64Array(brokerCount);
    this.setupTimeoutUs = new Float64Array(brokerCount);
    this.reconnectBackoff = new ExponentialBackoff(
      config['reconnect.backoff.ms'],
      RECONNECT_BACKOFF_EXP_BASE,
      config['reconnect.backoff.max.ms'],
      RECONNECT_BACKOFF_JITTER,
      jitter,
    );
    this.setupTimeout = new ExponentialBackoff(
      config['socket.connection.setup.timeout.ms'],
      CONNECTION_SETUP_TIMEOUT_EXP_BASE,
      config['socket.connection.setup.timeout.max.ms'],
      CONNECTION_SETUP_TIMEOUT_JITTER,
      jitter,
    );
  }

  /** A new client process: no connection, no backoff. */
  clear(): void {
    this.state.fill(DISCONNECTED);
    this.lastConnectAttemptUs.fill(-Infinity);
    this.failedAttempts.fill(0);
    this.failedConnectAttempts.fill(0);
    this.reconnectBackoffUs.fill(0);
    this.setupTimeoutUs.fill(0);
  }

  isReady(broker: number): boolean {
    return this.state[broker] === READY;
  }

  /** Disconnected and past its reconnect backoff. */
  canConnect(broker: number, nowUs: number): boolean {
    return this.state[broker] === DISCONNECTED && nowUs - this.lastConnectAttemptUs[broker] >= this.reconnectBackoffUs[broker];
  }

  /** Disconnected and still inside its reconnect backoff. */
  isBlackedOut(broker: number, nowUs: number): boolean {
    return this.state[broker] === DISCONNECTED && !this.canConnect(broker, nowUs);
  }

  /** µs until a connect to broker may start (0: now; Infinity: connecting or connected). */
  connectionDelayUs(broker: number, nowUs: number): number {
    if (this.state[broker] !== DISCONNECTED) return Infinity;
    return Math.max(this.lastConnectAttemptUs[broker] + this.reconnectBackoffUs[broker] - nowUs, 0);
  }

  lastConnectAttempt(broker: number): number {
    return this.lastConnectAttemptUs[broker];
  }

  /** A connect starts; returns its setup timeout (µs). */
  connecting(broker: number, nowUs: number): number {
    this.state[broker] = CONNECTING;
    this.attempt[broker]++;
    this.lastConnectAttemptUs[broker] = nowUs;
    if (this.setupTimeoutUs[broker] === 0) this.setupTimeoutUs[broker] = this.setupTimeout.backoff(0) * 1000;
    return this.setupTimeoutUs[broker];
  }

  ready(broker: number): void {
    this.state[broker] = READY;
    this.failedAttempts[broker] = 0;
    this.reconnectBackoffUs[broker] = this.reconnectBackoff.backoff(0) * 1000;
    this.failedConnectAttempts[broker] = 0;
    this.setupTimeoutUs[broker] = this.setupTimeout.backoff(0) * 1000;
  }

  /** The connection closed (by the network or by the client); the next connect waits the backoff. */
  disconnected(broker: number, nowUs: number): void {
    this.lastConnectAttemptUs[broker] = nowUs;
    this.reconnectBackoffUs[broker] = this.reconnectBackoff.backoff(this.failedAttempts[broker]) * 1000;
    this.failedAttempts[broker]++;
    if (this.state[broker] === CONNECTING) {
      this.failedConnectAttempts[broker]++;
      this.setupTimeoutUs[broker] = this.setupTimeout.backoff(this.failedConnectAttempts[broker]) * 1000;
    } else {
      this.failedConnectAttempts[broker] = 0;
      this.setupTimeoutUs[broker] = this.setupTimeout.backoff(0) * 1000;
    }
    this.state[broker] = DISCONNECTED;
  }
}
