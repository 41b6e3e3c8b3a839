import type { Logger } from 'pino';
import { createClient, type RedisClientType } from 'redis';
import type { DomainEventType, EventEnvelope } from '../../shared/domain/events.ts';
import { DuplicateCommand, VersionConflict, type Checkpoint, type CommandRecord, type EventStore, type LogFollower, type NewEvent, type Snapshot } from './store.ts';

/**
 * The scale-out store: one Redis stream per group, appended with a compare-and-append Lua script
 * (the version must be what the node expects, the command id new, all in one atomic step). Every
 * key of a group shares the hash tag {g:<id>}, so Redis Cluster keeps a group in one slot.
 * Entry ids are `<seq>-1`, so a stream id is the log position. Durability is Redis's: run it with
 * appendonly yes (docs/operations.md); an append resolves once Redis has it in its AOF buffer.
 */
const APPEND = `
local version = tonumber(redis.call('GET', KEYS[1]) or '0')
if version ~= tonumber(ARGV[1]) then return {-1, version} end
if redis.call('HEXISTS', KEYS[3], ARGV[2]) == 1 then return {-2, version} end
for i = 4, #ARGV do
  version = version + 1
  redis.call('XADD', KEYS[2], version .. '-1', 'e', ARGV[i])
end
redis.call('SET', KEYS[1], version)
redis.call('HSET', KEYS[3], ARGV[2], ARGV[3])
return {version}
`;

/** The one place a group's key names are made (and, for the log, read back). */
const key = (groupId: string, part: 'ver' | 'log' | 'cmds' | 'snap' | `ckpt:${string}`) => `hz:{g:${groupId}}:${part}`;
/** A checkpoint replaces the stored one only if it covers more of the log, in one step. */
const SAVE_CHECKPOINT = `
local stored = tonumber(redis.call('HGET', KEYS[1], 'version') or '-1')
if stored >= tonumber(ARGV[1]) then return 0 end
redis.call('HSET', KEYS[1], 'version', ARGV[1], 'format', ARGV[2], 'body', ARGV[3])
return 1
`;
const groupOfLogKey = (name: string) => /^hz:\{g:(.+)\}:log$/.exec(name)?.[1] ?? null;
/** How long one blocking read of the streams waits before looking at the watched groups again. */
const FOLLOW_BLOCK_MS = 1000;
/** Backward reads scan the stream in pages of this many entries. */
const SCAN_PAGE = 500;

interface Body {
  at: number;
  actor: string;
  commandId: string;
  event: EventEnvelope['event'];
}

export class RedisEventStore implements EventStore {
  readonly kind = 'redis';

  private constructor(readonly client: RedisClientType) {}

  static async connect(url: string): Promise<RedisEventStore> {
    // No offline queue: while Redis is away a command fails at once (STORE_UNAVAILABLE) instead of
    // waiting to be acknowledged later; the client keeps reconnecting.
    const client: RedisClientType = createClient({
      url,
      disableOfflineQueue: true,
      socket: { reconnectStrategy: (retries) => Math.min(retries * 100, 2000) },
    });
    // A lost connection surfaces as refused commands (STORE_UNAVAILABLE) and reconnects; it must not crash.
    client.on('error', () => undefined);
    await client.connect();
    return new RedisEventStore(client);
  }

  async append(groupId: string, expectedVersion: number, events: NewEvent[], command: CommandRecord): Promise<EventEnvelope[]> {
    if (events.length === 0) throw new Error('append needs at least one event');
    // Group commit comes from node-redis and Redis: the commands asked for in one turn leave in one
    // write (node-redis writes at setImmediate), one round trip, and Redis writes (with appendfsync
    // always, fsyncs) what it read in one pass of its loop before replying. Holding a turn's appends
    // back while the last ones were out, as the SQLite store does, measured no better here
    // (docs/architecture.md, "Decisions"). Each script stays atomic for its group and answers alone.
    const bodies = events.map((e) => JSON.stringify({ at: e.at, actor: e.actor, commandId: command.id, event: e.event } satisfies Body));
    const reply = (await this.client.eval(APPEND, {
      keys: [key(groupId, 'ver'), key(groupId, 'log'), key(groupId, 'cmds')],
      arguments: [String(expectedVersion), command.id, JSON.stringify(command), ...bodies],
    })) as number[];
    if (reply[0] === -1) throw new VersionConflict(groupId, expectedVersion, Number(reply[1]));
    if (reply[0] === -2) throw new DuplicateCommand(groupId, command.id);
    return events.map((e, i) => ({ seq: expectedVersion + i + 1, at: e.at, actor: e.actor, commandId: command.id, event: e.event }));
  }

  async load(groupId: string) {
    const raw = await this.client.get(key(groupId, 'snap'));
    const snapshot: Snapshot | null = raw ? JSON.parse(raw) : null;
    return { snapshot, events: await this.readAfter(groupId, snapshot?.version ?? 0, Number.MAX_SAFE_INTEGER) };
  }

