// The producer's recovery after its partition leader dies without a TCP reset: requests to the
// dead broker hang until request.timeout.ms (as with the Java client); the metadata refresh that
// follows must reach a live broker, so the producer resumes on the new leader at once instead of
// waiting out a second request.timeout.ms. (The AZ-outage case where the metadata target itself
// holds hung requests is what leastLoadedBroker fixes; it shows in the default scenario.)
import { describe, expect, it } from 'vitest';
import { runKafka } from '../testing/kafka-test-cluster.ts';

describe('producer metadata after a broker dies', () => {
  for (const seed of ['1', '2', '3', '4', '5', '6']) {
    it(`resumes on the new leader soon after request.timeout.ms (seed ${seed})`, () => {
      const r = runKafka({
        seed,
        producers: [{ name: 'p1', az: 'az2', config: { acks: 'all', 'request.timeout.ms': 10_000 }, ratePerSec: 50, keys: 1 }],
        faults: [{ atMs: 5000, kind: 'power-loss', node: 'b1' }],
        durationMs: 40_000,
      });
      const election = r.of('election').find((e) => e.previousLeader === 'b1');
      expect(election?.leader).toBeDefined();
      // The first acknowledgement from the new leader comes once the hung requests time out
      // (5 s + 10 s), plus a metadata round trip: well before a second timeout would end (25 s).
      const firstNewAckUs = r.events.find((e) => e.event.type === 'send-ok' && e.timeUs > 5_000_000)?.timeUs;
      expect(firstNewAckUs).toBeDefined();
      expect(firstNewAckUs!).toBeLessThan(17_000_000);
    });
  }
});
