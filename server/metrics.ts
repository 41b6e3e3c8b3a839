import client from 'prom-client';

/** Prometheus metrics, one registry per server so tests can run several in one process. */
export function createMetrics() {
  const registry = new client.Registry();
  client.collectDefaultMetrics({ register: registry });
  return {
    registry,
    commands: new client.Counter({
      name: 'huzhu_commands_total',
      help: 'Commands handled, by type and outcome (ok, or the error code)',
      labelNames: ['type', 'outcome'] as const,
      registers: [registry],
    }),
    commandSeconds: new client.Histogram({
      name: 'huzhu_command_duration_seconds',
      help: 'Time from receiving a command to its ack (decide, durable append, project)',
      labelNames: ['type'] as const,
      buckets: [0.0005, 0.001, 0.002, 0.005, 0.01, 0.02, 0.05, 0.1, 0.25, 1],
      registers: [registry],
    }),
    socketConnections: new client.Gauge({
      name: 'huzhu_socketio_connections',
      help: 'Open Socket.IO connections',
      registers: [registry],
    }),
    yjsConnections: new client.Gauge({
      name: 'huzhu_yjs_connections',
      help: 'Open Yjs websocket connections',
      registers: [registry],
    }),
    awarenessRelays: new client.Counter({
      name: 'huzhu_awareness_relay_messages_total',
      help: 'Batched awareness messages sent to clients',
      registers: [registry],
    }),
    awarenessReceived: new client.Counter({
      name: 'huzhu_awareness_received_messages_total',
      help: 'Awareness messages received from clients (each carries one presence state)',
      registers: [registry],
    }),
    docBroadcastSeconds: new client.Histogram({
      name: 'huzhu_doc_broadcast_seconds',
      help: 'Time to send one (merged) doc update to every connection of a group; one per event-loop turn with changes',
      buckets: [0.0005, 0.001, 0.002, 0.005, 0.01, 0.02, 0.05, 0.1],
      registers: [registry],
    }),
    storeBatchSeconds: new client.Histogram({
      name: 'huzhu_store_batch_seconds',
      help: 'SQLite: time from a batch of writes leaving for the writer thread to its answer (waiting behind up to 2 other batches, the commit and its fsync, two thread hops); every ack waits for one',
      buckets: [0.0005, 0.001, 0.002, 0.005, 0.01, 0.02, 0.05, 0.1, 0.25, 1],
      registers: [registry],
    }),
    checkpointFailures: new client.Counter({
      name: 'huzhu_store_checkpoint_failures_total',
      help: 'SQLite: copies of the WAL back into the database that failed (the commits go on, the WAL grows to the writer\'s backstop)',
      registers: [registry],
    }),
    groupsLoaded: new client.Gauge({ name: 'huzhu_groups_loaded', help: 'Groups loaded on this node', registers: [registry] }),
  };
}

export type Metrics = ReturnType<typeof createMetrics>;
