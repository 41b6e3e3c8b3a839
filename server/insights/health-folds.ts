import { HealthFold } from '../../shared/insights/health.ts';
import type { EventStore } from '../store/store.ts';

/** Groups whose health fold stays in memory (a 100,000-event log's fold is a few MB). */
export const HEALTH_FOLDS_KEPT = 20;
/**
 * Events read from the store at a time while catching a fold up. SQLite reads on the event loop:
 * a page at a time, with a turn of the loop between pages, so a first fold of a long log never holds
 * up the commands of other groups for longer than one page (about 10 ms for 2,000 events here).
 */
const CATCH_UP_PAGE = 2000;
const nextTurn = () => new Promise<void>((resolve) => setImmediate(resolve));

/**
 * The health folds of the groups asked about lately, each caught up from the store when asked:
 * the first request after a start reads the whole log, later ones only what was appended since.
 * The fold lives beside the log, never in it, so a restart loses nothing but time. One catch-up per
 * group at a time: two requests together would otherwise fold the same page twice.
 */
export class HealthFolds {
  #folds = new Map<string, { fold: HealthFold; ready: Promise<void> }>();

  constructor(
    private readonly store: Pick<EventStore, 'readAfter'>,
    private readonly kept = HEALTH_FOLDS_KEPT,
  ) {}

  /** The group's fold, holding at least every event up to `version`. */
  async upTo(groupId: string, version: number): Promise<HealthFold> {
    let entry = this.#folds.get(groupId);
    if (entry) this.#folds.delete(groupId);
    entry ??= { fold: new HealthFold(), ready: Promise.resolve() };
    // Most recently used last: the first key is the one to drop.
    this.#folds.set(groupId, entry);
    if (this.#folds.size > this.kept) this.#folds.delete(this.#folds.keys().next().value as string);
    const { fold } = entry;
    const caughtUp = entry.ready.then(async () => {
      while (fold.version < version) {
        const page = await this.store.readAfter(groupId, fold.version, CATCH_UP_PAGE);
        if (page.length === 0) break;
        fold.apply(page);
        if (fold.version < version) await nextTurn();
      }
    });
    // A failed read leaves the fold where it was; the next request tries again.
    entry.ready = caughtUp.catch(() => {});
    await caughtUp;
    return fold;
  }
}
