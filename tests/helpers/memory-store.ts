import type { DomainEventType, EventEnvelope } from '../../shared/domain/events.ts';
import { DuplicateCommand, VersionConflict, type Checkpoint, type CommandRecord, type EventStore, type NewEvent, type Snapshot } from '../../server/store/store.ts';

interface GroupLog {
  events: EventEnvelope[];
  commands: Map<string, CommandRecord>;
  snapshot: Snapshot | null;
  checkpoints: Map<string, Checkpoint>;
}

/** One store operation waiting for the scheduler to let it reach the store. */
export interface PendingOp {
  label: string;
  perform(): void;
  /** The connection broke before the operation reached the store. */
  fail(err: Error): void;
  /** The operation reached the store and ran; the connection broke before its reply came back. */
  performButLoseReply(err: Error): void;
}

/**
 * The shared log in memory, for the seeded simulation (tests/integration/simulation.test.ts): the same
 * contract as the SQLite and Redis stores (tests/integration/store-memory.test.ts runs the suite on it),
 * with two knobs a real store lacks. `gate`: every operation waits in `pending` until the scheduler
 * performs it, so the order in which several nodes reach the store is the scheduler's choice.
 * `down`: operations fail at once, like a Redis that went away. Values are copied in and out, as
 * they would be through a wire.
 */
export class MemoryEventStore implements EventStore {
  readonly kind = 'memory';
  readonly pending: PendingOp[] = [];
  gate = false;
  down = false;
  readonly #groups = new Map<string, GroupLog>();

  #run<T>(label: string, op: () => T): Promise<T> {
    if (this.down) return Promise.reject(new Error('store is down'));
    if (!this.gate) {
      try {
        return Promise.resolve(structuredClone(op()));
      } catch (err) {
        return Promise.reject(err);
      }
    }
    return new Promise<T>((resolve, reject) => {
      this.pending.push({
        label,
        perform: () => {
          if (this.down) return reject(new Error('store is down'));
          try {
            resolve(structuredClone(op()));
          } catch (err) {
            reject(err);
          }
        },
        fail: reject,
        performButLoseReply: (err) => {
          try {
            op();
          } catch {
            // Its outcome is lost with the reply either way.
          }
          reject(err);
        },
      });
    });
  }

  #group(groupId: string): GroupLog {
    let g = this.#groups.get(groupId);
    if (!g) this.#groups.set(groupId, (g = { events: [], commands: new Map(), snapshot: null, checkpoints: new Map() }));
    return g;
  }

  append(groupId: string, expectedVersion: number, events: NewEvent[], command: CommandRecord): Promise<EventEnvelope[]> {
    if (events.length === 0) return Promise.reject(new Error('append needs at least one event'));
    const input = structuredClone({ events, command });
    return this.#run(`append ${command.id}`, () => {
      const g = this.#group(groupId);
      if (g.events.length !== expectedVersion) throw new VersionConflict(groupId, expectedVersion, g.events.length);
      if (g.commands.has(input.command.id)) throw new DuplicateCommand(groupId, input.command.id);
      const stored = input.events.map((e, i): EventEnvelope => ({ seq: expectedVersion + i + 1, at: e.at, actor: e.actor, commandId: input.command.id, event: e.event }));
      g.events.push(...stored);
      g.commands.set(input.command.id, { ...input.command, version: expectedVersion + stored.length });
      return stored;
    });
  }

  load(groupId: string) {
    return this.#run('load', () => {
      const g = this.#groups.get(groupId);
      const snapshot = g?.snapshot ?? null;
      return { snapshot, events: (g?.events ?? []).slice(snapshot?.version ?? 0) };
    });
  }

  readAfter(groupId: string, after: number, limit: number) {
    return this.#run('readAfter', () => (this.#groups.get(groupId)?.events ?? []).slice(after, after + limit));
  }

  readBackwards(groupId: string, types: readonly DomainEventType[], before: number | null, limit: number) {
    return this.#run('readBackwards', () => {
      const wanted = new Set<string>(types);
      const events = this.#groups.get(groupId)?.events ?? [];
      return events.filter((e) => wanted.has(e.event.type) && (before === null || e.seq < before)).reverse().slice(0, limit);
    });
  }

  getCommand(groupId: string, commandId: string) {
    return this.#run('getCommand', () => this.#groups.get(groupId)?.commands.get(commandId) ?? null);
  }

  saveSnapshot(groupId: string, snapshot: Snapshot) {
    const copy = structuredClone(snapshot);
    return this.#run('saveSnapshot', () => {
      const g = this.#group(groupId);
      if (!g.snapshot || g.snapshot.version < copy.version) g.snapshot = copy;
    });
  }

  loadCheckpoint(groupId: string, name: string) {
    return this.#run('loadCheckpoint', () => this.#groups.get(groupId)?.checkpoints.get(name) ?? null);
  }

  saveCheckpoint(groupId: string, name: string, checkpoint: Checkpoint) {
    const copy = structuredClone(checkpoint);
    return this.#run('saveCheckpoint', () => {
      const g = this.#group(groupId);
      if ((g.checkpoints.get(name)?.version ?? -1) < copy.version) g.checkpoints.set(name, copy);
    });
  }

  groupExists(groupId: string) {
    return this.#run('groupExists', () => (this.#groups.get(groupId)?.events.length ?? 0) > 0);
  }

  ping() {
    return this.#run('ping', () => undefined);
  }

  async close() {}

  /** The whole log of a group, for the simulation's final checks (never gated). */
  log(groupId: string): EventEnvelope[] {
    return structuredClone(this.#groups.get(groupId)?.events ?? []);
  }

  command(groupId: string, commandId: string): CommandRecord | null {
    return structuredClone(this.#groups.get(groupId)?.commands.get(commandId) ?? null);
  }
}
