import type { Action } from 'svelte/action';

/** Long-press before a touch drag starts, so a swipe still scrolls the board. */
export const LONG_PRESS_MS = 350;
/** A finger that moves this far before the long press is scrolling, not dragging. */
const TOUCH_SLOP_PX = 8;
/** A mouse drag starts after this much movement; less is a click. */
const MOUSE_SLOP_PX = 6;

export interface DragOptions {
  enabled: boolean;
  /** The drop zone under the pointer is any element with this data-drop value. */
  zone: string;
  onStart: () => void;
  onOver: (over: boolean) => void;
  onDrop: () => void;
  onEnd: () => void;
}

/**
 * Drag a card onto a drop zone with mouse, pen or touch (long-press on touch), on pointer events.
 * The card itself follows the pointer (translate); the list under it is frozen by the caller.
 * Keyboard users claim with the card's button instead.
 */
export const draggable: Action<HTMLElement, DragOptions> = (node, initial) => {
  let opts = initial;
  let pointerId: number | null = null;
  let startX = 0;
  let startY = 0;
  let dragging = false;
  let over = false;
  let timer: ReturnType<typeof setTimeout> | undefined;

  const zoneAt = (x: number, y: number) =>
    document.elementsFromPoint(x, y).some((el) => el instanceof HTMLElement && el.dataset.drop === opts.zone);

  const begin = () => {
    dragging = true;
    node.classList.add('dragging');
    if (pointerId !== null && node.hasPointerCapture?.(pointerId) === false) {
      try {
        node.setPointerCapture(pointerId);
      } catch {
        // The pointer is already gone.
      }
    }
    navigator.vibrate?.(15);
    opts.onStart();
  };

  const reset = () => {
    clearTimeout(timer);
    const was = dragging;
    pointerId = null;
    dragging = false;
    over = false;
    node.classList.remove('dragging');
    node.style.transform = '';
    if (was) opts.onEnd();
  };

  const down = (e: PointerEvent) => {
    if (!opts.enabled || pointerId !== null || (e.pointerType === 'mouse' && e.button !== 0)) return;
    if ((e.target as Element).closest('button, a, input, select, textarea')) return;
    pointerId = e.pointerId;
    startX = e.clientX;
    startY = e.clientY;
    if (e.pointerType !== 'mouse') timer = setTimeout(begin, LONG_PRESS_MS);
  };

  const move = (e: PointerEvent) => {
    if (e.pointerId !== pointerId) return;
    const dx = e.clientX - startX;
    const dy = e.clientY - startY;
    if (!dragging) {
      const distance = Math.hypot(dx, dy);
      if (e.pointerType === 'mouse' && distance > MOUSE_SLOP_PX) begin();
      else if (e.pointerType !== 'mouse' && distance > TOUCH_SLOP_PX) reset();
      if (!dragging) return;
    }
    node.style.transform = `translate(${dx}px, ${dy}px) rotate(2deg)`;
    const now = zoneAt(e.clientX, e.clientY);
    if (now !== over) {
      over = now;
      opts.onOver(now);
    }
  };

  const up = (e: PointerEvent) => {
    if (e.pointerId !== pointerId) return;
    const drop = dragging && zoneAt(e.clientX, e.clientY);
    reset();
    if (drop) opts.onDrop();
  };

  const cancel = (e: PointerEvent) => {
    if (e.pointerId === pointerId) reset();
  };
  // Once a touch drag has begun the page must not scroll under the finger.
  const touchMove = (e: TouchEvent) => {
    if (dragging && e.cancelable) e.preventDefault();
  };
  const contextMenu = (e: Event) => {
    if (pointerId !== null) e.preventDefault();
  };

  node.addEventListener('pointerdown', down);
  node.addEventListener('pointermove', move);
  node.addEventListener('pointerup', up);
  node.addEventListener('pointercancel', cancel);
  node.addEventListener('touchmove', touchMove, { passive: false });
  node.addEventListener('contextmenu', contextMenu);
  return {
    update(next) {
      opts = next;
    },
    destroy() {
      reset();
      node.removeEventListener('pointerdown', down);
      node.removeEventListener('pointermove', move);
      node.removeEventListener('pointerup', up);
      node.removeEventListener('pointercancel', cancel);
      node.removeEventListener('touchmove', touchMove);
      node.removeEventListener('contextmenu', contextMenu);
    },
  };
};
