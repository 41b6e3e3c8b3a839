export interface Toast {
  id: number;
  text: string;
  tone: 'info' | 'good' | 'error';
  /** A button beside the text (撤销), offered while the toast shows. */
  action?: { label: string; run: () => void };
}

/** How long a toast stays; errors a little longer, they need reading. */
const TOAST_MS = { info: 4000, good: 4000, error: 6000 } as const;

/** In-app notifications, newest last; each leaves by itself. */
class Toasts {
  list = $state.raw<readonly Toast[]>([]);
  #next = 0;

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

  dismiss(id: number) {
    this.list = this.list.filter((t) => t.id !== id);
  }

  #add(text: string, tone: Toast['tone'], ms: number, action?: Toast['action']): number {
    const id = ++this.#next;
    this.list = [...this.list.slice(-3), { id, text, tone, ...(action && { action }) }];
    setTimeout(() => this.dismiss(id), ms);
    return id;
  }
}

export const toasts = new Toasts();
