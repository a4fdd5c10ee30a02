// The socket buffer sizes a Kafka client's connection to a broker gets: the client's
// send.buffer.bytes as its SO_SNDBUF and the broker's socket.receive.buffer.bytes as the accepted
// socket's SO_RCVBUF (Selector.configureSocketChannel; SocketServer's Acceptor), each -1 for the
// OS default, which on Linux is the autotuning range's maximum (net.ipv4.tcp_wmem and tcp_rmem:
// "4096 16384 4194304" and "4096 131072 6291456" on the kernels MSK's brokers and their clients
// run). The kernel bounds writes by them (src/kernel/send-buffer.ts).

/** Linux's tcp_wmem maximum: what an autotuned send buffer grows to (bytes). */
const LINUX_TCP_WMEM_MAX_BYTES = 4_194_304;
/** Linux's tcp_rmem maximum: what an autotuned receive buffer grows to (bytes). */
const LINUX_TCP_RMEM_MAX_BYTES = 6_291_456;

/** The buffers of a client's connection to a broker, in bytes, -1 settings resolved. */
export interface SocketBuffers {
  readonly sendBufferBytes: number;
  readonly peerReceiveBufferBytes: number;
}

/** The buffers of a client's connection to a broker from send.buffer.bytes (client) and socket.receive.buffer.bytes (broker). */
export function socketBuffers(sendBufferBytes: number, brokerReceiveBufferBytes: number): SocketBuffers {
  return {
    sendBufferBytes: sendBufferBytes === -1 ? LINUX_TCP_WMEM_MAX_BYTES : sendBufferBytes,
    peerReceiveBufferBytes: brokerReceiveBufferBytes === -1 ? LINUX_TCP_RMEM_MAX_BYTES : brokerReceiveBufferBytes,
  };
}