  async readAfter(groupId: string, after: number, limit: number): Promise<EventEnvelope[]> {
    const out: EventEnvelope[] = [];
    let from = after;
    while (out.length < limit) {
      const count = Math.min(SCAN_PAGE, limit - out.length);
      const page = (await this.client.xRange(key(groupId, 'log'), `${from + 1}-0`, '+', { COUNT: count })) ?? [];
      for (const entry of page) out.push(toEnvelope(entry.id, entry.message.e as string));
      if (page.length < count) break;
      from = out.at(-1)?.seq ?? from;
    }
    return out;
  }

  async readBackwards(groupId: string, types: readonly DomainEventType[], before: number | null, limit: number): Promise<EventEnvelope[]> {
    const wanted = new Set<string>(types);
    const out: EventEnvelope[] = [];
    let end = before === null ? '+' : `${before - 1}-1`;
    if (before !== null && before <= 1) return out;
    while (out.length < limit) {
      const page = (await this.client.xRevRange(key(groupId, 'log'), end, '-', { COUNT: SCAN_PAGE })) ?? [];
      for (const entry of page) {
        const env = toEnvelope(entry.id, entry.message.e as string);
        if (wanted.has(env.event.type)) out.push(env);
        if (out.length >= limit) break;
      }
      const last = page.at(-1);
      if (page.length < SCAN_PAGE || !last) break;
      const seq = Number(last.id.split('-')[0]);
      if (seq <= 1) break;
      end = `${seq - 1}-1`;
    }
    return out;
  }

  async getCommand(groupId: string, commandId: string): Promise<CommandRecord | null> {
    const raw = await this.client.hGet(key(groupId, 'cmds'), commandId);
    return raw ? JSON.parse(raw) : null;
  }

  async saveSnapshot(groupId: string, snapshot: Snapshot) {
    // Only a newer snapshot replaces an older one (two nodes may both write).
    const current = await this.client.get(key(groupId, 'snap'));
    if (current && (JSON.parse(current) as Snapshot).version >= snapshot.version) return;
    await this.client.set(key(groupId, 'snap'), JSON.stringify(snapshot));
  }

  async loadCheckpoint(groupId: string, name: string): Promise<Checkpoint | null> {
    const h = await this.client.hGetAll(key(groupId, `ckpt:${name}`));
    return h.body === undefined ? null : { version: Number(h.version), format: Number(h.format), body: h.body };
  }

  async saveCheckpoint(groupId: string, name: string, checkpoint: Checkpoint) {
    await this.client.eval(SAVE_CHECKPOINT, {
      keys: [key(groupId, `ckpt:${name}`)],
      arguments: [String(checkpoint.version), String(checkpoint.format), checkpoint.body],
    });
  }

  async groupExists(groupId: string) {
    return (await this.client.exists(key(groupId, 'ver'))) === 1;
  }

  async ping() {
    await this.client.ping();
  }

  /**
   * Follow the streams of the groups this node watches, and call `onAppended` when one grew (another
   * node appended; this node's own appends pass by too, and the caller finds nothing new to apply).
   */
  async follow(onAppended: (groupId: string) => Promise<void>, log: Logger): Promise<LogFollower> {
    // Blocking reads need a connection of their own.
    const reader = this.client.duplicate();
    reader.on('error', () => undefined);
    await reader.connect();
    return new StreamFollower(reader, onAppended, log);
  }

  async close() {
    // A graceful close waits for Redis; with Redis gone, just drop the connection.
    if (this.client.isReady) await this.client.close();
    else if (this.client.isOpen) this.client.destroy();
  }
}

class StreamFollower implements LogFollower {
  readonly #positions = new Map<string, number>();
  #running = true;
  readonly #done: Promise<void>;

  constructor(
    private readonly reader: RedisClientType,
    private readonly onAppended: (groupId: string) => Promise<void>,
    private readonly log: Logger,
  ) {
    this.#done = this.#loop();
  }

  watch(groupId: string, version: number) {
    this.#positions.set(groupId, version);
  }

  unwatch(groupId: string) {
    this.#positions.delete(groupId);
  }

  async #loop() {
    while (this.#running) {
      if (this.#positions.size === 0) {
        await new Promise((r) => setTimeout(r, FOLLOW_BLOCK_MS / 4));
        continue;
      }
      try {
        const streams = [...this.#positions].map(([groupId, seq]) => ({ key: key(groupId, 'log'), id: `${seq}-1` }));
        const reply = (await this.reader.xRead(streams, { BLOCK: FOLLOW_BLOCK_MS, COUNT: 100 })) as
          | { name: string; messages: { id: string }[] }[]
          | null;
        for (const stream of reply ?? []) {
          const groupId = groupOfLogKey(stream.name);
          const last = stream.messages.at(-1);
          if (!groupId || !last) continue;
          this.#positions.set(groupId, Number(last.id.split('-')[0]));
          await this.onAppended(groupId);
        }
      } catch (err) {
        if (!this.#running) break;
        this.log.warn({ err }, 'following the group streams failed; retrying');
        await new Promise((r) => setTimeout(r, FOLLOW_BLOCK_MS));
      }
    }
  }

  async close() {
    this.#running = false;
    if (this.reader.isOpen) this.reader.destroy();
    await this.#done.catch(() => undefined);
  }
}

function toEnvelope(id: string, raw: string): EventEnvelope {
  const body = JSON.parse(raw) as Body;
  return { seq: Number(id.split('-')[0]), at: body.at, actor: body.actor, commandId: body.commandId, event: body.event };
}
