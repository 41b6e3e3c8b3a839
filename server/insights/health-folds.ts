import type { Logger } from 'pino';
import { HEALTH_FOLD_FORMAT, HealthFold, type HealthFoldState } from '../../shared/insights/health.ts';
import type { GroupHost } from '../groups/host.ts';
import type { EventStore } from '../store/store.ts';

/** Groups whose health fold stays in memory (a 100,000-event log's fold is a few MB). */
export const HEALTH_FOLDS_KEPT = 20;
/** The health fold's checkpoint name in the store. */
export const HEALTH_CHECKPOINT = 'health';
/**
 * A group's checkpoint is brought forward once its log has grown this many events past it, so a
 * restart folds at most about this many events (a few tens of ms) on top of reading the checkpoint.
 * Reading and parsing the log, not the fold, is what costs: 100,000 events took 0.4–0.8 s here,
 * their checkpoint about 20 ms (docs/architecture.md, "Decisions").
 */
export const HEALTH_CHECKPOINT_EVERY = 5000;
/**
 * Events read from the store at a time while catching a fold up. SQLite reads on the event loop:
 * a page at a time, with a turn of the loop between pages, so a first fold of a long log never holds
 * up the commands of other groups for longer than one page (about 10 ms for 2,000 events here).
 */
const CATCH_UP_PAGE = 2000;
const nextTurn = () => new Promise<void>((resolve) => setImmediate(resolve));

interface Entry {
  /** Replaced once, by the fold the checkpoint holds, before any catching up. */
  fold: HealthFold;
  /** The last catch-up (and, first of all, the checkpoint's load): one at a time per fold. */
  ready: Promise<void>;
  /** The log position of the checkpoint in the store as far as this node knows. */
  saved: number;
}

type Store = Pick<EventStore, 'readAfter' | 'loadCheckpoint' | 'saveCheckpoint'>;

/**
 * The health folds of the groups asked about lately, each caught up from the store when asked:
 * the first request after a start reads the group's checkpoint and the log after it, later ones only
 * what was appended since. The fold lives beside the log, never in it, so a restart loses nothing but
 * time, and a checkpoint lost or of another format costs a refold. One catch-up per group at a time:
 * two requests together would otherwise fold the same page twice.
 *
 * Checkpoints are written off the request's path: after a catch-up that folded `checkpointEvery`
 * events or more past the stored one, and, with `follow`, whenever a group's log crosses another
 * multiple of it on this node, so a group nobody looked at since its log grew still has one.
 */
export class HealthFolds {
  #folds = new Map<string, Entry>();
  /** Background checkpoint work, one group at a time, in the order asked. */
  #background: Promise<void> = Promise.resolve();
  readonly #kept: number;
  readonly #every: number;
  readonly #log: Logger | undefined;

  constructor(
    private readonly store: Store,
    options: { kept?: number; checkpointEvery?: number; log?: Logger } = {},
  ) {
    this.#kept = options.kept ?? HEALTH_FOLDS_KEPT;
    this.#every = options.checkpointEvery ?? HEALTH_CHECKPOINT_EVERY;
    this.#log = options.log;
  }

  /** The group's fold, holding at least every event up to `version`. */
  async upTo(groupId: string, version: number): Promise<HealthFold> {
    let entry = this.#folds.get(groupId);
    if (entry) this.#folds.delete(groupId);
    entry ??= this.#start(groupId);
    // Most recently used last: the first key is the one to drop.
    this.#folds.set(groupId, entry);
    if (this.#folds.size > this.#kept) this.#folds.delete(this.#folds.keys().next().value as string);
    await this.#catchUp(groupId, entry, version);
    if (entry.fold.version - entry.saved >= this.#every) this.#inBackground(() => this.#save(groupId, entry));
    return entry.fold;
  }

  /**
   * Bring a group's checkpoint forward each time its log crosses a multiple of `checkpointEvery`
   * through this node's commands (another node's commands are that node's to count).
   */
  follow(host: Pick<GroupHost, 'onCommitted'>) {
    host.onCommitted((runtime, events, source) => {
      const first = events[0]?.seq;
      const last = events.at(-1)?.seq;
      if (source !== 'local' || first === undefined || last === undefined) return;
      if (Math.floor((first - 1) / this.#every) === Math.floor(last / this.#every)) return;
      const groupId = runtime.id;
      this.#inBackground(async () => {
        // A fold in memory is brought forward and kept; otherwise one is made for the checkpoint and
        // dropped, so groups nobody asks about do not crowd out the folds that are being read.
        const entry = this.#folds.get(groupId) ?? this.#start(groupId);
        await this.#catchUp(groupId, entry, last);
        if (entry.fold.version > entry.saved) await this.#save(groupId, entry);
      });
    });
  }

  /** Resolves once the checkpoint work asked for so far is done (tests; a bench's restart). */
  settled(): Promise<void> {
    return this.#background;
  }

  #start(groupId: string): Entry {
    const entry: Entry = { fold: new HealthFold(), ready: Promise.resolve(), saved: 0 };
    entry.ready = this.store.loadCheckpoint(groupId, HEALTH_CHECKPOINT).then(
      (cp) => {
        if (!cp || cp.format !== HEALTH_FOLD_FORMAT) return;
        entry.fold = HealthFold.from(JSON.parse(cp.body) as HealthFoldState);
        entry.saved = cp.version;
      },
      // Without its checkpoint the fold starts from the log's beginning: slower, never wrong.
      (err: unknown) => this.#log?.warn({ err, groupId }, 'reading the health checkpoint failed; folding the whole log'),
    );
    return entry;
  }

  #catchUp(groupId: string, entry: Entry, version: number): Promise<void> {
    const caughtUp = entry.ready.then(async () => {
      const { fold } = entry;
      while (fold.version < version) {
        const page = await this.store.readAfter(groupId, fold.version, CATCH_UP_PAGE);
        if (page.length === 0) break;
        fold.apply(page);
        if (fold.version < version) await nextTurn();
      }
    });
    // A failed read leaves the fold where it was; the next request tries again.
    entry.ready = caughtUp.catch(() => {});
    return caughtUp;
  }

  /** Writes the fold as it stands (serialized now, so later folding cannot tear it). */
  async #save(groupId: string, entry: Entry) {
    const { fold } = entry;
    if (fold.version <= entry.saved) return;
    const version = fold.version;
    const body = JSON.stringify(fold.state());
    await this.store.saveCheckpoint(groupId, HEALTH_CHECKPOINT, { version, format: HEALTH_FOLD_FORMAT, body });
    entry.saved = Math.max(entry.saved, version);
  }

  #inBackground(work: () => Promise<void>) {
    this.#background = this.#background
      .then(nextTurn)
      .then(work)
      .catch((err: unknown) => this.#log?.warn({ err }, 'writing a health checkpoint failed'));
  }
}
