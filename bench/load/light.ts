/**
 * Light receivers (issue #15): simulated members that only timestamp the arrival of the message carrying
 * a command, so the bench measures the server and not its own clients. A command's chat text carries a
 * marker (`~bq…~`, letters only so no PII or link rule touches it); a receiver finds it in the raw bytes
 * of whatever arrives (a Yjs update holds chat text as plain UTF-8; a Socket.IO frame is JSON) without
 * decoding anything. The raw Socket.IO baseline is measured by the same receivers, the same way.
 * A few full y-websocket replicas beside them report what a phone pays to apply each update.
 */
import * as Y from 'yjs';
import * as awarenessProtocol from 'y-protocols/awareness';
import * as encoding from 'lib0/encoding';
import { WebSocket } from 'ws';
import type { WebsocketProvider } from 'y-websocket';
import { PROTOCOL_VERSION } from '../../shared/protocol/version.ts';
import type { Session } from '../../support/clients.ts';
import { wallNow } from './messages.ts';

const MARKER = /~b([a-z]+)~/g;
const LETTERS = 'abcdefghijklmnopqrstuvwxyz';

/** A command's marker: its number in letters (digits could read as a phone or QQ number and be redacted). */
export function markerOf(seq: number): string {
  let s = '';
  let n = seq;
  do {
    s = LETTERS[n % 26] + s;
    n = Math.floor(n / 26);
  } while (n > 0);
  return `~bq${s}~`;
}

function seqOf(letters: string): number {
  let n = 0;
  for (const c of letters.slice(1)) n = n * 26 + LETTERS.indexOf(c);
  return n;
}

/** ~300 bytes of chat, as the measure: the marker and Chinese text (3 bytes a character). */
export const markedText = (seq: number) => `${markerOf(seq)} 今天的砍价链接我都点过了，大家加油，还差几个人就能免费拿到，谢谢各位帮忙点一下，晚上八点前有效，点过的朋友回个一，我也去帮你们点，互助互利，人人有份，记得先领券再下单更便宜哦`;

/** Every marker in a message's bytes. Latin-1 keeps ASCII where it was: UTF-8's other bytes are never ASCII. */
export function markersIn(data: Buffer | ArrayBuffer | Buffer[] | string): number[] {
  const text = typeof data === 'string' ? data : Buffer.isBuffer(data) ? data.toString('latin1') : Array.isArray(data) ? Buffer.concat(data).toString('latin1') : Buffer.from(data).toString('latin1');
  if (!text.includes('~bq')) return [];
  return [...text.matchAll(MARKER)].map((m) => seqOf(m[1] as string));
}

/** When every receiver in this process had each marker. */
export class Sightings {
  receivers = 0;
  readonly #counts = new Map<number, number>();
  readonly complete = new Map<number, number>();
  readonly #waiters = new Set<() => void>();

