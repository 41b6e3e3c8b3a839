import type { Hello, Notify } from './notify.ts';

/**
 * The constants of the live connections. Kept apart from the schemas (ack.ts, notify.ts): the board
 * reads these at runtime, and a module with schemas would bring zod into it (docs/client.md, Budget).
 */

/** Events the server sends on a member's Socket.IO connection. */
export interface ServerToClient {
  notify: (n: Notify) => void;
  /** Sent once on connecting: the protocol this server speaks and the oldest it serves. */
  hello: (h: Hello) => void;
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
