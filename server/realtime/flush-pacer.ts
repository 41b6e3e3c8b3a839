/**
 * When a room's doc updates go out (yjs.ts): at the end of this turn of the event loop, unless the
 * last broadcast ended less than its own length ago; then at that moment, with whatever came
 * meanwhile merged into it. A room's broadcasts thus take at most about half of the event loop. At
 * 500 members one takes ~6 ms of writes, and at 100 commands/s the commands queued one broadcast each,
 * every ack and append waiting behind them (ack p99 111–245 ms; 28–38 ms paced, docs/benchmarks.md).
 * In a quiet room, or below a few hundred members, a broadcast is short and nothing waits.
 */
/** However long the last broadcast took (a garbage collection in the middle of it), the next waits no longer. */
export const MAX_PACE_MS = 50;

export class FlushPacer {
  #cancel: (() => void) | null = null;
  #lastEnd = -Infinity;
  #lastMs = 0;

  constructor(
    private readonly flush: () => void,
    private readonly now: () => number = () => performance.now(),
  ) {}

  /** Something is waiting to go out. */
  schedule() {
    if (this.#cancel) return;
    const wait = this.#lastEnd + Math.min(this.#lastMs, MAX_PACE_MS) - this.now();
    if (wait >= 1) {
      const timer = setTimeout(() => this.run(), wait);
      this.#cancel = () => clearTimeout(timer);
    } else {
      const immediate = setImmediate(() => this.run());
      this.#cancel = () => clearImmediate(immediate);
    }
  }

  /** Flush now (also early, before a member is disconnected), timing it for the next one. */
  run() {
    this.cancel();
    const started = this.now();
    this.flush();
    this.#lastEnd = this.now();
    this.#lastMs = this.#lastEnd - started;
  }

  cancel() {
    this.#cancel?.();
    this.#cancel = null;
  }
}
