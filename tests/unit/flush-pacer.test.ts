import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { FlushPacer } from '../../server/realtime/flush-pacer.ts';

/** The pacing of a room's broadcasts, on fake timers; a broadcast "takes" what it adds to the clock. */
describe('FlushPacer', () => {
  let now: number;
  let flushes: number[];
  let waiting: number;
  let takes: number;
  let pacer: FlushPacer;
  beforeEach(() => {
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout', 'setImmediate', 'clearImmediate'] });
    now = 1_000;
    flushes = [];
    waiting = 0;
    takes = 0;
    pacer = new FlushPacer(
      () => {
        flushes.push(waiting);
        waiting = 0;
        now += takes;
      },
      () => now,
    );
  });
  afterEach(() => {
    vi.useRealTimers();
  });
  const update = () => {
    waiting++;
    pacer.schedule();
  };
  /** Move the clock and run what came due. */
  const advance = async (ms: number) => {
    now += ms;
    await vi.advanceTimersByTimeAsync(ms);
  };

  it('sends at the end of the turn when broadcasts are short, and merges what came in the same turn', async () => {
    takes = 0.5;
    update();
    update();
    expect(flushes).toEqual([]);
    await vi.runOnlyPendingTimersAsync();
    expect(flushes).toEqual([2]);
    await advance(1);
    update();
    await vi.runOnlyPendingTimersAsync();
    expect(flushes).toEqual([2, 1]);
  });

  it('after a long broadcast, waits until as long again has passed, merging what comes meanwhile', async () => {
    takes = 6;
    update();
    await vi.runOnlyPendingTimersAsync();
    expect(flushes).toEqual([1]);
    // 2 ms after it ended: the next may go 4 ms later; three updates come in that time.
    await advance(2);
    update();
    await advance(1);
    update();
    await advance(2);
    update();
    expect(flushes).toEqual([1]);
    await advance(1);
    expect(flushes).toEqual([1, 3]);
    // Long after, an update goes at the end of its turn.
    await advance(50);
    update();
    await vi.runOnlyPendingTimersAsync();
    expect(flushes).toEqual([1, 3, 1]);
  });

  it('runs at once when asked (a member about to be disconnected), and then not again for what it sent', async () => {
    takes = 6;
    update();
    await vi.runOnlyPendingTimersAsync();
    await advance(1);
    update();
    pacer.run();
    expect(flushes).toEqual([1, 1]);
    await advance(20);
    expect(flushes).toEqual([1, 1]);
  });
});
