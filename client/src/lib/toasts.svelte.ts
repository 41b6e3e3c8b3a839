export interface Toast {
  id: number;
  text: string;
  tone: 'info' | 'good' | 'error';
  /** A button beside the text (撤销), offered while the toast shows. */
  action?: { label: string; run: () => void };
}

/** How long a toast stays; errors a little longer, they need reading. */
const TOAST_MS = { info: 4000, good: 4000, error: 6000 } as const;

/** A toast's clock: when it leaves, or, while held, how long it has left. */
interface Clock {
  timer: ReturnType<typeof setTimeout> | undefined;
  until: number;
  left: number;
}

/** In-app notifications, newest last; each leaves by itself. */
class Toasts {
  list = $state.raw<readonly Toast[]>([]);
  #next = 0;
  readonly #clocks = new Map<number, Clock>();

  show(text: string, tone: Toast['tone'] = 'info') {
    this.#add(text, tone, TOAST_MS[tone]);
  }

  /**
   * A toast with one action (撤销) for `ms`: the action runs at most once and takes the toast away.
   * Returns its id, so a later toast about the same thing can replace it.
   */
  offer(text: string, label: string, run: () => void, ms: number): number {
    let used = false;
    const id = this.#add(text, 'good', ms, {
      label,
      run: () => {
        if (used) return;
        used = true;
        this.dismiss(id);
        run();
      },
    });
    return id;
  }

  /**
   * While the focus is in a toast (a keyboard or a screen reader on its 撤销) it stays (WCAG 2.2
   * 2.2.1: a time limit the reader can stop); when the focus leaves, it has the time it had left.
   */
  hold(id: number, held: boolean) {
    const c = this.#clocks.get(id);
    if (!c) return;
    clearTimeout(c.timer);
    if (held) {
      c.left = Math.max(c.left, c.until - Date.now());
      c.timer = undefined;
      return;
    }
    c.until = Date.now() + c.left;
    c.timer = setTimeout(() => this.dismiss(id), c.left);
  }

  dismiss(id: number) {
    clearTimeout(this.#clocks.get(id)?.timer);
    this.#clocks.delete(id);
    this.list = this.list.filter((t) => t.id !== id);
  }

  #add(text: string, tone: Toast['tone'], ms: number, action?: Toast['action']): number {
    const id = ++this.#next;
    for (const old of this.list.slice(0, -3)) this.#clocks.delete(old.id);
    this.list = [...this.list.slice(-3), { id, text, tone, ...(action && { action }) }];
    this.#clocks.set(id, { timer: setTimeout(() => this.dismiss(id), ms), until: Date.now() + ms, left: 0 });
    return id;
  }
}

export const toasts = new Toasts();
