import type { Notification } from '../domain/notifications.ts';
import type { WireError } from './errors.ts';

/** The answer to every `command` (docs/protocol.md): once durable, or a typed refusal. */
export type Ack = { ok: true; version: number; result: Record<string, unknown> | null } | { ok: false; error: WireError };

/** Events the server sends on a member's Socket.IO connection. */
export interface ServerToClient {
  notify: (n: Notification & { seq: number }) => void;
  /** Sent once on connecting: the protocol this server speaks and the oldest it serves. */
  hello: (h: Hello) => void;
}

export interface Hello {
  protocol: number;
  oldest: number;
}

/** Close codes of the Yjs websocket; the client reacts to each. */
export const YJS_CLOSE = {
  /** The client's cached doc is from another epoch: drop it and sync from empty. */
  EPOCH_CHANGED: 4409,
  /** The app is older than the oldest protocol the server serves: reload. */
  PROTOCOL_MISMATCH: 4426,
  /** The app is newer than this server (a rolling deploy): keep reconnecting, reloading will not help. */
  SERVER_TOO_OLD: 4427,
  /** Signed out or removed: reconnecting will not help. */
  REMOVED: 4403,
} as const;

/** How long a deal alert stays pinned when its author does not say. */
export const DEFAULT_DEAL_MINUTES = 60;
