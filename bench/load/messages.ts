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
  /** Task ids this generator's members look at (presence), spread by member. */
  tasks: string[];
}

export type GeneratorRequest =
  /** Members change what they look at, each about `perMemberPerMinute` times a minute (0 stops). */
  | { op: 'presence'; perMemberPerMinute: number }
  /**
   * Light members (bench/load/light.ts) of the seats' groups, spread over `urls` (one node, or several on
   * Redis): each joins and holds a Socket.IO connection (to send) and a Yjs websocket that only looks for
   * markers; the first `replicas` of each seat hold a full y-websocket replica instead and time applying.
   */
  | { op: 'lightOpen'; urls: string[]; seats: GroupSeat[]; replicas: number; presence: boolean; addressBase: number; generator: number }
  /**
   * Light members send marked chat messages at `rate` per second from `startAt` (see sendingStarts),
   * numbered from `seqBase`: the groups here take turns, and a group's members take turns.
   */
  | { op: 'lightSend'; rate: number; startAt: number; durationMs: number; seqBase: number }
  /** Plain Socket.IO receivers of the baseline server, and one sender. */
  | { op: 'rawOpen'; url: string; count: number; generator: number }
  /** The sender emits marked messages of the same text at `rate` from `startAt`; the server broadcasts each and acks. */
  | { op: 'rawSend'; rate: number; startAt: number; durationMs: number; seqBase: number }
  /**
   * When every light member here of the mark's group (or every raw receiver) had each marker, 0 for a group
   * with none here; null where some never did. A mark is its group (any for the baseline) and its number.
   */
  | { op: 'markersSeen'; on: 'huzhu' | 'raw'; marks: Array<[groupId: string, seq: number]>; timeoutMs: number }
  /** Microseconds each replica here spent applying a marked update, since the last ask. */
  | { op: 'applyCost' }
  | { op: 'usage' }
  | { op: 'close' };

/** A marked command (light members and the baseline): its number, when it left, the ack. */
export interface MarkedSend {
  /** Its group ('' on the baseline, which has none). */
  groupId: string;
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

/** Long enough for every generator to hear of a window before its first send is due. */
const START_LEAD_MS = 50;

/**
 * When each of `generators` starts sending, wall clock, for `rate` commands a second between them: each
 * 1/rate after the one before, so their sends interleave evenly. Started together, two generators sent
 * in step: 50 commands/s came as two at once every 40 ms, and in one group the second waited for the
 * first (docs/benchmarks.md, change 26).
 */
export function sendingStarts(generators: number, rate: number): number[] {
  const first = wallNow() + START_LEAD_MS;
  return Array.from({ length: generators }, (_, i) => first + (i * 1000) / rate);
}
