/** One item's outcome in a committed batch. */
export type Settled<T> = { ok: true; value: T } | { ok: false; error: unknown };

/**
 * Group commit, for the SQLite store: writes asked for together, from any groups, are committed
 * together (one transaction, one fsync). A batch leaves as soon as the code that asked has run (a
 * microtask), so writes asked for at once (Promise.all) join it; while it is being committed nothing
 * else leaves, and what is asked for meanwhile becomes the next batch, at the end of the turn its
 * answers come in: the busier the store, the bigger the batch and the fewer the fsyncs. An idle store does not wait for the end of the event
 * loop's turn: at 50 commands/s in a group of 100 that wait (behind the turn's other sockets and the
 * board's broadcasts) was 1 ms of a 4.6 ms command (docs/benchmarks.md). A write is answered only when its batch
 * has been committed: `commit` resolves once the batch is durable, with one outcome per item, or
 * rejects when the batch as a whole failed, and then every item of it is refused.
 * A group's writes are never in one batch together (its queue is serial), so each group's order
 * is kept; should two be, they are committed in the order asked.
 */
export class GroupCommit<I, O> {
  #pending: { item: I; resolve: (value: O) => void; reject: (err: unknown) => void }[] = [];
  #scheduled = false;
  /** The batch being committed; settles once its items are answered, never rejects. */
  #inFlight: Promise<void> | null = null;

  constructor(private readonly commit: (items: I[]) => Promise<Settled<O>[]>) {}

  add(item: I): Promise<O> {
    return new Promise((resolve, reject) => {
      this.#pending.push({ item, resolve, reject });
      this.#schedule();
    });
  }

  /** Commit what was asked for now, and wait until every batch is answered (for a graceful close). */
  async drain() {
    while (this.#inFlight || this.#pending.length) {
      if (!this.#inFlight) this.#send();
      await this.#inFlight;
    }
  }

  #schedule(afterBatch = false) {
    if (this.#inFlight || this.#scheduled) return;
    this.#scheduled = true;
    (afterBatch ? setImmediate : queueMicrotask)(() => {
      this.#scheduled = false;
      this.#send();
    });
  }

  #send() {
    if (this.#inFlight || this.#pending.length === 0) return;
    const batch = this.#pending;
    this.#pending = [];
    const done = () => {
      this.#inFlight = null;
      // What waited leaves at the end of this turn, not after a microtask: the commands this batch's
      // answers let go (each group's next) are decided in the turn and join it, where a microtask would
      // send it before them and make each wait one more commit.
      if (this.#pending.length) this.#schedule(true);
    };
    this.#inFlight = this.commit(batch.map((p) => p.item)).then(
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
  }
}
