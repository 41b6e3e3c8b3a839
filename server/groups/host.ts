import type { EventEnvelope } from '../../shared/domain/events.ts';
import type { CommandOf, Envelope } from '../../shared/domain/commands.ts';
import { GroupRuntime, type CommitSource, type Outcome, type RuntimeDeps } from './runtime.ts';

/** `source` says whether this node decided the events (local) or copied them from another node (remote). */
export type CommittedListener = (runtime: GroupRuntime, events: EventEnvelope[], source: CommitSource) => void;

/**
 * The groups this node serves: each loaded once, on first use, and kept while the process runs.
 * Concurrent first uses share one load.
 */
export class GroupHost {
  readonly #runtimes = new Map<string, Promise<GroupRuntime | null>>();
  readonly #listeners = new Set<CommittedListener>();
  readonly #loadedListeners = new Set<(runtime: GroupRuntime) => void>();
  readonly #unloadedListeners = new Set<(groupId: string) => void>();
  readonly #inUse = new Set<(groupId: string) => boolean>();
  /** When each loaded group was last asked for. */
  readonly #lastUsed = new Map<string, number>();
  /** Unloaded groups with a timer pending: the wake-up that loads them for it. */
  readonly #wakes = new Map<string, NodeJS.Timeout>();
  readonly #deps: RuntimeDeps;

  constructor(deps: Omit<RuntimeDeps, 'onCommitted' | 'onBroken'>) {
    this.#deps = {
      ...deps,
      onBroken: (runtime) => {
        runtime.close();
        this.#runtimes.delete(runtime.id);
      },
      onCommitted: (runtime, events, source) => {
        for (const l of this.#listeners) {
          try {
            l(runtime, events, source);
          } catch (err) {
            deps.log.error({ err, groupId: runtime.id }, 'commit listener failed');
          }
        }
      },
    };
  }

  /** Told about every runtime this node starts serving (loaded or created). */
  onLoaded(listener: (runtime: GroupRuntime) => void) {
    this.#loadedListeners.add(listener);
  }

  #loaded(runtime: GroupRuntime) {
    for (const l of this.#loadedListeners) l(runtime);
  }

  onCommitted(listener: CommittedListener): () => void {
    this.#listeners.add(listener);
    return () => this.#listeners.delete(listener);
  }

  /** Told about every group this node stops serving (unloaded while idle). */
  onUnloaded(listener: (groupId: string) => void) {
    this.#unloadedListeners.add(listener);
  }

  /** A probe that says whether a group is in use here (open connections): such a group stays loaded. */
  keepWhile(inUse: (groupId: string) => boolean) {
    this.#inUse.add(inUse);
  }

  /** The group's runtime, loading it from the store if needed; null when no such group exists. */
  get(groupId: string): Promise<GroupRuntime | null> {
    this.#lastUsed.set(groupId, this.#deps.clock.now());
    let loading = this.#runtimes.get(groupId);
    if (!loading) {
      const wake = this.#wakes.get(groupId);
      if (wake) clearTimeout(wake);
      this.#wakes.delete(groupId);
      loading = GroupRuntime.load(groupId, this.#deps);
      this.#runtimes.set(groupId, loading);
      // A group that does not exist (yet) is not cached, so it can be created later.
      loading.then(
        (rt) => (rt ? this.#loaded(rt) : this.#runtimes.delete(groupId)),
        () => this.#runtimes.delete(groupId),
      );
    }
    return loading;
  }

  /** Start a brand-new group with its group.create command; nothing stays loaded if it is refused. */
  async create(groupId: string, env: Envelope<CommandOf<'group.create'>>): Promise<Outcome> {
    if (this.#runtimes.has(groupId) || (await this.#deps.store.groupExists(groupId))) {
      return { ok: false, error: { code: 'GROUP_EXISTS' } };
    }
    const runtime = GroupRuntime.empty(groupId, this.#deps);
    this.#runtimes.set(groupId, Promise.resolve(runtime));
    const outcome = await runtime.execute(env);
    if (!outcome.ok) {
      this.#runtimes.delete(groupId);
      runtime.close();
    } else this.#loaded(runtime);
    return outcome;
  }

  get loadedCount() {
    return this.#runtimes.size;
  }

  /**
   * Unload the groups nobody here has used for `idleMs`: no open connection, not asked for, and no
   * timer due within `idleMs` (issue #15: a node that served 10,000 groups held all of them). Each
   * writes its snapshot first, so loading it again reads that and a short tail of the log; a timer
   * further out gets a wake-up that loads the group when it falls due. Returns how many went.
   */
  async unloadIdle(idleMs: number): Promise<number> {
    const now = this.#deps.clock.now();
    let unloaded = 0;
    for (const [groupId, loading] of [...this.#runtimes]) {
      const runtime = await loading.catch(() => null);
      if (!runtime || this.#runtimes.get(groupId) !== loading) continue;
      if (now - (this.#lastUsed.get(groupId) ?? 0) < idleMs) continue;
      if ([...this.#inUse].some((inUse) => inUse(groupId))) continue;
      const deadline = runtime.nextDeadline;
      if (deadline !== null && deadline - now < idleMs) continue;
      await runtime.saveSnapshot().catch((err) => this.#deps.log.warn({ err, groupId }, 'snapshot before unloading failed'));
      // Used again while the snapshot was written: it stays.
      if (this.#runtimes.get(groupId) !== loading || (this.#lastUsed.get(groupId) ?? 0) > now) continue;
      this.#runtimes.delete(groupId);
      this.#lastUsed.delete(groupId);
      runtime.close();
      if (deadline !== null && this.#deps.timers) this.#wakeAt(groupId, deadline);
      for (const l of this.#unloadedListeners) l(groupId);
      unloaded++;
    }
    return unloaded;
  }

  #wakeAt(groupId: string, at: number) {
    // setTimeout's ceiling is ~24.8 days; a later deadline wakes early and is re-armed by the runtime.
    const delay = Math.min(Math.max(at - this.#deps.clock.now(), 0), 2 ** 31 - 1);
    const timer = setTimeout(() => {
      this.#wakes.delete(groupId);
      this.get(groupId).catch((err) => this.#deps.log.error({ err, groupId }, 'waking a group for its timer failed'));
    }, delay);
    timer.unref();
    this.#wakes.set(groupId, timer);
  }

  async close() {
    for (const wake of this.#wakes.values()) clearTimeout(wake);
    this.#wakes.clear();
    const all = await Promise.allSettled(this.#runtimes.values());
    for (const r of all) if (r.status === 'fulfilled' && r.value) r.value.close();
    this.#runtimes.clear();
  }
}
