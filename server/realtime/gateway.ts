import type { Server as HttpServer } from 'node:http';
import type { Logger } from 'pino';
import { Server, type ServerOptions, type Socket } from 'socket.io';
import { z } from 'zod';
import { notificationsFor } from '../../shared/domain/notifications.ts';
import { clientCommandSchema } from '../../shared/protocol/commands.ts';
import type { Ack } from '../../shared/protocol/ack.ts';
import { pickLang, wireError, type ErrorCode, type Lang } from '../../shared/protocol/errors.ts';
import type { ServerToClient } from '../../shared/protocol/socket.ts';
import type { WireError } from '../../shared/protocol/wire-error.ts';
import { OLDEST_PROTOCOL_VERSION, PROTOCOL_VERSION, protocolFit } from '../../shared/protocol/version.ts';
import type { GroupHost } from '../groups/host.ts';
import type { Outcome } from '../groups/runtime.ts';
import { attempt, type CommandLimits, type ConnectionCounter } from '../http/limits.ts';
import { clientAddress, isAllowedOrigin } from '../http/session.ts';
import { authenticateMember } from '../identity/authenticate.ts';
import type { IdentityStore } from '../identity/identity.ts';
import type { Metrics } from '../metrics.ts';

/** Largest Socket.IO message accepted; a command is a few hundred bytes. */
export const MAX_SOCKET_MESSAGE_BYTES = 16 * 1024;

const handshakeSchema = z.object({
  groupId: z.string().regex(/^[A-Za-z0-9_-]{6,64}$/),
  protocolVersion: z.number().int(),
  lang: z.string().optional(),
});

interface SocketData {
  groupId: string;
  memberId: string;
  sessionId: string;
  lang: Lang;
}

export const memberRoom = (groupId: string, memberId: string) => `m:${groupId}:${memberId}`;
export const sessionRoom = (groupId: string, sessionId: string) => `s:${groupId}:${sessionId}`;
export const groupRoom = (groupId: string) => `g:${groupId}`;

/**
 * The write side: one Socket.IO connection per open board. The handshake authenticates the
 * member (session cookie) and checks the protocol version; every `command` is parsed with the
 * shared zod schema here, at the edge, and the GroupRuntime only ever sees typed commands.
 */
