/**
 * What the bench coordinator asks a load-generator process (bench/load/generator.ts) over IPC,
 * and what each request answers. Times are wall-clock milliseconds with sub-millisecond precision
 * (performance.timeOrigin + performance.now()), comparable across processes on one machine.
 */
export interface GroupSeat {
  groupId: string;
  inviteCode: string;
  /** How many members this generator joins and connects to the group. */
  members: number;
  /** Task ids this generator's members claim and release, spread by member. */
  tasks: string[];
}

export type GeneratorRequest =
  /** Join members over HTTP (each from its own X-Forwarded-For address) and open Socket.IO + Yjs. */
  | { op: 'open'; url: string; seats: GroupSeat[]; presence: boolean; addressBase: number; generator: number }
  /** Send claim-or-chat commands at `rate` per second for `durationMs`, round-robin over members. */
  | { op: 'send'; rate: number; durationMs: number }
  /** Wait until every member here has each (group, version) in its doc; null where it timed out. */
  | { op: 'visible'; keys: Array<[string, number]>; timeoutMs: number }
  /** Members change what they look at, each about `perMemberPerMinute` times a minute (0 stops). */
  | { op: 'presence'; perMemberPerMinute: number }
  /**
   * Light members (bench/load/light.ts) of one group, spread over `urls` (one node, or several on Redis):
   * each joins and holds a Socket.IO connection (to send) and a Yjs websocket that only looks for
   * markers; `replicas` of them hold a full y-websocket replica instead and time applying.
   */
  | { op: 'lightOpen'; urls: string[]; seat: GroupSeat; replicas: number; presence: boolean; addressBase: number; generator: number }
  /** Light members send marked chat messages at `rate` per second, round-robin; numbered from `seqBase`. */
  | { op: 'lightSend'; rate: number; durationMs: number; seqBase: number }
  /** Plain Socket.IO receivers of the baseline server, and one sender. */
  | { op: 'rawOpen'; url: string; count: number; generator: number }
  /** The sender emits marked messages of the same text at `rate`; the server broadcasts each and acks. */
  | { op: 'rawSend'; rate: number; durationMs: number; seqBase: number }
  /** When every light member (or raw receiver) here had each marker; null where some never did. */
  | { op: 'markersSeen'; on: 'huzhu' | 'raw'; seqs: number[]; timeoutMs: number }
  /** Microseconds each replica here spent applying a marked update, since the last ask. */
  | { op: 'applyCost' }
  /** Mean size of the doc updates one member here received since the last ask; resets. */
  | { op: 'updateSize' }
  | { op: 'usage' }
  | { op: 'close' };

export interface SentCommand {
  groupId: string;
  type: string;
  sentAt: number;
  ackMs: number;
  /** The group's version after the command, or null when refused. */
  version: number | null;
  code: string | null;
}

/** A marked command (light members and the baseline): its number, when it left, the ack. */
export interface MarkedSend {
  seq: number;
  sentAt: number;
  ackMs: number;
  ok: boolean;
  code: string | null;
}

export interface Usage {
  /** User + system CPU time since the process started, microseconds. */
  cpuMicros: number;
  rssBytes: number;
  at: number;
  /** Event-loop delay since the last usage reading, p99 in ms: how long a message could wait here. */
  loopDelayP99Ms?: number;
}

export const wallNow = () => performance.timeOrigin + performance.now();