  seen(seqs: number[], at = wallNow()) {
    for (const seq of seqs) {
      const n = (this.#counts.get(seq) ?? 0) + 1;
      if (n < this.receivers) {
        this.#counts.set(seq, n);
        continue;
      }
      this.#counts.delete(seq);
      this.complete.set(seq, at);
      for (const w of this.#waiters) w();
    }
  }

  /** Completion times of `seqs` (null where not every receiver had it within the timeout). */
  wait(seqs: number[], timeoutMs: number): Promise<Array<number | null>> {
    return new Promise((resolve) => {
      const finish = () => {
        this.#waiters.delete(check);
        clearTimeout(timer);
        resolve(seqs.map((s) => (this.receivers === 0 ? 0 : (this.complete.get(s) ?? null))));
      };
      const check = () => {
        if (this.receivers === 0 || seqs.every((s) => this.complete.has(s))) finish();
      };
      this.#waiters.add(check);
      const timer = setTimeout(finish, timeoutMs);
      check();
    });
  }

  reset() {
    this.#counts.clear();
    this.complete.clear();
  }
}

/**
 * A websocket that opens from `localAddress`, resolved once open. `onMessage` goes on before it opens:
 * what the server sends with its upgrade answer arrives in the same turn as 'open'.
 */
function openSocket(url: string, opts: { cookie?: string; localAddress: string; onMessage: (data: Buffer, isBinary: boolean, ws: WebSocket) => void }): Promise<WebSocket> {
  const ws = new WebSocket(url, { ...(opts.cookie && { headers: { cookie: opts.cookie } }), localAddress: opts.localAddress, perMessageDeflate: false });
  ws.on('message', (data: Buffer, isBinary: boolean) => opts.onMessage(data, isBinary, ws));
  return new Promise((resolve, reject) => {
    ws.once('open', () => resolve(ws));
    ws.once('error', reject);
  });
}

/**
 * A member's Yjs connection that never decodes: no sync, no doc. With `presence`, it publishes an
 * awareness state as the app does (renewed every 15 s by y-protocols) and ignores everyone else's.
 */
export async function lightYjs(url: string, session: Session, localAddress: string, sightings: Sightings, presence: boolean) {
  const ws = await openSocket(`${url.replace(/^http/, 'ws')}/yjs/${session.groupId}?v=${PROTOCOL_VERSION}`, {
    cookie: session.cookie,
    localAddress,
    onMessage: (data) => {
      const seqs = markersIn(data);
      if (seqs.length) sightings.seen(seqs);
    },
  });
  let awareness: awarenessProtocol.Awareness | null = null;
  if (presence) {
    awareness = new awarenessProtocol.Awareness(new Y.Doc());
    awareness.on('update', ({ added, updated, removed }: { added: number[]; updated: number[]; removed: number[] }, origin: unknown) => {
      if (origin !== 'local' || ws.readyState !== WebSocket.OPEN) return;
      const enc = encoding.createEncoder();
      encoding.writeVarUint(enc, 1);
      encoding.writeVarUint8Array(enc, awarenessProtocol.encodeAwarenessUpdate(awareness as awarenessProtocol.Awareness, [...added, ...updated, ...removed]));
      ws.send(encoding.toUint8Array(enc));
    });
    awareness.setLocalState({ view: 'board', lookingAt: null, draggingTaskId: null, typing: false });
  }
  return {
    look(taskId: string | null) {
      const state = awareness?.getLocalState();
      if (awareness && state) awareness.setLocalState({ ...state, lookingAt: state.lookingAt ? null : taskId });
    },
    close() {
      awareness?.destroy();
      ws.close();
    },
  };
}

/**
 * A plain Socket.IO member of the baseline, spoken by hand (Engine.IO 4 over a websocket): connect to
 * the main namespace, answer pings, look for markers in what the server broadcasts.
 */
export async function lightSocketIo(url: string, localAddress: string, sightings: Sightings) {
  let connected: () => void = () => undefined;
  const joined = new Promise<void>((resolve) => (connected = resolve));
  const ws = await openSocket(`${url.replace(/^http/, 'ws')}/socket.io/?EIO=4&transport=websocket`, {
    localAddress,
    onMessage: (data, isBinary, ws) => {
      const text = isBinary ? '' : data.toString('latin1');
      if (text === '2') return ws.send('3');
      if (text.startsWith('0')) return ws.send('40');
      if (text.startsWith('40')) return connected();
      const seqs = markersIn(text);
      if (seqs.length) sightings.seen(seqs);
    },
  });
  await joined;
  return { close: () => ws.close() };
}

/** What a full replica (a phone) spends applying updates, and when it had each marker. */
export class ApplyCost {
  readonly micros: number[] = [];

  /**
   * Times the provider's own handling of each message (decode + apply + observers). The arrival is
   * counted first, as a light receiver's would be: visible-to-all is the server's figure. y-websocket sets `onmessage` on each new socket, so the
   * wrapper goes on at every (re)connect.
   */
  watch(provider: WebsocketProvider, sightings: Sightings) {
    const wrap = () => {
      const ws = provider.ws as unknown as { onmessage: ((e: { data: ArrayBuffer }) => void) | null } | null;
      const inner = ws?.onmessage;
      if (!ws || !inner || (inner as { wrapped?: boolean }).wrapped) return;
      const timed = (e: { data: ArrayBuffer }) => {
        const seqs = markersIn(e.data);
        if (seqs.length) sightings.seen(seqs);
        const t0 = performance.now();
        inner(e);
        if (seqs.length) this.micros.push((performance.now() - t0) * 1000);
      };
      (timed as { wrapped?: boolean }).wrapped = true;
      ws.onmessage = timed;
    };
    provider.on('status', wrap);
    wrap();
  }

  take(): number[] {
    return this.micros.splice(0);
  }
}
