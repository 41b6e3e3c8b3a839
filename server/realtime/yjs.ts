import type { IncomingMessage } from 'node:http';
import type { Duplex } from 'node:stream';
import * as decoding from 'lib0/decoding';
import * as encoding from 'lib0/encoding';
import type { Logger } from 'pino';
import { WebSocket, WebSocketServer } from 'ws';
import * as awarenessProtocol from 'y-protocols/awareness';
import * as syncProtocol from 'y-protocols/sync';
import * as Y from 'yjs';
import { PRESENCE_ID, PRESENCE_VIEW_MAX, VOUCHED_PRESENCE_SINCE, type PresenceFields, type PresenceState } from '../../shared/protocol/presence.ts';
import { YJS_CLOSE } from '../../shared/protocol/socket.ts';
import { PROTOCOL_VERSION, protocolFit } from '../../shared/protocol/version.ts';
import type { ConnectionCounter } from '../http/limits.ts';
import type { AuthRefusal } from '../identity/authenticate.ts';
import type { NodeBus } from './bus.ts';
import { FlushPacer } from './flush-pacer.ts';
import { sendToAll } from './frames.ts';
import { clientAddress } from '../http/session.ts';
import type { Metrics } from '../metrics.ts';

const MESSAGE_SYNC = 0;
const MESSAGE_AWARENESS = 1;
const MESSAGE_QUERY_AWARENESS = 3;

/** Presence relays are batched per group: one message per flush instead of one per change per peer. */
export const AWARENESS_FLUSH_MS = 150;
/**
 * A renewal (the same state, re-sent every 15 s so peers do not time it out at 30 s) can wait this
 * long and go with the room's other renewals: at 50 members a room then sends one renewal batch
 * every 5 s instead of one per renewal (docs/benchmarks.md, presence).
 */
export const RENEWAL_FLUSH_MS = 5_000;
/**
 * …or until this many states wait. A member parses every state of a batch: in a group of 500 a 5 s
 * batch held ~170 states for each of 500 members at once, and stalled the board behind it.
 */
export const RENEWAL_BATCH = 16;
/** y-websocket clients reconnect after 30 s without a message; something reaches them every 15 s. */
export const KEEPALIVE_MS = 15_000;
/** Connections kept alive per turn of the event loop (a few milliseconds of sends). */
const KEEPALIVE_SLICE = 200;
/** An awareness state is a few small fields; anything larger is not presence. */
const MAX_AWARENESS_STATE_BYTES = 1024;
const MAX_MESSAGE_BYTES = 256 * 1024;

/**
 * A refused upgrade's status line (docs/protocol.md, "Yjs"): a browser's websocket sees only the
 * status, so a waiting join and a closed account read as 401, like a stranger; a signed-in device
 * asking for a group that does not exist gets 404, as over HTTP.
 */
const UPGRADE_REFUSAL: Record<AuthRefusal, [number, string]> = {
  UNAUTHENTICATED: [401, 'Unauthorized'],
  PENDING_APPROVAL: [401, 'Unauthorized'],
  MEMBER_INACTIVE: [401, 'Unauthorized'],
  GROUP_NOT_FOUND: [404, 'Not Found'],
};


export interface YjsPeer {
  /** The authenticated member, or null for a read-only display (projector) connection. */
  memberId: string | null;
  /** The device session it came in on (null for a display), so signing a device out closes it. */
  sessionId: string | null;
}

export interface YjsRoomSource {
  /** Who is connecting (a member, or a projector with a display token), or why not. */
  authenticate(req: IncomingMessage, groupId: string, params: URLSearchParams): Promise<YjsPeer | AuthRefusal>;
  /** The group's doc and epoch; null answers 404. */
  room(groupId: string): Promise<{ doc: Y.Doc; epoch: string } | null>;
}

/** What y-protocols' awareness tells its 'change' and 'update' listeners. */
type AwarenessChange = { added: number[]; updated: number[]; removed: number[] };

