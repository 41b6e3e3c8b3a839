import { createSubscriber } from 'svelte/reactivity';

/**
 * The clock countdowns read (mm:ss on deals, events and claims about to time out). It ticks every
 * second, but only while something on screen reads it: the board's own clock (BoardState.now) ticks
 * every 15 s, because a tick there re-sorts and re-renders every card.
 */
class SecondsClock {
  #subscribe = createSubscriber((update) => {
    const timer = setInterval(update, 1000);
    return () => clearInterval(timer);
  });

  get now(): number {
    this.#subscribe();
    return Date.now();
  }
}

export const seconds = new SecondsClock();
