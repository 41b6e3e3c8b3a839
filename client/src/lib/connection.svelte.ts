import type { Socket } from 'socket.io-client';
import { IndexeddbPersistence } from 'y-indexeddb';
import { WebsocketProvider } from 'y-websocket';
import * as Y from 'yjs';
import type { Notification } from '../../../shared/domain/notifications.ts';
import type { Ack as WireAck } from '../../../shared/protocol/ack.ts';
import type { ClientCommandInput } from '../../../shared/protocol/commands.ts';
import type { Lang } from '../../../shared/protocol/errors.ts';
import type { Hello, Notify } from '../../../shared/protocol/notify.ts';
import type { PresenceFields } from '../../../shared/protocol/presence.ts';
import { YJS_CLOSE } from '../../../shared/protocol/socket.ts';
import { PROTOCOL_VERSION } from '../../../shared/protocol/version.ts';
import { docParts } from '../../../shared/ydoc.ts';
import { translate } from './i18n.ts';
import { readOnlyProvider } from './provider.ts';

/** What the header shows: the link to the server as a member feels it. */
export type LinkState = 'connecting' | 'online' | 'reconnecting' | 'offline' | 'signedOut' | 'outdated';

/** The server's ack, or NETWORK when none came (shared/protocol/ack.ts). */
export type Ack = WireAck | { ok: false; error: { code: 'NETWORK'; message: string } };

type CommandBody = { [C in ClientCommandInput as C['type']]: { type: C['type']; payload: C['payload'] } }[ClientCommandInput['type']];

/** An ack that does not arrive in this time is resent under the same id (the server dedupes). */
const COMMAND_TIMEOUT_MS = 8000;
const COMMAND_ATTEMPTS = 4;
/**
 * A command tapped offline waits this long for the connection to come back (the card says it will
 * be sent when back online), then reports a network error. Long, because a cheap phone on a bus
 * loses its network for minutes; bounded, because a claim sent an hour late surprises its sender.
 */
const RECONNECT_WAIT_MS = 30 * 60_000;
/** At the latest, how long after a first sync the board's IndexedDB copy starts. */
const CACHE_START_MS = 2000;
/** How long (on average) before trying again a node that is older than this app. */
const SERVER_BEHIND_RETRY_MS = 5000;

/** Ids must work on plain http (a laptop on the LAN), where crypto.randomUUID does not exist. */
export function newCommandId(): string {
  const bytes = crypto.getRandomValues(new Uint8Array(16));
  return Array.from(bytes, (b) => b.toString(16).padStart(2, '0')).join('');
}

export interface ConnectionOptions {
  lang: () => Lang;
  /** A projector connects read-only with its display token: no Socket.IO, no presence. */
  displayToken?: string;
  onNotify?: (n: Notification) => void;
}

/**
 * One open board: the Socket.IO connection that carries commands, and the read-only Y.Doc fed by
 * y-websocket, cached in IndexedDB so a reload shows the last known board at once. The doc is
 * replaced when the server's epoch differs from the cached one (docs/protocol.md).
 */
export class GroupConnection {
  #socketUp = $state(false);
  #docUp = $state(false);
  #everUp = $state(false);
  #signedOut = $state(false);
  #outdated = $state(false);
  /** The server speaks a newer protocol than this app but still serves it: reload when convenient. */
  #newerApp = $state(false);
  #online = $state(typeof navigator === 'undefined' ? true : navigator.onLine);
  /** The current doc and its provider; replaced together on an epoch change. */
  doc = $state.raw(new Y.Doc());
  provider = $state.raw<WebsocketProvider | null>(null);
  /** True once the doc has caught up with the server on this connection. */
  synced = $state(false);
  /**
   * True once the doc holds the board: loaded from the IndexedDB copy, or synced. Until then the
   * page's first screen stands in for it (client/src/lib/first-screen.ts).
   */
  ready = $state(false);
  /**
   * Socket.IO, opened by `start`. Its library is a chunk of its own that loads then, after the first
   * card has painted, not before it (docs/client.md, "First screen"); a command waits for it.
   */
  #socket: Promise<Socket | null> = Promise.resolve(null);
  #persistence: IndexeddbPersistence | null = null;
  #cacheScheduled = false;
  #destroyed = false;
  #cleanups: (() => void)[] = [];

  constructor(
    readonly groupId: string,
    private readonly opts: ConnectionOptions,
  ) {}