interface Conn {
  ws: WebSocket;
  peer: YjsPeer;
  /** The awareness client id this connection speaks for, bound on its first awareness entry. */
  clientId: number | null;
  alive: boolean;
}

class Room {
  readonly conns = new Set<Conn>();
  /** Connections of apps older than VOUCHED_PRESENCE_SINCE: they drop a peer's state unless its renewals reach them. */
  readonly renewing = new Set<Conn>();
  readonly awareness: awarenessProtocol.Awareness;
  /** Client ids whose state changed (added, different, removed) since the last flush: for everyone. */
  readonly #changed = new Set<number>();
  /** …and whose unchanged state was only renewed: for the `renewing` connections alone. */
  readonly #renewed = new Set<number>();
  #flushTimer: NodeJS.Timeout | null = null;
  #flushDue = Infinity;
  /** Doc updates not yet sent: a command's ack goes out first, and updates that wait together go as one. */
  #updates: Uint8Array[] = [];
  readonly #updatePacer = new FlushPacer(() => this.#broadcastUpdates());
  readonly #onDocUpdate: (update: Uint8Array) => void;
  readonly #onAwareness: (update: AwarenessChange, origin: unknown) => void;
  readonly #onAwarenessChange: (change: AwarenessChange) => void;

  constructor(
    readonly groupId: string,
    readonly doc: Y.Doc,
    readonly epoch: string,
    private readonly metrics: Metrics,
    /** Scale-out: local presence changes go to the other nodes; theirs arrive with origin REMOTE. */
    private readonly share: ((update: Uint8Array) => void) | null,
  ) {
    this.awareness = new awarenessProtocol.Awareness(doc);
    // The server is not a peer: it publishes no presence of its own.
    this.awareness.setLocalState(null);
    this.#onDocUpdate = (update) => {
      this.#updates.push(update);
      this.#updatePacer.schedule();
    };
    // 'change' (a state that differs) comes just before its 'update' (every state received, renewals too).
    this.#onAwarenessChange = ({ added, updated, removed }) => {
      for (const id of [...added, ...updated, ...removed]) this.#changed.add(id);
      this.#scheduleAwareness(AWARENESS_FLUSH_MS);
    };
    this.#onAwareness = ({ added, updated, removed }, origin) => {
      const received = [...added, ...updated, ...removed];
      if (this.renewing.size > 0) {
        for (const id of received) if (!this.#changed.has(id)) this.#renewed.add(id);
        // Renewals wait, but not so many that one batch lands on every member as a burst.
        if (this.#renewed.size > 0) this.#scheduleAwareness(this.#renewed.size >= RENEWAL_BATCH ? AWARENESS_FLUSH_MS : RENEWAL_FLUSH_MS);
      }
      // Other nodes get renewals too: their own awareness would time these peers out without them.
      if (this.share && origin !== REMOTE && received.length) this.share(awarenessProtocol.encodeAwarenessUpdate(this.awareness, received));
    };
    doc.on('update', this.#onDocUpdate);
    this.awareness.on('change', this.#onAwarenessChange);
    this.awareness.on('update', this.#onAwareness);
  }

  /** Send the waiting doc updates now: before a member is disconnected. */
  flushUpdates() {
    this.#updatePacer.run();
  }

  /**
   * The waiting doc updates as one message to every connection. Each send is a syscall per member
   * (the server's main cost at 500 members, docs/benchmarks.md), so updates that wait together (see
   * FlushPacer) share one.
   */
  #broadcastUpdates() {
    if (this.#updates.length === 0) return;
    const stop = this.metrics.docBroadcastSeconds.startTimer();
    const update = this.#updates.length === 1 ? (this.#updates[0] as Uint8Array) : Y.mergeUpdates(this.#updates);
    this.#updates = [];
    const enc = encoding.createEncoder();
    encoding.writeVarUint(enc, MESSAGE_SYNC);
    syncProtocol.writeUpdate(enc, update);
    this.broadcast(encoding.toUint8Array(enc));
    stop();
  }

  /** Flush within `ms`: keeps an earlier flush, brings a later one forward. */
  #scheduleAwareness(ms: number) {
    const due = Date.now() + ms;
    if (this.#flushTimer && this.#flushDue <= due) return;
    if (this.#flushTimer) clearTimeout(this.#flushTimer);
    this.#flushDue = due;
    this.#flushTimer = setTimeout(() => this.flushAwareness(), ms);
  }

  /**
   * Changes go to every connection; renewals only to the apps that need them (`renewing`). A current
   * app keeps its peers' states while it is connected, because this server tells it when one goes
   * (a close, or no renewal here for 30 s): in a room of 2,000, renewals were a third of the sends.
   */
  flushAwareness() {
    if (this.#flushTimer) clearTimeout(this.#flushTimer);
    this.#flushTimer = null;
    this.#flushDue = Infinity;
    const changed = [...this.#changed].filter((id) => this.awareness.meta.has(id));
    const renewed = [...this.#renewed].filter((id) => !this.#changed.has(id) && this.awareness.states.has(id));
    this.#changed.clear();
    this.#renewed.clear();
    if (changed.length > 0) {
      this.broadcast(awarenessMessage(awarenessProtocol.encodeAwarenessUpdate(this.awareness, changed)));
      this.metrics.awarenessRelays.inc(this.conns.size);
    }
    if (renewed.length > 0 && this.renewing.size > 0) {
      const message = awarenessMessage(awarenessProtocol.encodeAwarenessUpdate(this.awareness, renewed));
      sendToAll(this.renewing, message);
      this.metrics.awarenessRelays.inc(this.renewing.size);
    }
  }

  broadcast(message: Uint8Array) {
    sendToAll(this.conns, message);
  }

  destroy() {
    if (this.#flushTimer) clearTimeout(this.#flushTimer);
    this.#updatePacer.cancel();
    this.doc.off('update', this.#onDocUpdate);
    this.awareness.off('update', this.#onAwareness);
    this.awareness.off('change', this.#onAwarenessChange);
    this.awareness.destroy();
  }
}

/**
 * The read side of the board: each group's Y.Doc over the y-websocket protocol, built on
 * y-protocols directly. Clients get the doc and its updates; their own document updates are
 * dropped (state changes only through commands). Awareness is accepted only for the
 * connection's own client id and member, and relayed in batches.
 */
export class YjsEndpoint {
  // No permessage-deflate (ws's default, said here): a broadcast's frame is made once for all
  // (`sendToAll`), and a compressing connection would take the slower way.
  readonly #wss = new WebSocketServer({ noServer: true, maxPayload: MAX_MESSAGE_BYTES, perMessageDeflate: false });
  readonly #rooms = new Map<string, Room>();
  readonly #keepalive: NodeJS.Timeout;
  #closed = false;

  constructor(
    private readonly source: YjsRoomSource,
    private readonly log: Logger,
    private readonly metrics: Metrics,
    private readonly connections: ConnectionCounter,
    private readonly trustProxy: number,
    private readonly bus: NodeBus | null = null,
  ) {
    this.#keepalive = setInterval(() => this.#tick(), KEEPALIVE_MS);
    this.#keepalive.unref();
    bus?.on((m) => {
      if (m.kind === 'awareness') void this.#remoteAwareness(m.groupId, Buffer.from(m.update, 'base64'));
      else if (m.kind === 'signout') this.disconnectSession(m.groupId, m.sessionId, false);
    });
  }

  /** Presence from another node's connections, shown to this node's (the room opens if needed). */
  async #remoteAwareness(groupId: string, update: Uint8Array) {
    const room = this.#rooms.get(groupId);
    if (room) awarenessProtocol.applyAwarenessUpdate(room.awareness, update, REMOTE);
  }

  /** Route an HTTP upgrade for /yjs/<groupId>; anything else is not ours (returns false). */
  handleUpgrade(req: IncomingMessage, socket: Duplex, head: Buffer): boolean {
    const url = new URL(req.url ?? '/', 'http://x');
    const match = /^\/yjs\/([A-Za-z0-9_-]{6,64})$/.exec(url.pathname);
    if (!match) return false;
    const groupId = match[1] as string;
    this.#accept(req, socket, head, groupId, url.searchParams).catch((err) => {
      this.log.error({ err, groupId }, 'yjs upgrade failed');
      refuseUpgrade(socket, 500, 'Internal Server Error');
    });
    return true;
  }

  async #accept(req: IncomingMessage, socket: Duplex, head: Buffer, groupId: string, params: URLSearchParams) {
    const peer = await this.source.authenticate(req, groupId, params);
    if (typeof peer === 'string') return refuseUpgrade(socket, ...UPGRADE_REFUSAL[peer]);
    const room = await this.#room(groupId);
    if (!room) return refuseUpgrade(socket, 404, 'Not Found');
    const address = clientAddress(req, this.trustProxy);
    if (!this.connections.tryOpen(address)) return refuseUpgrade(socket, 429, 'Too Many Requests');
    this.#wss.handleUpgrade(req, socket, head, (ws) => {
      ws.once('close', () => this.connections.close(address));
      const version = Number(params.get('v') ?? PROTOCOL_VERSION);
      const fit = protocolFit(version);
      if (fit === 'clientTooOld') return ws.close(YJS_CLOSE.PROTOCOL_MISMATCH, 'PROTOCOL_MISMATCH');
      if (fit === 'serverTooOld') return ws.close(YJS_CLOSE.SERVER_TOO_OLD, 'SERVER_TOO_OLD');
      // A client that cached a doc from another epoch must start afresh before any merge.
      const epoch = params.get('epoch');
      if (epoch && epoch !== room.epoch) return ws.close(YJS_CLOSE.EPOCH_CHANGED, 'EPOCH_CHANGED');
      this.#connect(room, ws, peer, version >= VOUCHED_PRESENCE_SINCE);
    });
  }

  async #room(groupId: string): Promise<Room | null> {
    const existing = this.#rooms.get(groupId);
    if (existing) return existing;
    const found = await this.source.room(groupId);
    if (!found) return null;
    // Another upgrade may have created it while we awaited.
    const again = this.#rooms.get(groupId);
    if (again) return again;
    const bus = this.bus;
    const room = new Room(groupId, found.doc, found.epoch, this.metrics, bus ? (u) => bus.publish({ kind: 'awareness', groupId, update: Buffer.from(u).toString('base64') }) : null);
    this.#rooms.set(groupId, room);
    return room;
  }

  #connect(room: Room, ws: WebSocket, peer: YjsPeer, vouched: boolean) {
    const conn: Conn = { ws, peer, clientId: null, alive: true };
    room.conns.add(conn);
    if (!vouched) room.renewing.add(conn);
    this.metrics.yjsConnections.inc();
    ws.binaryType = 'arraybuffer';
    ws.on('pong', () => (conn.alive = true));
    ws.on('message', (data: ArrayBuffer) => {
      conn.alive = true;
      try {
        this.#onMessage(room, conn, new Uint8Array(data));
      } catch (err) {
        this.log.debug({ err, groupId: room.groupId }, 'bad yjs message');
        ws.close(1003, 'bad message');
      }
    });
    ws.on('close', () => this.#disconnect(room, conn));
    ws.on('error', () => ws.terminate());
    const states = [...room.awareness.getStates().keys()];
    if (states.length) send(ws, awarenessMessage(awarenessProtocol.encodeAwarenessUpdate(room.awareness, states)));
  }

  #onMessage(room: Room, conn: Conn, data: Uint8Array) {
    const decoder = decoding.createDecoder(data);
    const type = decoding.readVarUint(decoder);
    if (type === MESSAGE_SYNC) {
      // Only step 1 (a state vector) is answered; step 2 and updates from clients are dropped:
      // clients never write the doc.
      if (decoding.readVarUint(decoder) !== syncProtocol.messageYjsSyncStep1) return;
      const enc = encoding.createEncoder();
      encoding.writeVarUint(enc, MESSAGE_SYNC);
      syncProtocol.writeSyncStep2(enc, room.doc, decoding.readVarUint8Array(decoder));
      send(conn.ws, encoding.toUint8Array(enc));
    } else if (type === MESSAGE_AWARENESS) {
      this.metrics.awarenessReceived.inc();
      const update = this.#ownAwareness(room, conn, decoding.readVarUint8Array(decoder));
      if (update) awarenessProtocol.applyAwarenessUpdate(room.awareness, update, conn);
    } else if (type === MESSAGE_QUERY_AWARENESS) {
      const states = [...room.awareness.getStates().keys()];
      send(conn.ws, awarenessMessage(awarenessProtocol.encodeAwarenessUpdate(room.awareness, states)));
    }
  }

  /**
   * Keep only the entry for this connection's own client id, with its member id bound. Drops
   * echoes of other clients' states (the stock client re-sends them), spoofed member ids,
   * oversized states and anything from a read-only display.
   */
  #ownAwareness(room: Room, conn: Conn, update: Uint8Array): Uint8Array | null {
    if (!conn.peer.memberId) return null;
    const decoder = decoding.createDecoder(update);
    const count = decoding.readVarUint(decoder);
    for (let i = 0; i < count; i++) {
      const clientId = decoding.readVarUint(decoder);
      const clock = decoding.readVarUint(decoder);
      const json = decoding.readVarString(decoder);
      if (conn.clientId === null) {
        if (this.#clientIdTaken(room, clientId, conn)) continue;
        conn.clientId = clientId;
      }
      if (clientId !== conn.clientId) continue;
      if (json.length > MAX_AWARENESS_STATE_BYTES) return null;
      const state: unknown = JSON.parse(json);
      if (state !== null && (typeof state !== 'object' || Array.isArray(state))) return null;
      let bound: PresenceState | null = null;
      if (state !== null) {
        const claimed = (state as Record<string, unknown>).memberId;
        if (claimed !== undefined && claimed !== conn.peer.memberId) return null;
        bound = { ...presenceFields(state as Record<string, unknown>), memberId: conn.peer.memberId };
      }
      const enc = encoding.createEncoder();
      encoding.writeVarUint(enc, 1);
      encoding.writeVarUint(enc, clientId);
      encoding.writeVarUint(enc, clock);
      encoding.writeVarString(enc, JSON.stringify(bound));
      return encoding.toUint8Array(enc);
    }
    return null;
  }

  #clientIdTaken(room: Room, clientId: number, self: Conn) {
    for (const c of room.conns) if (c !== self && c.clientId === clientId) return true;
    return false;
  }

  #disconnect(room: Room, conn: Conn) {
    if (!room.conns.delete(conn)) return;
    room.renewing.delete(conn);
    this.metrics.yjsConnections.dec();
    if (conn.clientId !== null) awarenessProtocol.removeAwarenessStates(room.awareness, [conn.clientId], 'close');
    // An empty room stays: it is one small object per loaded group, and a projector that
    // reconnects every few hours should not leave listeners behind on the doc each time.
  }

  /** Close every connection of a member in a group (removal, leaving). */
  disconnectMember(groupId: string, memberId: string) {
    const room = this.#rooms.get(groupId);
    if (!room) return;
    // The update saying why (member.removed) is still waiting for this turn's flush: send it first.
    room.flushUpdates();
    for (const c of room.conns) if (c.peer.memberId === memberId) c.ws.close(YJS_CLOSE.REMOVED, 'REMOVED');
  }

  /** Close a signed-out device's connections to a group, on every node. */
  disconnectSession(groupId: string, sessionId: string, tellOthers = true) {
    if (tellOthers) this.bus?.publish({ kind: 'signout', groupId, sessionId });
    const room = this.#rooms.get(groupId);
    if (!room) return;
    for (const c of room.conns) if (c.peer.sessionId === sessionId) c.ws.close(YJS_CLOSE.REMOVED, 'SIGNED_OUT');
  }

  /**
   * Keepalive: a tiny no-op doc update to every client, and a ping to find dead sockets. Two sends per
   * connection: at 6,000 connections one pass held the event loop ~250 ms (docs/benchmarks.md), so it
   * goes a slice of connections per turn and commands slip in between.
   */
  #tick() {
    const enc = encoding.createEncoder();
    encoding.writeVarUint(enc, MESSAGE_SYNC);
    syncProtocol.writeUpdate(enc, EMPTY_UPDATE);
    const message = encoding.toUint8Array(enc);
    const conns = [...this.#rooms.values()].flatMap((room) => [...room.conns]);
    const slice = (from: number) => {
      if (this.#closed) return;
      for (const c of conns.slice(from, from + KEEPALIVE_SLICE)) {
        if (c.ws.readyState !== WebSocket.OPEN) continue;
        if (!c.alive) {
          c.ws.terminate();
          continue;
        }
        c.alive = false;
        c.ws.ping();
        send(c.ws, message);
      }
      if (from + KEEPALIVE_SLICE < conns.length) setImmediate(slice, from + KEEPALIVE_SLICE);
    };
    slice(0);
  }

  /** Whether this node has open Yjs connections to the group (it then stays loaded). */
  hasConnections(groupId: string): boolean {
    return (this.#rooms.get(groupId)?.conns.size ?? 0) > 0;
  }

  /** The group was unloaded: let its room go with its doc (a later upgrade makes a new one). */
  dropRoom(groupId: string) {
    const room = this.#rooms.get(groupId);
    if (!room || room.conns.size > 0) return;
    room.destroy();
    this.#rooms.delete(groupId);
  }

  get connectionCount() {
    let n = 0;
    for (const r of this.#rooms.values()) n += r.conns.size;
    return n;
  }

  close() {
    this.#closed = true;
    clearInterval(this.#keepalive);
    for (const room of this.#rooms.values()) {
      for (const c of room.conns) c.ws.terminate();
      room.destroy();
    }
    this.#rooms.clear();
    this.#wss.close();
  }
}

const EMPTY_UPDATE = Y.encodeStateAsUpdate(new Y.Doc());
/** The origin of presence that arrived from another node: shown here, never sent back out. */
const REMOTE = Symbol('remote node');

/**
 * The presence fields a client may publish (shared/protocol/presence.ts), checked; everything else is
 * dropped. Names come from the group's member list (by the bound member id), never from the client,
 * so nobody appears as someone else.
 */
function presenceFields(state: Record<string, unknown>): PresenceFields {
  const id = (v: unknown) => (typeof v === 'string' && PRESENCE_ID.test(v) ? v : null);
  return {
    view: typeof state.view === 'string' ? state.view.slice(0, PRESENCE_VIEW_MAX) : null,
    lookingAt: id(state.lookingAt),
    draggingTaskId: id(state.draggingTaskId),
    typing: state.typing === true,
  };
}

function awarenessMessage(update: Uint8Array): Uint8Array {
  const enc = encoding.createEncoder();
  encoding.writeVarUint(enc, MESSAGE_AWARENESS);
  encoding.writeVarUint8Array(enc, update);
  return encoding.toUint8Array(enc);
}

function send(ws: WebSocket, message: Uint8Array) {
  if (ws.readyState === WebSocket.OPEN) ws.send(message);
}

/** Answer an upgrade with a plain HTTP status and close; websocket clients see it as the response. */
export function refuseUpgrade(socket: Duplex, status: number, text: string) {
  socket.end(`HTTP/1.1 ${status} ${text}\r\nConnection: close\r\nContent-Length: 0\r\n\r\n`);
}
