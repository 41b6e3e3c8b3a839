import { createHash, randomBytes } from 'node:crypto';
import type { Logger } from 'pino';
import * as Y from 'yjs';
import type { CommandResult, DomainCommand, Envelope } from '../../shared/domain/commands.ts';
import { decide, type DomainError } from '../../shared/domain/decide.ts';
import { SYSTEM_ACTOR, type EventEnvelope } from '../../shared/domain/events.ts';
import { evolve } from '../../shared/domain/evolve.ts';
import { brokenInvariants } from '../../shared/domain/invariants.ts';
import { DeadlineIndex } from '../../shared/domain/deadline-index.ts';
import { initialState, type GroupState } from '../../shared/domain/types.ts';
import { deadlineOwnersTouched, projectAll, projectTouched, touchedBy, type Touched } from '../../shared/ydoc.ts';
import { DuplicateCommand, VersionConflict, type EventStore } from '../store/store.ts';

export type Outcome =
  | { ok: true; version: number; result: CommandResult; duplicate: boolean }
  | { ok: false; error: DomainError };

/**
 * Where a commit came from. `local`: this node decided the command and appended it. `remote`:
 * another node appended it to the shared log and this node copied it in (scale-out). Every node
 * projects both into its Y.Doc; what must happen once per command (notifications, sign-outs)
 * happens only where it is `local`.
 */
export type CommitSource = 'local' | 'remote';

export interface Clock {
  now(): number;
}

export interface RuntimeDeps {
  store: EventStore;
  clock: Clock;
  newId: () => string;
  log: Logger;
  /** Called after each durable append (local) or copy from the shared log (remote), once the state and doc are current. */
  onCommitted: (runtime: GroupRuntime, events: EventEnvelope[], source: CommitSource) => void;
  /** Called when the runtime can no longer be trusted (an event failed to apply). */
  onBroken: (runtime: GroupRuntime) => void;
  snapshotEvery: number;
  /**
   * Real timers: for claim timeouts, auto-confirm and expiry, and the pause before deciding again
   * after losing an append race. Off, tests drive the deadlines by hand and retries go at once.
   */
  timers: boolean;
}

/**
 * Bumped when GroupState's shape changes; older snapshots are then ignored and the log replayed.
 * 3: claims carry `dueAt` and `extensions` (a format-2 snapshot's claims have no deadline);
 *    events carry `drawnAt` and `drawClearedAt`.
 * 4: tasks carry their short number `no`, and the state counts `tasksPosted` (a format-3 snapshot has
 *    neither: a replay numbers the tasks); chat messages carry `signup`.
 *    `undoableReleases` (撤销 of a release, shared/domain/undo.ts), `series` and each task's `repeat`
 *    (每天重复, shared/domain/series.ts).
 */
export const SNAPSHOT_FORMAT = 4;
/** How often a command that lost the append race (another node wrote first) is decided again. */
const MAX_APPEND_ATTEMPTS = 50;
/** Rejected commands are remembered in memory only: they changed nothing, and a flood of them must not write. */
const REJECTIONS_REMEMBERED = 500;
/** Command ids applied here that a resend is looked for among; an older resend is found by the store. */
const APPLIED_IDS_KEPT = 10_000;
/** setTimeout's ceiling; a later deadline is re-armed when this fires. */
const MAX_TIMER_MS = 2 ** 31 - 1;
/** How long a refused timer command waits before the next try. */
const TIMER_RETRY_MS = 5_000;

/**
 * The only writer of one group. Commands run one at a time: decide → durable append → evolve +
 * project into the Y.Doc → answer. Members, the HTTP API and the server's timers all come
 * through execute(), so every change is decided, logged and projected the same way.
 */
export class GroupRuntime {
  readonly doc = new Y.Doc({ gc: true });
  readonly epoch: string;
  #queue: Promise<unknown> = Promise.resolve();
  #rejections = new Map<string, { hash: string; error: DomainError }>();
  /**
   * The ids of the commands whose events this runtime applied (its own and other nodes'), the latest
   * APPLIED_IDS_KEPT. Only an id among them is looked up in the store before deciding: that point read
   * on every command was 17 % of the main thread under 100 busy groups. A resend this set does not hold
   * (older than the load, or than the set) is still answered as one: its append is refused as a
   * duplicate, a refusal reads the store before it is given, and so do the gateway's limits (`recorded`).
   */
  #applied = new Set<string>();
  #timer: NodeJS.Timeout | null = null;
  #lastSnapshot: number;
  #closed = false;