  /** A newer app is out; this one keeps working (docs/protocol.md, "Versions"). */
  get updateAvailable() {
    return this.#newerApp && !this.#outdated;
  }

  get status(): LinkState {
    if (this.#outdated) return 'outdated';
    if (this.#signedOut) return 'signedOut';
    if (!this.#online) return 'offline';
    const up = this.#docUp && (this.opts.displayToken !== undefined || this.#socketUp);
    if (up) return 'online';
    return this.#everUp ? 'reconnecting' : 'connecting';
  }

  async start(): Promise<void> {
    const onOnline = () => (this.#online = true);
    const onOffline = () => (this.#online = false);
    window.addEventListener('online', onOnline);
    window.addEventListener('offline', onOffline);
    this.#cleanups.push(() => {
      window.removeEventListener('online', onOnline);
      window.removeEventListener('offline', onOffline);
    });
    if (this.opts.displayToken === undefined) this.#socket = this.#connectSocket();
    await this.#openDoc(true);
  }

  async #openDoc(useCache: boolean) {
    const doc = new Y.Doc();
    let epoch: string | null = null;
    if (useCache && typeof indexedDB !== 'undefined') {
      const persistence = new IndexeddbPersistence(this.#cacheName, doc);
      await persistence.whenSynced;
      const cached = docParts(doc).meta.get('epoch');
      epoch = typeof cached === 'string' ? cached : null;
      // Nothing usable cached (a first visit): the cache starts once the board has synced, below.
      if (epoch) {
        this.#persistence = persistence;
        this.ready = true;
      } else void persistence.clearData();
    }
    if (this.#destroyed) return;
    const params: Record<string, string> = { v: String(PROTOCOL_VERSION) };
    if (epoch) params.epoch = epoch;
    if (this.opts.displayToken) params.token = this.opts.displayToken;
    const wsBase = `${location.protocol === 'https:' ? 'wss' : 'ws'}://${location.host}/yjs`;
    const provider = new WebsocketProvider(wsBase, this.groupId, doc, { params, disableBc: true });
    readOnlyProvider(provider);
    provider.on('status', ({ status }) => {
      this.#docUp = status === 'connected';
      if (status === 'connected') this.#everUp = true;
      else this.synced = false;
    });
    provider.on('sync', (isSynced: boolean) => {
      this.synced = isSynced;
      if (isSynced) this.ready = true;
      // From now on a reconnect names this doc's epoch, so a rebuilt server doc is never merged in.
      const current = docParts(doc).meta.get('epoch');
      if (isSynced && typeof current === 'string') provider.params.epoch = current;
      if (isSynced) this.#cacheWhenIdle(doc);
    });
    provider.on('connection-close', (event) => {
      if (event?.code === YJS_CLOSE.EPOCH_CHANGED) void this.#resetDoc();
      // Signed out, removed, or an app older than the server: reconnecting cannot help. (A server
      // older than the app, SERVER_TOO_OLD, is left to the provider's own reconnecting.)
      else if (event?.code === YJS_CLOSE.REMOVED || event?.code === YJS_CLOSE.PROTOCOL_MISMATCH) {
        if (event.code === YJS_CLOSE.REMOVED) this.#signedOut = true;
        else this.#outdated = true;
        provider.disconnect();
      }
    });
    this.doc = doc;
    this.provider = provider;
  }

  get #cacheName() {
    return `huzhu-board-${this.groupId}`;
  }

  /**
   * Start the IndexedDB copy of a doc that was synced from empty (a first visit, a new epoch), once
   * the page is idle: it stores the whole doc then, and each update after. Attached before the sync,
   * y-indexeddb's update listener would make Yjs encode the whole first sync again while the board
   * waits for its first card (~90 ms of a cheap phone's time for 1,000 tasks, docs/benchmarks.md).
   */
  #cacheWhenIdle(doc: Y.Doc) {
    if (this.#persistence || this.#cacheScheduled || typeof indexedDB === 'undefined') return;
    this.#cacheScheduled = true;
    const start = () => {
      if (!this.#destroyed && this.doc === doc && !this.#persistence) this.#persistence = new IndexeddbPersistence(this.#cacheName, doc);
    };
    if (typeof requestIdleCallback === 'function') {
      const idle = requestIdleCallback(start, { timeout: CACHE_START_MS });
      this.#cleanups.push(() => cancelIdleCallback(idle));
    } else {
      const timer = setTimeout(start, CACHE_START_MS);
      this.#cleanups.push(() => clearTimeout(timer));
    }
  }

  /** The server's doc is another epoch: forget the cached one and sync from empty. */
  async #resetDoc() {
    const old = this.provider;
    const oldDoc = this.doc;
    this.provider = null;
    this.ready = false;
    old?.destroy();
    if (this.#persistence) await this.#persistence.clearData();
    this.#persistence = null;
    this.#cacheScheduled = false;
    oldDoc.destroy();
    if (!this.#destroyed) await this.#openDoc(false);
  }

  async #connectSocket(): Promise<Socket | null> {
    // Not loaded (offline, and the service worker had not cached it yet): commands answer NETWORK.
    const library = await import('socket.io-client').catch(() => null);
    if (!library || this.#destroyed) return null;
    const socket = library.io({
      transports: ['websocket'],
      auth: (cb) => cb({ groupId: this.groupId, protocolVersion: PROTOCOL_VERSION, lang: this.opts.lang() }),
    });
    socket.on('connect', () => {
      this.#socketUp = true;
      this.#everUp = true;
      this.#signedOut = false;
    });
    socket.on('disconnect', () => (this.#socketUp = false));
    socket.on('connect_error', (err: Error & { data?: { code?: string; details?: { reason?: string } } }) => {
      const code = err.data?.code;
      // Refused by the server: retrying will not help until the member joins again.
      if (code === 'UNAUTHENTICATED' || code === 'MEMBER_INACTIVE' || code === 'GROUP_NOT_FOUND' || code === 'PENDING_APPROVAL') this.#signedOut = true;
      if (code !== 'PROTOCOL_MISMATCH') return;
      // This app is newer than the node it reached (a rolling deploy): reloading would fetch the
      // same app; a later try reaches an updated node. Socket.IO does not retry a refused handshake.
      if (err.data?.details?.reason === 'serverTooOld') {
        const retry = setTimeout(() => !this.#destroyed && socket.connect(), SERVER_BEHIND_RETRY_MS * (0.5 + Math.random()));
        this.#cleanups.push(() => clearTimeout(retry));
      } else this.#outdated = true;
    });
    socket.on('hello', (hello: Hello) => (this.#newerApp = hello.protocol > PROTOCOL_VERSION));
    // Typed by notifySchema (shared/protocol/notify.ts), not parsed: zod stays out of the board
    // (docs/client.md, Budget); the tests parse what the server sends with it.
    socket.on('notify', (n: Notify) => this.opts.onNotify?.(n));
    return socket;
  }

  /** Send a command; resolves with the server's ack, or a NETWORK error after the retries. */
  async command(body: CommandBody): Promise<Ack> {
    const socket = await this.#socket;
    const full = { id: newCommandId(), groupId: this.groupId, ...body };
    // While disconnected the command waits for the connection rather than sitting in Socket.IO's
    // buffer, and only timeouts on a live connection count as attempts.
    for (let attempt = 0; socket && attempt < COMMAND_ATTEMPTS; ) {
      if (!socket.connected) {
        if (await reconnected(socket)) continue;
        break;
      }
      try {
        return (await socket.timeout(COMMAND_TIMEOUT_MS).emitWithAck('command', full)) as Ack;
      } catch {
        // No ack in time: the command may or may not have landed. Resend the same id; the
        // server answers a known id with its first answer.
        attempt++;
      }
    }
    return { ok: false, error: { code: 'NETWORK', message: translate(this.opts.lang(), 'networkError') } };
  }

  /** Publish this member's presence fields (the server binds the member id). */
  setPresence(fields: Partial<PresenceFields>) {
    const awareness = this.provider?.awareness;
    if (!awareness) return;
    awareness.setLocalState({ ...(awareness.getLocalState() ?? {}), ...fields });
  }

  destroy() {
    if (this.#destroyed) return;
    this.#destroyed = true;
    for (const c of this.#cleanups) c();
    this.provider?.destroy();
    void this.#socket.then((socket) => socket?.close());
    void this.#persistence?.destroy();
    this.doc.destroy();
  }
}

/** Wait for the socket to connect again; false after RECONNECT_WAIT_MS. */
function reconnected(socket: Socket): Promise<boolean> {
  return new Promise((resolve) => {
    const timer = setTimeout(() => {
      socket.off('connect', on);
      resolve(false);
    }, RECONNECT_WAIT_MS);
    const on = () => {
      clearTimeout(timer);
      resolve(true);
    };
    socket.once('connect', on);
  });
}
