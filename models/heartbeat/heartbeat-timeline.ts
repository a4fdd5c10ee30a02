// How the heartbeat fixture draws on `ksim timeline`: a boot is an event of its node's lane, a
// suspicion a red cross and a withdrawn one a green dot, both marked where the suspecting node
// is; heartbeats themselves are the kernel's messages. Every node is a plain "node".

import type { ModelTimeline } from '../../src/scenario/model-timeline.ts';

export const heartbeatTimeline: ModelTimeline = {
  roles: ['node'],
  laneRoles: (_scenario, nodes) => new Map(nodes.map((n) => [n, 'node'])),
  draw: ({ node, event }, c) => {
    c.count(event.type);
    if (event.type === 'boot') {
      c.sample(c.event('boot', `${node} (re)started`));
      return;
    }
    const what = event.type === 'suspect' ? 'suspects' : event.type === 'trust' ? 'trusts again' : event.type;
    c.mark(c.event(event.type, `${node} ${what}${typeof event.peer === 'string' ? ` ${event.peer}` : ''}`));
  },
  style: {
    barOrder: ['boot', 'suspect', 'trust', 'drop', 'other'],
    colors: { boot: '#1f77b4', suspect: '#d62728', trust: '#2ca02c' },
    legend: { boot: 'boots', suspect: 'suspicions', trust: 'suspicions withdrawn' },
    marks: { suspect: { shape: 'cross', color: '#d62728', keepWhenCrowded: true } },
    storyKinds: [],
    legendNote: 'red crosses: a node suspects a peer; green dots: it trusts the peer again',
  },
};
