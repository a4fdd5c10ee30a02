// How Kafka's events draw on the timeline: sends and acks on the producers' lanes, leader and
// follower appends and high-watermark moves on the brokers', polls, processing and commits on the
// consumers'; elections and ISR changes start a new segment of the partition's row (leader, leader
// epoch, ISR) and are marked there, as are reassignments (KIP-455: the replica set changes, and a
// completion may bump the epoch); truncations, log losses, replicas a reassignment deleted, failed
// sends, produce errors and scripted operations are marked where they happened. Every event naming a record is tied to it,
// so a violation's records show their whole story. Activity categories and colours: kafka-timeline-style.ts.

import type { TimelineCanvas, TimelineModelEvent } from '../../../src/scenario/model-timeline.ts';

type Ev = TimelineModelEvent['event'];

const rec = (id: unknown) => `r${id}`;

function partitionOf(ev: Ev): string {
  return typeof ev.partition === 'string' ? ev.partition : '';
}

function drawProduce(timeUs: number, ev: Ev, c: TimelineCanvas): boolean {
  const partition = partitionOf(ev);
  switch (ev.type) {
    case 'send': {
      c.count('send');
      const e = c.event('send', `send ${rec(ev.record)} to ${partition}${ev.key === null ? '' : ` key ${ev.key}`}`);
      c.sample(e);
      c.watch([ev.record as number], e);
      return true;
    }
    case 'send-ok': {
      // one event per batch: an entry per record, as each send()'s callback
      const records = ev.records as number[];
      const sentUs = ev.sentUs as number[];
      const offset = ev.offset as number;
      for (let j = 0; j < records.length; j++) {
        c.count('ack');
        const latencyMs = (timeUs - sentUs[j]) / 1000;
        const e = c.event('ack', `ack ${rec(records[j])} ${partition}@${offset < 0 ? -1 : offset + j} epoch ${ev.leaderEpoch} after ${latencyMs.toFixed(1)} ms`);
        c.sample(e);
        c.watch([records[j]], e);
      }
      return true;
    }
    case 'send-fail': {
      const category = ev.definite ? 'fail' : 'unknown';
      c.count(category);
      const e = c.event(category, `${ev.definite ? 'failed' : 'unknown outcome'} ${rec(ev.record)} ${partition}: ${ev.error}`);
      c.mark(e);
      c.watch([ev.record as number], e);
      return true;
    }
    default:
      return false;
  }
}

function drawLog(node: string | null, ev: Ev, c: TimelineCanvas): boolean {
  const partition = partitionOf(ev);
  switch (ev.type) {
    case 'append': {
      const records = ev.records as number[];
      const category = ev.role === 'leader' ? 'append' : 'replicate';
      c.count(category, records.length);
      const last = (ev.baseOffset as number) + records.length - 1;
      const e = c.event(category, `${node} ${ev.role} appended ${partition} offsets ${ev.baseOffset}..${last} (epoch ${ev.leaderEpoch})`);
      c.sample(e);
      c.watch(records, e);
      return true;
    }
    case 'hw':
      c.count('hw');
      c.sample(c.event('hw', `${partition} high watermark ${ev.hw} (epoch ${ev.leaderEpoch})`));
      return true;
    case 'truncate':
    case 'log-lost': {
      const removed = ev.removed as number[];
      const why = ev.type === 'truncate' ? `${ev.reason} truncation` : `lost to ${ev.cause}`;
      const from = Math.min(ev.fromOffset as number, ev.toOffset as number);
      const to = Math.max(ev.fromOffset as number, ev.toOffset as number) - 1;
      const verb = ev.type === 'truncate' ? 'truncated' : 'lost';
      const e = c.event(ev.type, `${node} ${verb} ${partition} offsets ${from}..${to} (${removed.length} records, ${why})`, partition);
      c.count(ev.type);
      c.mark(e);
      c.watch(removed, e);
      return true;
    }
    case 'stop-replica': {
      c.count('control');
      c.mark(c.event('isr', `${node} stopped replicating ${partition} and deleted its log (LEO ${ev.logEndOffset}): a reassignment removed it`, partition));
      return true;
    }
    case 'produce-error':
      c.count('produce-error');
      c.mark(c.event('produce-error', `${node} refused a produce to ${partition} from ${ev.producer}: ${ev.error}`));
      return true;
    default:
      return false;
  }
}

