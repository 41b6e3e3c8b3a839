import * as Y from 'yjs';
import { FIRST_SCREEN_ELEMENT_ID, type FirstScreen } from '../../../shared/protocol/first-screen.ts';

/** The first screen's doc, and whose board it was cut for. */
export interface FirstScreenDoc {
  memberId: string;
  doc: Y.Doc;
}

/**
 * The first screen the server put into this page for `groupId` (shared/protocol/first-screen.ts),
 * taken once: the element leaves the page, so coming back to the group later opens its own doc.
 */
export function takeFirstScreen(groupId: string): FirstScreenDoc | null {
  const element = document.getElementById(FIRST_SCREEN_ELEMENT_ID);
  element?.remove();
  return element && firstScreenDoc(groupId, () => JSON.parse(element.textContent ?? ''));
}

/**
 * The doc of a first screen for `groupId` (the page's element, or GET /api/groups/:id/first-screen),
 * or null for another group's or one that does not decode. Checked by hand, not with zod, which stays
 * out of the board's bundle (docs/client.md, Budget).
 */
export function firstScreenDoc(groupId: string, read: () => Partial<Record<keyof FirstScreen, unknown>>): FirstScreenDoc | null {
  try {
    const { groupId: id, memberId, update } = read();
    if (id !== groupId || typeof memberId !== 'string' || typeof update !== 'string') return null;
    const doc = new Y.Doc();
    Y.applyUpdate(doc, Uint8Array.from(atob(update), (c) => c.charCodeAt(0)));
    return { memberId, doc };
  } catch {
    return null;
  }
}
