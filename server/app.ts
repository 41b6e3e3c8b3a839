import http from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import express, { type NextFunction, type Request, type Response } from 'express';
import helmet from 'helmet';
import type { Logger } from 'pino';
import type { Config } from './config.ts';
import { GroupHost } from './groups/host.ts';
import type { Clock } from './groups/runtime.ts';
import { accountsRouter } from './http/accounts.ts';
import { apiRouter } from './http/api.ts';
import { healthRouter } from './http/health.ts';
import { HealthFolds } from './insights/health-folds.ts';
import { ConnectionCounter, createCommandLimits, createGuessLimits, createPreviewLimits, memoryLimiters, redisLimiters, type CommandBudget } from './http/limits.ts';
import { linkVerdictRouter } from './http/link-verdict.ts';
import { standingRouter } from './http/standing.ts';
import { GroupCards } from './invite/cards.ts';
import { inviteRouter, joinPage } from './invite/router.ts';
import type { Health } from '../shared/protocol/responses.ts';
import { HttpError, sendError } from './http/context.ts';
import { newId } from './ids.ts';
import { isAllowedOrigin, sessionToken } from './http/session.ts';
import { boardPage } from './http/board-page.ts';
import { serveClient } from './http/static.ts';
import { authenticateMember } from './identity/authenticate.ts';
import { SqliteIdentityStore } from './identity/sqlite.ts';
import { createLogger } from './log.ts';
import { createMetrics } from './metrics.ts';
import { createGateway } from './realtime/gateway.ts';
import { refuseUpgrade, YjsEndpoint } from './realtime/yjs.ts';
import { SqliteEventStore } from './store/sqlite.ts';
import { RedisEventStore } from './store/redis.ts';
import { RedisIdentityStore } from './identity/redis.ts';
import { NodeBus } from './realtime/bus.ts';
import { createAdapter } from '@socket.io/redis-streams-adapter';
import { createClient } from 'redis';
import { Deliverer } from './delivery/deliverer.ts';
import { RedisDeliveryStore } from './delivery/redis.ts';
import { SqliteDeliveryStore } from './delivery/sqlite.ts';
import { webhookPayloadsFor } from './delivery/webhook-payloads.ts';
import { webhookRouter } from './http/webhook.ts';
import webPush from 'web-push';
import { pushJobsFor } from './delivery/push-jobs.ts';
import { RedisPushStore } from './delivery/push-redis.ts';
import { PushSender } from './delivery/push-sender.ts';
import { SqlitePushStore } from './delivery/push-sqlite.ts';
import { pushRouter } from './http/push.ts';

export interface ServerOptions extends Partial<Config> {
  /** The server's clock; tests pass a fake one to drive timeouts. */
  clock?: Clock;
  /** Arm real timers for claim timeouts, auto-confirm and expiry (default true). */
  timers?: boolean;
  /** Flood limits on commands (tests that send volume raise them; benchmarks too). */
  commandBudget?: CommandBudget;
  log?: Logger;
  /** Bring a group's health checkpoint forward every this many events (HEALTH_CHECKPOINT_EVERY; tests lower it). */
  healthCheckpointEvery?: number;
}

export interface RunningServer {
  url: string;
  port: number;
  host: GroupHost;
  store: SqliteEventStore | RedisEventStore;
  /** The owners' webhooks and Web Push, sent off the command path (tests run it by hand with a fake clock). */
  deliverer: Deliverer;
  /** Web Push state (subscriptions, settings, merge windows), for tests to look into. */
  push: import('./delivery/push-store.ts').PushStore;
  /** Resolves once the pushes of every commit so far are in the queue (tests, before runDue). */
  pushesQueued(): Promise<void>;
  close(): Promise<void>;
}

/**
 * Content-Security-Policy: scripts only from our origin (no inline script, no eval), sockets to our
 * origin, inline style attributes allowed (Svelte's style: directives set them), nothing framing us.
 */
const CSP = {
  'default-src': ["'self'"],
  'script-src': ["'self'"],
  'style-src': ["'self'", "'unsafe-inline'"],
  'img-src': ["'self'", 'data:'],
  'connect-src': ["'self'"],
  'worker-src': ["'self'"],
  'manifest-src': ["'self'"],
  'object-src': ["'none'"],
  'frame-ancestors': ["'none'"],
  'base-uri': ["'none'"],
  'form-action': ["'self'"],
  // Phones on a LAN reach the server over plain http; upgrading their requests would break it.
  'upgrade-insecure-requests': null,
};

