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

  /** The group's runtime, loading it from the store if needed; null when no such group exists. */
  get(groupId: string): Promise<GroupRuntime | null> {
    let loading = this.#runtimes.get(groupId);
    if (!loading) {
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

  async close() {
    const all = await Promise.allSettled(this.#runtimes.values());
    for (const r of all) if (r.status === 'fulfilled' && r.value) r.value.close();
    this.#runtimes.clear();
  }
}