  /** Changed only by #apply, in turn with the commands; readers get it through `state`. */
  readonly #state: GroupState;
  /** The pending timers by time, kept with the state by #apply. */
  readonly #deadlines: DeadlineIndex;
  readonly #deps: RuntimeDeps;

  private constructor(
    readonly id: string,
    state: GroupState,
    deps: RuntimeDeps,
    /** The command ids of the events replayed on load (after the snapshot): resends found without a guess. */
    replayed: readonly string[] = [],
  ) {
    for (const commandId of replayed) this.#remember(commandId);
    this.#state = state;
    this.#deadlines = new DeadlineIndex(state);
    this.#deps = deps;
    this.epoch = deps.newId();
    this.#lastSnapshot = state.version;
    projectAll(this.doc, state, this.epoch);
    this.#armTimer();
  }

  /** A group with an empty log, about to receive group.create. */
  static empty(id: string, deps: RuntimeDeps) {
    return new GroupRuntime(id, initialState(id), deps);
  }

  /** Rebuild a group from its snapshot and log; null when the log is empty. */
  static async load(id: string, deps: RuntimeDeps): Promise<GroupRuntime | null> {
    const { snapshot, events } = await deps.store.load(id);
    const usable = snapshot && snapshot.format === SNAPSHOT_FORMAT ? snapshot : null;
    const rest = usable || !snapshot ? events : await deps.store.readAfter(id, 0, Number.MAX_SAFE_INTEGER);
    if (!usable && rest.length === 0) return null;
    const state = usable ? usable.state : initialState(id);
    for (const e of rest) evolve(state, e);
    const broken = brokenInvariants(state);
    if (broken.length) deps.log.error({ groupId: id, broken }, 'group loaded with broken invariants');
    return new GroupRuntime(id, state, deps, rest.slice(-APPLIED_IDS_KEPT).map((e) => e.commandId));
  }

  /** The group as of the last applied event. Read it, never change it: only the log does. */
  get state(): Readonly<GroupState> {
    return this.#state;
  }

  get version() {
    return this.#state.version;
  }

  /** When the group's next timer falls due (null: none pending). */
  get nextDeadline(): number | null {
    return this.#deadlines.next();
  }