function drawLeadership(ev: Ev, c: TimelineCanvas): boolean {
  const partition = partitionOf(ev);
  switch (ev.type) {
    case 'election': {
      const leader = ev.leader as string | null;
      const isr = ev.isr as string[];
      c.segment(partition, { leader, epoch: ev.leaderEpoch as number, members: isr });
      c.count('control');
      const what = leader === null ? 'no eligible replica: offline' : `${leader} leader with LEO ${ev.leaderLogEndOffset}`;
      c.mark(c.event('election', `${ev.kind} election of ${partition}, epoch ${ev.leaderEpoch}: ${what}, ISR [${isr.join(',')}]`, partition));
      return true;
    }
    case 'operation':
      // A scripted operation (scenario `operations`): create-partitions, delete-records, a consumer close...
      c.count('control');
      c.mark(c.event('operation', `${ev.operation} ${ev.subject}${ev.error === null ? '' : `: refused, ${ev.error}`}`));
      return true;
    case 'reassignment': {
      const current = c.currentSegment(partition);
      c.segment(partition, { leader: current?.leader ?? null, epoch: ev.leaderEpoch as number, members: current?.members ?? [] });
      c.count('control');
      const replicas = `replicas [${(ev.replicas as string[]).join(',')}]`;
      const moving = ev.phase === 'started' ? ` adding [${(ev.adding as string[]).join(',')}], removing [${(ev.removing as string[]).join(',')}]` : '';
      c.mark(c.event('operation', `${partition} reassignment ${ev.phase}: ${replicas}${moving} (epoch ${ev.leaderEpoch})`, partition));
      return true;
    }
    case 'isr-shrink':
    case 'isr-expand': {
      const isr = ev.isr as string[];
      c.segment(partition, { leader: c.currentSegment(partition)?.leader ?? null, epoch: ev.leaderEpoch as number, members: isr });
      c.count('control');
      const change = ev.byController ? 'shrank by the controller' : ev.type === 'isr-shrink' ? 'shrank' : 'expanded';
      c.mark(c.event('isr', `${partition} ISR ${change} to [${isr.join(',')}] (epoch ${ev.leaderEpoch})`, partition));
      return true;
    }
    default:
      return false;
  }
}

function drawConsumption(ev: Ev, c: TimelineCanvas): boolean {
  const partition = partitionOf(ev);
  switch (ev.type) {
    case 'poll':
      c.count('poll', Math.max(0, (ev.toOffset as number) - (ev.fromOffset as number)));
      c.sample(c.event('poll', `${ev.member} polled ${partition} offsets ${ev.fromOffset}..${(ev.toOffset as number) - 1}`));
      return true;
    case 'process': {
      const records = ev.records as number[];
      const offsets = ev.offsets as number[];
      c.count('process', records.length);
      for (let j = 0; j < records.length; j++) c.watch([records[j]], c.event('process', `${ev.member} processed ${rec(records[j])} ${partition}@${offsets[j]}`));
      return true;
    }
    case 'commit':
    case 'commit-ok':
    case 'commit-fail':
      c.count('commit');
      c.sample(c.event('commit', `${ev.member} ${ev.type}${ev.error ? ` ${ev.error}` : ''} ${(ev.partitions as string[]).join(',')}`));
      return true;
    case 'rebalance-start':
    case 'rebalance-end': {
      c.count('control');
      const what =
        ev.type === 'rebalance-start' ? `rebalance from generation ${ev.generation} (${ev.reason})` : `generation ${ev.generation} stable, ${ev.members} members`;
      c.mark(c.event('rebalance', `group ${ev.group} ${what}`));
      return true;
    }
    default:
      return false;
  }
}

export function drawKafkaEvent({ timeUs, node, event: ev }: TimelineModelEvent, c: TimelineCanvas): void {
  if (drawProduce(timeUs, ev, c) || drawLog(node, ev, c) || drawLeadership(ev, c) || drawConsumption(ev, c)) return;
  const partition = partitionOf(ev);
  c.count('other');
  c.sample(c.event('other', `${node ?? 'cluster'} ${ev.type}${partition ? ` ${partition}` : ''}`));
}
