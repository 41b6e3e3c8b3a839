import { randomUUID } from 'node:crypto';
import { io, type Socket } from 'socket.io-client';
import { WebSocket } from 'ws';
import { WebsocketProvider } from 'y-websocket';
import * as Y from 'yjs';
import type { ClientCommandInput } from '../shared/protocol/commands.ts';
import { createdResponse, joinedResponse } from '../shared/protocol/responses.ts';
import { ackSchema } from '../shared/protocol/ack.ts';
import { notifySchema } from '../shared/protocol/notify.ts';
import { PROTOCOL_VERSION } from '../shared/protocol/version.ts';
import { readOnlyProvider } from '../client/src/lib/provider.ts';

export interface Session {
  cookie: string;
  groupId: string;
  memberId: string;
  inviteCode?: string;
  recoveryCode?: string;
}

export function cookieOf(res: Response): string {
  const set = res.headers.getSetCookie().find((c) => c.startsWith('hz_sid='));
  if (!set) throw new Error('no session cookie');
  return set.split(';')[0] as string;
}

export async function api(url: string, method: string, path: string, body?: unknown, cookie?: string, headers: Record<string, string> = {}) {
  const res = await fetch(url + path, {
    method,
    headers: { 'content-type': 'application/json', ...(cookie && { cookie }), ...headers },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await res.text();
  let json: any = null;
  try {
    json = JSON.parse(text);
  } catch {
    json = text;
  }
  return { status: res.status, json, res };
}

export async function createGroup(url: string, name = '宝妈砍价群', ownerName = '群主'): Promise<Session & { inviteCode: string; recoveryCode: string }> {
  const r = await api(url, 'POST', '/api/groups', { name, ownerName });
  if (r.status !== 201) throw new Error(`create failed: ${r.status} ${JSON.stringify(r.json)}`);
  return { cookie: cookieOf(r.res), ...createdResponse.parse(r.json) };
}

/** Join as a new member; `headers` can name the address a proxy saw (X-Forwarded-For). */
export async function joinGroup(url: string, inviteCode: string, name: string, headers: Record<string, string> = {}): Promise<Session> {
  const r = await api(url, 'POST', '/api/join', { inviteCode, name }, undefined, headers);
  if (r.status !== 201) throw new Error(`join failed: ${r.status} ${JSON.stringify(r.json)}`);
  return { cookie: cookieOf(r.res), ...joinedResponse.parse(r.json) };
}

export type Ack = { ok: true; version: number; result: any } | { ok: false; error: { code: string; message: string; details?: any } };

/**
 * A member's Socket.IO connection, with a typed command helper. Acks and notifications are parsed
 * with the wire's schemas (shared/protocol/socket.ts): a server that drifts from them fails the test.
 */
export class CommandClient {
  readonly socket: Socket;
  readonly notifications: any[] = [];

  constructor(
    url: string,
    readonly session: Session,
    opts: { lang?: string; protocolVersion?: number; localAddress?: string } = {},
  ) {
    this.socket = io(url, {
      transports: ['websocket'],
      ...(opts.localAddress && { localAddress: opts.localAddress }),
      extraHeaders: { cookie: session.cookie },
      auth: { groupId: session.groupId, protocolVersion: opts.protocolVersion ?? PROTOCOL_VERSION, lang: opts.lang ?? 'zh-CN' },
      reconnection: false,
      forceNew: true,
    });
    this.socket.on('notify', (n: unknown) => this.notifications.push(notifySchema.parse(n)));
  }

  connected(): Promise<void> {
    if (this.socket.connected) return Promise.resolve();
    return new Promise((resolve, reject) => {
      this.socket.once('connect', () => resolve());
      this.socket.once('connect_error', (err) => reject(err));
    });
  }

  send(command: Omit<ClientCommandInput, 'id' | 'groupId'> & { id?: string; groupId?: string }): Promise<Ack> {
    return this.raw({ id: randomUUID(), groupId: this.session.groupId, ...command });
  }

  async raw(payload: unknown): Promise<Ack> {
    return ackSchema.parse(await this.socket.timeout(10_000).emitWithAck('command', payload)) as Ack;
  }

  async must(command: Parameters<CommandClient['send']>[0]) {
    const ack = await this.send(command);
    if (!ack.ok) throw new Error(`${command.type} refused: ${ack.error.code}`);
    return ack;
  }

  nextNotification(kind: string): Promise<any> {
    const found = this.notifications.find((n) => n.kind === kind);
    if (found) return Promise.resolve(found);
    return new Promise((resolve) => {
      const on = (n: any) => {
        if (n.kind === kind) {
          this.socket.off('notify', on);
          resolve(n);
        }
      };
      this.socket.on('notify', on);
    });
  }

  close() {
    this.socket.close();
  }
}

/** The command clients a test opens, each connected before use; `close()` closes every one. */
export class CommandClients {
  readonly #open: CommandClient[] = [];
  constructor(private readonly url: () => string) {}

  async connect(session: Session): Promise<CommandClient> {
    const c = new CommandClient(this.url(), session);
    this.#open.push(c);
    await c.connected();
    return c;
  }

  close() {
    for (const c of this.#open.splice(0)) c.close();
  }
}

/**
 * A y-websocket client authenticated with the session cookie. `readOnly` fits it as the browser does
 * (client/src/lib/provider.ts); tests that check what the server does with a stock client leave it off.
 * `localAddress` picks the loopback address to connect from (the bench opens more sockets than one
 * source address has ports).
 */
export function yjsClient(url: string, session: { cookie?: string; groupId: string }, params: Record<string, string> = {}, opts: { readOnly?: boolean; localAddress?: string } = {}) {
  const cookie = session.cookie;
  class CookieWebSocket extends WebSocket {
    constructor(address: string) {
      super(address, { ...(cookie && { headers: { cookie } }), ...(opts.localAddress && { localAddress: opts.localAddress }) });
    }
  }
  const doc = new Y.Doc();
  const provider = new WebsocketProvider(url.replace(/^http/, 'ws') + '/yjs', session.groupId, doc, {
    WebSocketPolyfill: CookieWebSocket as unknown as typeof globalThis.WebSocket,
    disableBc: true,
    params: { v: String(PROTOCOL_VERSION), ...params },
  });
  if (opts.readOnly) readOnlyProvider(provider);
  return { doc, provider, synced: () => waitForSync(provider) };
}

export function waitForSync(provider: WebsocketProvider): Promise<void> {
  if (provider.synced) return Promise.resolve();
  return new Promise((resolve) => provider.once('sync', (s: boolean) => s && resolve()));
}

/** Resolve once the predicate holds on the doc, checking after every update. No sleeping. */
export function waitForDoc(doc: Y.Doc, predicate: (doc: Y.Doc) => boolean, what = 'condition'): Promise<void> {
  if (predicate(doc)) return Promise.resolve();
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      doc.off('update', check);
      reject(new Error(`timed out waiting for ${what}`));
    }, 10_000);
    const check = () => {
      if (predicate(doc)) {
        clearTimeout(timer);
        doc.off('update', check);
        resolve();
      }
    };
    doc.on('update', check);
  });
}
