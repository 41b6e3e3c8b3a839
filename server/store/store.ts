import type { CommandResult } from '../../shared/domain/commands.ts';
import type { DomainEvent, DomainEventType, EventEnvelope } from '../../shared/domain/events.ts';
import type { GroupState } from '../../shared/domain/types.ts';

/**
 * The durable log: one implementation per backing store (SQLite embedded, Redis scale-out), one
 * contract suite (tests/integration/store-contract.ts) that every implementation passes.
 * A group's log is a gap-free sequence of events numbered 1, 2, 3…; its version is the last number.
 */
export interface EventStore {
  /** Which backing store this is, as /healthz and the start-up log report it. */
  readonly kind: string;
  /**
   * Append events after `expectedVersion`, atomically with the command's record (idempotency).
   * Resolves only once durable. Throws VersionConflict when the log has moved on, and
   * DuplicateCommand when the command id was already recorded (another node won the race).
   */
  append(groupId: string, expectedVersion: number, events: NewEvent[], command: CommandRecord): Promise<EventEnvelope[]>;
  /** The latest snapshot (if any) and every event after it, in order. */
  load(groupId: string): Promise<{ snapshot: Snapshot | null; events: EventEnvelope[] }>;
  /** Events with seq > after, up to limit, in order. */
  readAfter(groupId: string, after: number, limit: number): Promise<EventEnvelope[]>;
  /** Events of the given types with seq < before (or the newest), newest first. For history paging. */
  readBackwards(groupId: string, types: readonly DomainEventType[], before: number | null, limit: number): Promise<EventEnvelope[]>;
  getCommand(groupId: string, commandId: string): Promise<CommandRecord | null>;
  saveSnapshot(groupId: string, snapshot: Snapshot): Promise<void>;
  /** The group's last saved checkpoint of the read model `name`, or null. */
  loadCheckpoint(groupId: string, name: string): Promise<Checkpoint | null>;
  /** Saves a checkpoint, unless the one stored covers as much of the log or more (two nodes may both write). */
  saveCheckpoint(groupId: string, name: string, checkpoint: Checkpoint): Promise<void>;
  groupExists(groupId: string): Promise<boolean>;
  ping(): Promise<void>;
  close(): Promise<void>;
}

/**
 * Scale-out: news that another node appended to a group's shared log, so this node can catch up.
 * The Redis store follows its streams (RedisEventStore.follow); the embedded SQLite store has one
 * writer and no such news.
 */
export interface LogFollower {
  /** Follow a group's log past `version` (called again when the group is loaded afresh). */
  watch(groupId: string, version: number): void;
  /** Stop following a group (unloaded here; loading it again watches it afresh). */
  unwatch(groupId: string): void;
  close(): Promise<void>;
}

export interface NewEvent {
  at: number;
  actor: string;
  event: DomainEvent;
}

export interface CommandRecord {
  id: string;
  /** Hash of actor, type and payload: the same id with another payload is refused. */
  hash: string;
  /** The log version the command's last event reached, and what it returned. */
  version: number;
  result: CommandResult;
}

export interface Snapshot {
  version: number;
  /** SNAPSHOT_FORMAT when written; a snapshot of another format is ignored and the log replayed. */
  format: number;
  state: GroupState;
}

/**
 * A read model's state saved beside the log (the health fold's: server/insights/health-folds.ts), so
 * a restart folds only the events after `version`. Neither the log nor a snapshot: losing one, or
 * ignoring one of another `format`, costs a refold and nothing else. `body` is the read model's own
 * text (JSON), stored as it is.
 */
export interface Checkpoint {
  version: number;
  format: number;
  body: string;
}

export class VersionConflict extends Error {
  constructor(
    readonly groupId: string,
    readonly expected: number,
    readonly actual: number,
  ) {
    super(`group ${groupId}: expected version ${expected}, log is at ${actual}`);
    this.name = 'VersionConflict';
  }
}

export class DuplicateCommand extends Error {
  constructor(
    readonly groupId: string,
    readonly commandId: string,
  ) {
    super(`group ${groupId}: command ${commandId} already recorded`);
    this.name = 'DuplicateCommand';
  }
}

/** How many events one read of a whole log takes at a time (an export, the draw's proof). */
const PAGE_SIZE = 5000;

/** A group's whole log, oldest first, a page at a time, so a long log never sits in memory at once. */
export async function* readPages(store: Pick<EventStore, 'readAfter'>, groupId: string): AsyncGenerator<EventEnvelope[]> {
  for (let after = 0; ; ) {
    const page = await store.readAfter(groupId, after, PAGE_SIZE);
    const last = page.at(-1);
    if (!last) return;
    yield page;
    after = last.seq;
  }
}
