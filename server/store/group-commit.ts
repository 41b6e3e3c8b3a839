/** One item's outcome in a committed batch. */
export type Settled<T> = { ok: true; value: T } | { ok: false; error: unknown };

/**
 * A batch this big leaves at once, even while others are with the writer, instead of waiting for them
 * to be answered. 100 busy groups committed 6,600–6,900 commands/s in batches of 100 and 11,000–12,900/s
 * in batches of 32–34 (docs/benchmarks.md, change 20): the smaller batch costs an fsync more, but the
 * writer starts on it while this thread still decides the commands after it.
 */
export const FULL_BATCH = 32;
/** Batches with the writer at once: one being committed, the others queued behind it. */
export const MOST_WITH_WRITER = 3;

/**
 * Group commit, for the SQLite store: writes asked for together, from any groups, are committed
 * together (one transaction, one fsync). A batch leaves as soon as the code that asked has run (a
 * microtask), so writes asked for at once (Promise.all) join it; while it is being committed, what is
 * asked for meanwhile becomes the next batch, which leaves at the end of the turn the answers come in,
 * so the commands those answers let go join it: the busier the store, the bigger the batch and the
 * fewer the fsyncs. An idle store does not wait for the end of the event loop's turn: at 50 commands/s
 * in a group of 100 that wait (behind the turn's other sockets and the board's broadcasts) was 1 ms of
 * a 4.6 ms command (docs/benchmarks.md).
 *
 * A batch that reaches FULL_BATCH items leaves at once even while another is being committed: the
 * writer commits it next while this thread decides the commands after it, so under load the two
 * threads work side by side instead of in turn.
 *
 * A write is answered only when its batch has been committed: `commit` resolves once the batch is
 * durable, with one outcome per item, or rejects when the batch as a whole failed, and then every item
 * of it is refused. Batches are committed in the order they leave. A group's writes are never in one
 * batch together, nor in two at once (its queue is serial), so each group's order is kept.
 */
export class GroupCommit<I, O> {
  #pending: { item: I; resolve: (value: O) => void; reject: (err: unknown) => void }[] = [];
  #scheduled = false;
  /** Batches with the writer; each settles once its items are answered, never rejects. */
  readonly #inFlight = new Set<Promise<void>>();

  constructor(private readonly commit: (items: I[]) => Promise<Settled<O>[]>) {}

  add(item: I): Promise<O> {
    return new Promise((resolve, reject) => {
      this.#pending.push({ item, resolve, reject });
      if (this.#pending.length >= FULL_BATCH) this.#send();
      else this.#schedule();
    });
  }

  /** Commit what was asked for now, and wait until every batch is answered (for a graceful close). */
  async drain() {
    while (this.#inFlight.size || this.#pending.length) {
      this.#send();
      await Promise.race(this.#inFlight);
    }
  }

  #schedule(afterTurn = false) {
    if (this.#scheduled || (this.#inFlight.size > 0 && !afterTurn)) return;
    this.#scheduled = true;
    (afterTurn ? setImmediate : queueMicrotask)(() => {
      this.#scheduled = false;
      this.#send();
    });
  }

  #send() {
    if (this.#inFlight.size >= MOST_WITH_WRITER || this.#pending.length === 0) return;
    const batch = this.#pending;
    this.#pending = [];
    const done = () => {
      this.#inFlight.delete(inFlight);
      // What waited leaves at the end of this turn, not after a microtask: the commands this batch's
      // answers let go (each group's next) are decided in the turn and join it, where a microtask would
      // send it before them and make each wait one more commit.
      if (this.#pending.length) this.#schedule(true);
    };
    let committed: Promise<Settled<O>[]>;
    try {
      committed = this.commit(batch.map((p) => p.item));
    } catch (err) {
      // A commit that throws instead of rejecting must not leave this batch's writes unanswered.
      committed = Promise.reject(err);
    }
    const inFlight: Promise<void> = committed.then(
      (outcomes) => {
        done();
        batch.forEach((p, i) => {
          const o = outcomes[i];
          if (!o) p.reject(new Error('the store answered fewer writes than it was sent'));
          else if (o.ok) p.resolve(o.value);
          else p.reject(o.error);
        });
      },
      (err: unknown) => {
        done();
        for (const p of batch) p.reject(err);
      },
    );
    this.#inFlight.add(inFlight);
  }
}