  /** Write a snapshot of the current state now, in turn with the commands (before unloading). */
  async saveSnapshot(): Promise<void> {
    await this.#enqueue(() => {
      if (this.#state.version === 0 || this.#state.version === this.#lastSnapshot) return;
      this.#lastSnapshot = this.#state.version;
      return this.#deps.store.saveSnapshot(this.id, { version: this.#state.version, format: SNAPSHOT_FORMAT, state: structuredClone(this.#state) });
    });
  }

  /**
   * The answer this command id already got, if this runtime remembers giving it (a resend), or null;
   * STORE_UNAVAILABLE when the store cannot say. Read outside the queue: an id still in flight reads
   * null here and is answered by execute() in turn.
   */
  async answered(env: Envelope): Promise<Outcome | null> {
    const hash = hashOf(env);
    return this.#applied.has(env.id) ? this.#readAnswer(env.id, hash) : this.#rejectedAnswer(env.id, hash);
  }

  /** The answer this command id already got, looked up in the store whatever this runtime remembers. */
  recorded(env: Envelope): Promise<Outcome | null> {
    return this.#readAnswer(env.id, hashOf(env));
  }

  async #readAnswer(commandId: string, hash: string): Promise<Outcome | null> {
    try {
      return await this.#previousAnswer(commandId, hash);
    } catch (err) {
      this.#deps.log.error({ err, groupId: this.id }, 'reading the command record failed');
      return { ok: false, error: { code: 'STORE_UNAVAILABLE' } };
    }
  }

  execute(env: Envelope): Promise<Outcome> {
    const run = this.#queue.then(() => this.#decideAndAppend(env));
    this.#queue = run.catch(() => undefined);
    return run;
  }

  /** Issue the commands the clock has made due; the timer calls this, and tests with a fake clock. */
  async runDueTimers(): Promise<void> {
    const due = await this.#enqueue(() => this.#deadlines.due(this.#deps.clock.now()));
    let refused = false;
    for (const t of due) {
      const outcome = await this.execute({ id: t.id, actor: SYSTEM_ACTOR, command: t.command });
      if (!outcome.ok) {
        refused = true;
        this.#deps.log.warn({ groupId: this.id, timer: t.id, code: outcome.error.code }, 'timer command refused');
      }
    }
    // A refused timer (the store is down) is retried after a pause, not in a tight loop.
    this.#armTimer(refused ? TIMER_RETRY_MS : 0);
  }

  close() {
    this.#closed = true;
    if (this.#timer) clearTimeout(this.#timer);
    this.doc.destroy();
  }

  #enqueue<T>(fn: () => T | Promise<T>): Promise<T> {
    const run = this.#queue.then(fn);
    this.#queue = run.catch(() => undefined);
    return run;
  }

  async #decideAndAppend(env: Envelope): Promise<Outcome> {
    if (this.#closed) return { ok: false, error: { code: 'BUSY' } };
    const hash = hashOf(env);
    const seen = await this.answered(env);
    if (seen) return seen;
    for (let attempt = 1; ; attempt++) {
      const now = this.#deps.clock.now();
      const decision = decide(this.#state, env, { now, newId: this.#deps.newId, randomHex });
      if (!decision.ok) {
        // A refusal is only given at the head of the shared log: another node may have appended
        // what this one has not read yet (the task a member on this node is claiming). Catch up
        // and decide again; only a refusal decided at the head is remembered for its id.
        let behind: boolean;
        try {
          behind = await this.#catchUp();
        } catch (err) {
          this.#deps.log.error({ err, groupId: this.id }, 'catching up failed');
          return { ok: false, error: { code: 'STORE_UNAVAILABLE' } };
        }
        if (behind && attempt < MAX_APPEND_ATTEMPTS) continue;
        // A resend of a command stored before this runtime remembers gets its first answer, not
        // this refusal (a claim's resend would read as "already claimed").
        const stored = await this.#readAnswer(env.id, hash);
        if (stored) return stored;
        this.#rememberRejection(env.id, hash, decision.error);
        return decision;
      }
      // A command that changes nothing (e.g. setting a role a member already has) writes nothing;
      // unless it is the resend of one that did (its record says what it was answered then).
      if (decision.events.length === 0) return (await this.#readAnswer(env.id, hash)) ?? { ok: true, version: this.#state.version, result: decision.result, duplicate: false };
      const version = this.#state.version + decision.events.length;
      let stored: EventEnvelope[];
      try {
        stored = await this.#deps.store.append(
          this.id,
          this.#state.version,
          decision.events.map((event) => ({ at: now, actor: env.actor, event })),
          { id: env.id, hash, version, result: decision.result },
        );
      } catch (err) {
        try {
          if (err instanceof VersionConflict && attempt < MAX_APPEND_ATTEMPTS) {
            // Another node appended first: catch up on its events and decide again, after a short
            // random pause that grows with each loss, so two nodes both busy with one group (a room
            // joining from the projector's QR) fall out of step instead of colliding over and over.
            if (this.#deps.timers) await new Promise((resolve) => setTimeout(resolve, Math.random() * Math.min(2 ** attempt, 32)));
            await this.#catchUp();
            const answered = await this.#previousAnswer(env.id, hash);
            if (answered) return answered;
            continue;
          }
          if (err instanceof VersionConflict) return { ok: false, error: { code: 'BUSY' } };
          if (err instanceof DuplicateCommand) {
            await this.#catchUp();
            return (await this.#previousAnswer(env.id, hash)) ?? { ok: false, error: { code: 'BUSY' } };
          }
        } catch (readErr) {
          this.#deps.log.error({ err: readErr, groupId: this.id }, 'catching up failed');
          return { ok: false, error: { code: 'STORE_UNAVAILABLE' } };
        }
        this.#deps.log.error({ err, groupId: this.id, commandId: env.id }, 'append failed');
        return { ok: false, error: { code: 'STORE_UNAVAILABLE' } };
      }
      // Durable now. Applying cannot be undone: if it fails, the state and doc are no longer the
      // log's, so this runtime stops and the group is loaded afresh from the log on next use.
      try {
        this.#apply(stored, 'local');
      } catch (err) {
        this.#deps.log.fatal({ err, groupId: this.id, commandId: env.id }, 'applying a stored event failed; unloading the group');
        this.#deps.onBroken(this);
        return { ok: false, error: { code: 'INTERNAL' } };
      }
      return { ok: true, version, result: decision.result, duplicate: false };
    }
  }

  /**
   * Catch up with the shared log, in turn with this group's commands: the store's log follower
   * calls it when another node appended (scale-out); a no-op on one node.
   */
  async sync(): Promise<void> {
    await this.#enqueue(() => this.#catchUp());
  }

  /** Apply what other nodes appended past this node's version; true when there was any. Only inside the queue. */
  async #catchUp(): Promise<boolean> {
    const events = await this.#deps.store.readAfter(this.id, this.#state.version, Number.MAX_SAFE_INTEGER);
    if (events.length) this.#apply(events, 'remote');
    return events.length > 0;
  }

  async #previousAnswer(commandId: string, hash: string): Promise<Outcome | null> {
    const record = await this.#deps.store.getCommand(this.id, commandId);
    if (record) {
      if (record.hash !== hash) return { ok: false, error: { code: 'IDEMPOTENCY_CONFLICT' } };
      return { ok: true, version: record.version, result: record.result, duplicate: true };
    }
    return this.#rejectedAnswer(commandId, hash);
  }

  /** The answer to an id refused here before (refusals are remembered in memory only), or null. */
  #rejectedAnswer(commandId: string, hash: string): Outcome | null {
    const rejected = this.#rejections.get(commandId);
    if (rejected) return rejected.hash === hash ? { ok: false, error: rejected.error } : { ok: false, error: { code: 'IDEMPOTENCY_CONFLICT' } };
    return null;
  }

  #remember(commandId: string) {
    if (this.#applied.has(commandId)) return;
    this.#applied.add(commandId);
    if (this.#applied.size > APPLIED_IDS_KEPT) this.#applied.delete(this.#applied.values().next().value as string);
  }

  #rememberRejection(commandId: string, hash: string, error: DomainError) {
    this.#rejections.set(commandId, { hash, error });
    if (this.#rejections.size > REJECTIONS_REMEMBERED) {
      const oldest = this.#rejections.keys().next().value;
      if (oldest !== undefined) this.#rejections.delete(oldest);
    }
  }

  #apply(events: EventEnvelope[], source: CommitSource) {
    const touched: Touched[] = [];
    for (const e of events) {
      touched.push(touchedBy(this.#state, e.event));
      evolve(this.#state, e);
      this.#remember(e.commandId);
    }
    projectTouched(this.doc, this.#state, touched);
    this.#deadlines.refresh(this.#state, deadlineOwnersTouched(touched));
    if (this.#state.version - this.#lastSnapshot >= this.#deps.snapshotEvery) this.#snapshot();
    this.#armTimer();
    this.#deps.onCommitted(this, events, source);
  }

  #snapshot() {
    const version = this.#state.version;
    this.#lastSnapshot = version;
    // Serialised now, before the state moves on; the write itself may finish later.
    const state = structuredClone(this.#state);
    this.#deps.store
      .saveSnapshot(this.id, { version, format: SNAPSHOT_FORMAT, state })
      .catch((err) => this.#deps.log.warn({ err, groupId: this.id }, 'snapshot failed'));
  }

  #armTimer(minDelay = 0) {
    if (!this.#deps.timers || this.#closed) return;
    if (this.#timer) clearTimeout(this.#timer);
    this.#timer = null;
    const deadline = this.#deadlines.next();
    if (deadline === null) return;
    const delay = Math.min(Math.max(deadline - this.#deps.clock.now(), minDelay), MAX_TIMER_MS);
    this.#timer = setTimeout(() => {
      this.#timer = null;
      this.runDueTimers().catch((err) => this.#deps.log.error({ err, groupId: this.id }, 'timers failed'));
    }, delay);
    this.#timer.unref();
  }
}

const randomHex = (bytes: number) => randomBytes(bytes).toString('hex');

/** Identity of a command for idempotency: who sent it, what type, what payload (keys sorted). */
/** Each envelope's hash, computed once: the gateway's answered() and execute() get the same object. */
const hashes = new WeakMap<Envelope, string>();
function hashOf(env: Envelope): string {
  let hash = hashes.get(env);
  if (hash === undefined) hashes.set(env, (hash = commandHash(env)));
  return hash;
}

export function commandHash(env: { actor: string; command: DomainCommand }): string {
  return createHash('sha256')
    .update(stableJson([env.actor, env.command.type, env.command.payload]))
    .digest('base64url');
}

function stableJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(stableJson).join(',')}]`;
  if (value && typeof value === 'object') {
    const entries = Object.entries(value)
      .filter(([, v]) => v !== undefined)
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${stableJson(v)}`).join(',')}}`;
  }
  return JSON.stringify(value);
}
