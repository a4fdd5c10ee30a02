// One thread of the fuzzer's pool (fuzz-pool.ts): registers tsx (threads start without the main
// thread's module hooks), loads ksim's command line once, then runs each case it is sent, in
// process, with the output captured, and answers with the exit code, stderr, the wall time and the
// thread's heap. A case that hangs or exhausts the heap is ended from outside (terminate,
// resourceLimits); nothing here guards against it, so the fuzzer sees what a user would.

import { parentPort } from 'node:worker_threads';
import { getHeapStatistics } from 'node:v8';
import { register } from 'tsx/esm/api';

register();
const { main } = await import('../../src/cli/main.ts');

parentPort.on('message', async ({ id, argv }) => {
  let out = 0;
  let err = '';
  const io = { out: (t) => void (out += t.length), err: (t) => void (err += t), isTty: () => false };
  const start = performance.now();
  let code;
  try {
    code = await main(argv, io);
  } catch (e) {
    // main reports every error itself; one that escapes it is a finding.
    code = -1;
    err += `escaped main: ${e?.stack ?? e}`;
  }
  const wallMs = performance.now() - start;
  parentPort.postMessage({ id, code, err: err.slice(0, 20_000), outChars: out, wallMs, heapBytes: getHeapStatistics().total_heap_size });
});
parentPort.postMessage({ ready: true });