/** HTTP body limit: a create or join body is well under 1 KB. */
const MAX_JSON_BYTES = '16kb';

/**
 * The composition root: one HTTP server carrying the API, the built client, Socket.IO
 * (/socket.io/, commands) and the Yjs websocket (/yjs/<groupId>, the read side).
 */
export async function startServer(options: ServerOptions = {}): Promise<RunningServer> {
  const config = {
    port: 3000,
    host: '0.0.0.0',
    dataDir: './data',
    logLevel: 'info' as Config['logLevel'],
    trustProxy: 0,
    allowedOrigins: [] as string[],
    snapshotEvery: 1000,
    idleUnloadMinutes: 10,
    maxConnectionsPerAddress: 1000,
    redisUrl: '',
    webhookAllowLocal: false,
    pushAllowLocal: false,
    pushSubject: 'mailto:push@huzhu.invalid',
    ...options,
    clientDir: path.resolve(options.clientDir ?? 'dist/client'),
  };
  const log = options.log ?? createLogger(config.logLevel);
  const clock = options.clock ?? { now: () => Date.now() };
  const metrics = createMetrics();

  // One store for the log and identity: SQLite embedded, or Redis when scaled out.
  const redis = config.redisUrl ? await RedisEventStore.connect(config.redisUrl) : null;
  const store: SqliteEventStore | RedisEventStore =
    redis ??
    new SqliteEventStore(path.join(config.dataDir, 'huzhu.sqlite'), {
      onBatch: (seconds) => metrics.storeBatchSeconds.observe(seconds),
      onCheckpointFailed: (failure) => {
        metrics.checkpointFailures.inc();
        log.warn({ failure }, 'SQLite checkpoint failed; the WAL grows until one succeeds');
      },
    });
  const identity = redis ? new RedisIdentityStore(redis.client, () => clock.now()) : new SqliteIdentityStore(store as SqliteEventStore, () => clock.now());
  const deliveries = redis ? new RedisDeliveryStore(redis.client) : new SqliteDeliveryStore(store as SqliteEventStore);
  const deliverer = new Deliverer({ store: deliveries, clock, log });
  const host = new GroupHost({
    store,
    clock,
    newId,
    log,
    snapshotEvery: config.snapshotEvery,
    timers: options.timers ?? true,
  });
  // Web Push: the keys are made once and kept (data directory, or Redis for every node).
  const push = redis ? new RedisPushStore(redis.client) : new SqlitePushStore(store as SqliteEventStore, config.dataDir);
  const vapid = await push.vapid(() => webPush.generateVAPIDKeys());
  deliverer.usePush(
    new PushSender({
      store: push,
      vapid,
      subject: config.pushSubject,
      // Caught up with the shared log first: the node leasing a push may not have followed the
      // commit that queued it yet, and a reminder is checked against the group as it is.
      group: async (groupId) => {
        const runtime = await host.get(groupId);
        await runtime?.sync();
        return runtime?.state ?? null;
      },
      enqueue: (pushes, groupId) => deliverer.queuePush(groupId, pushes),
      clock,
      log,
    }),
  );

  // 管理 → 群数据 and the invite card read one fold of each group's log, checkpointed as the log grows.
  const healthFolds = new HealthFolds(store, { log, checkpointEvery: options.healthCheckpointEvery });
  healthFolds.follow(host);

  const connections = new ConnectionCounter(config.maxConnectionsPerAddress);
  const app = express();
  app.disable('x-powered-by');
  app.use(helmet({ contentSecurityPolicy: { useDefaults: true, directives: CSP } }));
  app.set('trust proxy', config.trustProxy);
  app.use(express.json({ limit: MAX_JSON_BYTES }));
  app.get('/healthz', async (_req, res) => {
    try {
      await store.ping();
      res.json({ ok: true, store: store.kind, groupsLoaded: host.loadedCount } satisfies Health);
    } catch {
      res.status(503).json({ ok: false, store: store.kind } satisfies Health);
    }
  });
  app.get('/metrics', async (_req, res) => {
    metrics.groupsLoaded.set(host.loadedCount);
    res.type(metrics.registry.contentType).send(await metrics.registry.metrics());
  });
  const limiters = redis ? redisLimiters(redis.client) : memoryLimiters;
  const guessLimits = createGuessLimits(limiters);
  const invites = { host, identity, limits: guessLimits, cards: new GroupCards(healthFolds, clock), clock };
  app.use('/api', inviteRouter(invites));
  app.use('/api', apiRouter({ host, identity, store, limits: guessLimits, clock }));
  app.use(
    '/api',
    accountsRouter({
      host,
      identity,
      clock,
      limits: guessLimits,
      disconnect: {
        member: (groupId, memberId) => {
          gateway.disconnectMember(groupId, memberId);
          yjs.disconnectMember(groupId, memberId);
        },
        session: (groupId, sessionId) => {
          gateway.disconnectSession(groupId, sessionId);
          yjs.disconnectSession(groupId, sessionId);
          // A signed-out device is told nothing more about the group.
          void push.removeSession(groupId, sessionId).catch((err) => log.error({ err, groupId }, 'removing push subscriptions failed'));
        },
      },
    }),
  );
  app.use('/api', webhookRouter({ host, identity, deliveries, allowLocal: config.webhookAllowLocal }));
  app.use('/api', pushRouter({ host, identity, push, publicKey: vapid.publicKey, allowLocal: config.pushAllowLocal }));
  app.use('/api', standingRouter({ host, identity, store, clock }));
  app.use('/api', linkVerdictRouter({ host, identity, limits: createPreviewLimits(limiters) }));
  app.use('/api', healthRouter({ host, identity, folds: healthFolds, clock }));
  app.use('/api', (req, res) => sendError(req, res, 'NOT_FOUND'));
  app.get('/join/:code', joinPage(invites, config.clientDir));
  app.get('/g/:groupId', boardPage({ identity, host, clock }, config.clientDir, log));
  serveClient(app, config.clientDir, log);
  app.use((err: unknown, req: Request, res: Response, _next: NextFunction) => {
    if (err instanceof HttpError) return sendError(req, res, err.code, err.details);
    const type = (err as { type?: string }).type;
    if (type === 'entity.too.large') return sendError(req, res, 'PAYLOAD_TOO_LARGE');
    if (type === 'entity.parse.failed' || type === 'encoding.unsupported' || type === 'charset.unsupported') {
      return sendError(req, res, 'INVALID_INPUT');
    }
    log.error({ err, path: req.path }, 'request failed');
    sendError(req, res, 'INTERNAL');
  });

  const bus = redis ? await NodeBus.connect(redis.client) : null;
  // Scale-out: when another node appends to a loaded group's log, the group catches up, in turn
  // with its commands; what it copies in is a `remote` commit (projected, never notified again).
  const follower = redis ? await redis.follow(async (groupId) => (await host.get(groupId))?.sync(), log) : null;
  if (follower) host.onLoaded((runtime) => follower.watch(runtime.id, runtime.version));
  const httpServer = http.createServer(app);
  // The adapter gets a client with the offline queue on: its stream reader polls in a loop, and a
  // client that rejects at once while Redis is away would spin that loop and starve the process.
  const adapterClient = redis ? createClient({ url: config.redisUrl }) : null;
  if (adapterClient) {
    adapterClient.on('error', () => undefined);
    await adapterClient.connect();
  }
  const gateway = createGateway({
    httpServer,
    adapter: adapterClient ? createAdapter(adapterClient) : undefined,
    host,
    identity,
    allowedOrigins: config.allowedOrigins,
    trustProxy: config.trustProxy,
    connections,
    limits: createCommandLimits(options.commandBudget, limiters),
    log,
    metrics,
  });
  const yjs = new YjsEndpoint(
    {
      authenticate: async (req, groupId, params) => {
        const display = params.get('token');
        if (display) return (await identity.isDisplayToken(groupId, display)) ? { memberId: null, sessionId: null } : 'UNAUTHENTICATED';
        const auth = await authenticateMember({ identity, host }, req.headers.cookie, groupId);
        if (!auth.ok) return auth.refusal;
        await identity.touchSession(auth.token);
        return { memberId: auth.member.id, sessionId: auth.sessionId };
      },
      room: async (groupId) => {
        const runtime = await host.get(groupId);
        return runtime ? { doc: runtime.doc, epoch: runtime.epoch } : null;
      },
    },
    log,
    metrics,
    connections,
    config.trustProxy,
    bus,
  );
  // A removed (or refused) member loses every session and every socket at once. The node that
  // decided it signs the member out (shared identity) and drops the Socket.IO sockets (the adapter
  // reaches every node); each node closes its own Yjs sockets, once its doc says why.
  host.onCommitted((runtime, events, source) => {
    for (const { event } of events) {
      if (event.type !== 'member.removed' && event.type !== 'member.rejected') continue;
      if (source === 'local') {
        void identity.signOutEverywhere(runtime.id, event.memberId);
        gateway.disconnectMember(runtime.id, event.memberId);
      }
      yjs.disconnectMember(runtime.id, event.memberId);
    }
  });
  // The owners' webhook hears of a commit once: from the node that decided it, after the ack's
  // path (queued in the store, sent by the deliverer), never holding the command up.
  host.onCommitted((runtime, events, source) => {
    if (source !== 'local') return;
    const payloads = events.flatMap((env) => webhookPayloadsFor(runtime.id, runtime.state, env));
    if (payloads.length) void deliverer.queueWebhook(runtime.id, payloads).catch((err) => log.error({ err, groupId: runtime.id }, 'queueing webhooks failed'));
  });
  let pushQueueing = Promise.resolve();
  // Web Push the same way: queued by the deciding node after the commit, sent by whichever node
  // leases it. A member who left or was removed loses their devices' subscriptions at once.
  host.onCommitted((runtime, events, source) => {
    if (source !== 'local') return;
    const pushes = events.flatMap((env) => pushJobsFor(runtime.id, runtime.state, env));
    const gone = events.flatMap(({ event }) => (event.type === 'member.left' || event.type === 'member.removed' ? [event.memberId] : []));
    // Chained, so pushes are queued in commit order (and a test can wait for them: `pushesQueued`).
    pushQueueing = pushQueueing.then(async () => {
      for (const memberId of gone) await push.removeMember(runtime.id, memberId);
      if (!pushes.length) return;
      // Only for members with a device subscribed: a group without push queues nothing.
      const subscribed = new Set(await push.subscribedMembers(runtime.id));
      await deliverer.queuePush(runtime.id, pushes.filter((p) => (p.job.t === 'item' && p.job.to === null ? subscribed.size > 0 : subscribed.has('to' in p.job ? (p.job.to ?? '') : ''))));
    }).catch((err) => log.error({ err, groupId: runtime.id }, 'queueing pushes failed'));
  });
  deliverer.start();
  // Memory follows the active groups: one with no connection here and no timer due soon is unloaded
  // (its snapshot written), and its Yjs room and stream following go with it (docs/operations.md).
  host.keepWhile((groupId) => gateway.hasConnections(groupId) || yjs.hasConnections(groupId));
  host.onUnloaded((groupId) => {
    yjs.dropRoom(groupId);
    follower?.unwatch(groupId);
  });
  const idleMs = config.idleUnloadMinutes * 60_000;
  const sweep = idleMs > 0 ? setInterval(() => void host.unloadIdle(idleMs).catch((err) => log.error({ err }, 'unloading idle groups failed')), Math.min(idleMs, 60_000)) : null;
  sweep?.unref();
  // Socket.IO listens on 'upgrade' for /socket.io/; the Yjs endpoint takes only /yjs/ paths.
  httpServer.on('upgrade', (req, socket, head) => {
    if (req.url?.startsWith('/yjs/')) {
      // Answered, not just dropped, so a misconfigured proxy or HUZHU_ALLOWED_ORIGINS shows as a 403.
      if (!isAllowedOrigin(req, config.allowedOrigins)) return refuseUpgrade(socket, 403, 'Forbidden');
      yjs.handleUpgrade(req, socket, head);
    }
  });

  await new Promise<void>((resolve, reject) => {
    httpServer.once('error', reject);
    httpServer.listen(config.port, config.host, () => resolve());
  });
  const port = (httpServer.address() as AddressInfo).port;
  const shownHost = config.host === '0.0.0.0' || config.host === '::' ? 'localhost' : config.host;
  const url = `http://${shownHost}:${port}`;
  log.info({ url, dataDir: config.dataDir, store: store.kind }, 'huzhu board listening');

  let closing: Promise<void> | null = null;
  return {
    url,
    port,
    host,
    store,
    deliverer,
    push,
    pushesQueued: () => pushQueueing,
    close: () =>
      (closing ??= (async () => {
        if (sweep) clearInterval(sweep);
        await deliverer.close();
        yjs.close();
        // Socket.IO closes the HTTP server, which waits for open connections: end them now.
        const closed = gateway.close();
        httpServer.closeAllConnections();
        await closed;
        await follower?.close();
        await bus?.close();
        if (adapterClient?.isOpen) adapterClient.destroy();
        await host.close();
        // Checkpoints being written go to the store before it closes.
        await healthFolds.settled();
        await store.close();
      })()),
  };
}
