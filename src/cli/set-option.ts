// What `--set` (and sweep's `--grid`) means, said once for every command's --help: a Kafka user
// setting a client key on the command line expects every client of that kind to get it, as a
// deployment-wide client properties file would, whatever the scenario's producers or groups state.

export const SET_EXPLAINED = `--set takes a dotted scenario key (durationMs, limits.eventsMax, network.crossAz.latencyUsMean,
cluster.broker.rack, ...) or a Kafka config key by its Kafka name; the value is parsed as JSON when it
is JSON, else taken as a string. A config key set this way (or by --grid) applies to every client,
topic and broker of its scope, replacing what the scenario states for one producer, group, member or
topic. One of them by name: --set producers.p1.acks=1, --set groups.billing.commit=before-processing,
--set groups.billing.members.billing-1.max.poll.records=10, --set topics.orders.min.insync.replicas=2.
run --json lists every effective config value with its source (default, preset msk, scenario <field>,
--set <key>, or implicit: Kafka's rule between keys, as enable.idempotence=false under acks=1).`;