export function createGateway(opts: {
  httpServer: HttpServer;
  /** Scale-out: the Redis streams adapter shares broadcasts and member rooms between nodes. */
  adapter?: ServerOptions['adapter'];
  host: GroupHost;
  identity: IdentityStore;
  allowedOrigins: readonly string[];
  trustProxy: number;
  connections: ConnectionCounter;
  limits: CommandLimits;
  log: Logger;
  metrics: Metrics;
}) {
  const { host, identity, log, metrics, limits } = opts;
  const io = new Server<Record<string, never>, ServerToClient, Record<string, never>, SocketData>(opts.httpServer, {
    // Websocket only: no long-polling sessions, so load balancers need no stickiness.
    transports: ['websocket'],
    maxHttpBufferSize: MAX_SOCKET_MESSAGE_BYTES,
    serveClient: false,
    allowRequest: (req, done) => done(null, isAllowedOrigin(req, opts.allowedOrigins)),
    ...(opts.adapter && { adapter: opts.adapter }),
  });

  io.use(async (socket, next) => {
    const lang = pickLang((socket.handshake.auth as { lang?: unknown })?.lang);
    const refuse = (code: ErrorCode, details?: Record<string, unknown>) => {
      const err = new Error(code) as Error & { data: WireError };
      err.data = wireError(code, lang, details);
      next(err);
    };
    try {
      const hs = handshakeSchema.safeParse(socket.handshake.auth);
      if (!hs.success) return refuse('INVALID_INPUT');
      const fit = protocolFit(hs.data.protocolVersion);
      if (fit !== 'ok') return refuse('PROTOCOL_MISMATCH', { reason: fit, protocol: PROTOCOL_VERSION, oldest: OLDEST_PROTOCOL_VERSION });
      const auth = await authenticateMember({ identity, host }, socket.request.headers.cookie, hs.data.groupId);
      if (!auth.ok) return refuse(auth.refusal);
      const { token, sessionId, member } = auth;
      await identity.touchSession(token);
      const address = clientAddress(socket.request, opts.trustProxy);
      if (!opts.connections.tryOpen(address)) return refuse('RATE_LIMITED');
      socket.once('disconnect', () => opts.connections.close(address));
      socket.data = { groupId: hs.data.groupId, memberId: member.id, sessionId, lang };
      next();
    } catch (err) {
      log.error({ err }, 'socket handshake failed');
      refuse('INTERNAL');
    }
  });

  io.on('connection', (socket: Socket) => {
    const { groupId, memberId, sessionId, lang } = socket.data as SocketData;
    metrics.socketConnections.inc();
    socket.join([groupRoom(groupId), memberRoom(groupId, memberId), sessionRoom(groupId, sessionId)]);
    socket.emit('hello', { protocol: PROTOCOL_VERSION, oldest: OLDEST_PROTOCOL_VERSION });
    socket.on('disconnect', () => metrics.socketConnections.dec());
    socket.on('command', (raw: unknown, ack: unknown) => {
      if (typeof ack !== 'function') return;
      const reply = ack as (a: Ack) => void;
      // Whatever goes wrong below, the member gets an answer.
      handle(raw, reply).catch((err) => {
        log.error({ err, groupId }, 'command failed');
        reply({ ok: false, error: wireError('INTERNAL', lang) });
      });
    });
    const handle = async (raw: unknown, reply: (a: Ack) => void) => {
      const started = process.hrtime.bigint();
      const answer = (outcome: Outcome) =>
        reply(
          outcome.ok
            ? { ok: true, version: outcome.version, result: outcome.result }
            : { ok: false, error: wireError(outcome.error.code, lang, outcome.error.details) },
        );
      const limited = (type: string, retryAfter: number) => {
        metrics.commands.inc({ type, outcome: 'RATE_LIMITED' });
        reply({ ok: false, error: wireError('RATE_LIMITED', lang, { retryAfter }) });
      };
      // Per connection before any work, so garbage costs nothing to refuse.
      const connectionWait = await attempt(limits.byConnection, socket.id);
      if (connectionWait !== null) return limited('limited', connectionWait);
      const parsed = clientCommandSchema.safeParse(raw);
      if (!parsed.success) {
        metrics.commands.inc({ type: 'invalid', outcome: 'INVALID_INPUT' });
        const issues = parsed.error.issues.slice(0, 5).map((i) => ({ path: i.path.join('.'), message: i.message }));
        return reply({ ok: false, error: wireError('INVALID_INPUT', lang, { issues }) });
      }
      const { id, type, payload } = parsed.data;
      // Every refusal is counted, these two as well (a phone on a stale group, a group gone).
      const refused = (code: 'FORBIDDEN' | 'GROUP_NOT_FOUND') => {
        metrics.commands.inc({ type, outcome: code });
        reply({ ok: false, error: wireError(code, lang) });
      };
      if (parsed.data.groupId !== groupId) return refused('FORBIDDEN');
      try {
        const runtime = await host.get(groupId);
        if (!runtime) return refused('GROUP_NOT_FOUND');
        const env = { id, actor: memberId, command: { type, payload } as never };
        // A resend gets its first answer whatever the limits say: the phone only asks again
        // because the answer was lost, and it spent its budget the first time.
        const earlier = await runtime.answered(env);
        if (earlier) {
          await limits.byConnection.reward(socket.id, 1);
          return answer(earlier);
        }
        const memberWait =
          (await attempt(limits.byMember, `${groupId}:${memberId}`)) ??
          (type === 'chat.send' ? await attempt(limits.chatByMember, `${groupId}:${memberId}`) : null);
        if (memberWait !== null) {
          // A resend older than what the runtime remembers is still answered, not limited.
          const recorded = await runtime.recorded(env);
          // (A store that cannot say leaves the limit's answer standing.)
          if (recorded && (recorded.ok || recorded.error.code !== 'STORE_UNAVAILABLE')) {
            await limits.byConnection.reward(socket.id, 1);
            return answer(recorded);
          }
          return limited(type, memberWait);
        }
        const outcome = await runtime.execute(env);
        metrics.commands.inc({ type, outcome: outcome.ok ? 'ok' : outcome.error.code });
        metrics.commandSeconds.observe({ type }, Number(process.hrtime.bigint() - started) / 1e9);
        answer(outcome);
      } catch (err) {
        log.error({ err, groupId, type }, 'command failed');
        metrics.commands.inc({ type, outcome: 'INTERNAL' });
        reply({ ok: false, error: wireError('INTERNAL', lang) });
      }
    };
  });

  // Notifications go out once per command, from the node that decided it: the adapter carries
  // them to the member's sockets on every node. A node copying the events in stays silent.
  const unsubscribe = host.onCommitted((runtime, events, source) => {
    if (source !== 'local') return;
    for (const env of events) {
      for (const { memberId, notification } of notificationsFor(runtime.state, env)) {
        io.to(memberRoom(runtime.id, memberId)).emit('notify', { ...notification, seq: env.seq });
      }
    }
  });

  return {
    io,
    /** Whether members have Socket.IO connections to the group on this node. */
    hasConnections: (groupId: string) => (io.sockets.adapter.rooms.get(groupRoom(groupId))?.size ?? 0) > 0,
    disconnectMember(groupId: string, memberId: string) {
      io.in(memberRoom(groupId, memberId)).disconnectSockets(true);
    },
    disconnectSession(groupId: string, sessionId: string) {
      io.in(sessionRoom(groupId, sessionId)).disconnectSockets(true);
    },
    close: () =>
      new Promise<void>((resolve) => {
        unsubscribe();
        io.close(() => resolve());
      }),
  };
}
