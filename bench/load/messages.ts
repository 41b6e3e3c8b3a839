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
  /** Plain Socket.IO clients to the baseline server. */
  | { op: 'baselineOpen'; url: string; count: number }
  /** One client here emits `rate` messages a second of `bytes` each; the server broadcasts them. */
  | { op: 'baselineSend'; rate: number; durationMs: number; bytes: number; seqBase: number }
  | { op: 'baselineVisible'; seqs: number[]; timeoutMs: number }
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

export interface Usage {
  /** User + system CPU time since the process started, microseconds. */
  cpuMicros: number;
  rssBytes: number;
  at: number;
  /** Event-loop delay since the last usage reading, p99 in ms: how long a message could wait here. */
  loopDelayP99Ms?: number;
}

export const wallNow = () => performance.timeOrigin + performance.now();
