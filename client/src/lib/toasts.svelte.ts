export interface Toast {
  id: number;
  text: string;
  tone: 'info' | 'good' | 'error';
}

/** How long a toast stays; errors a little longer, they need reading. */
const TOAST_MS = { info: 4000, good: 4000, error: 6000 } as const;

/** In-app notifications, newest last; each leaves by itself. */
class Toasts {
  list = $state.raw<readonly Toast[]>([]);
  #next = 0;

  show(text: string, tone: Toast['tone'] = 'info') {
    const id = ++this.#next;
    this.list = [...this.list.slice(-3), { id, text, tone }];
    setTimeout(() => this.dismiss(id), TOAST_MS[tone]);
  }

  dismiss(id: number) {
    this.list = this.list.filter((t) => t.id !== id);
  }
}

export const toasts = new Toasts();
