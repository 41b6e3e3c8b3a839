import { fromBase64 } from 'lib0/buffer';
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
 * Checked by hand, not with zod, which stays out of the board's bundle (docs/client.md, Budget).
 */
export function takeFirstScreen(groupId: string): FirstScreenDoc | null {
  const element = document.getElementById(FIRST_SCREEN_ELEMENT_ID);
  if (!element) return null;
  element.remove();
  try {
    const data = JSON.parse(element.textContent ?? '') as Partial<Record<keyof FirstScreen, unknown>>;
    if (data.groupId !== groupId || typeof data.memberId !== 'string' || typeof data.update !== 'string') return null;
    const doc = new Y.Doc();
    Y.applyUpdate(doc, fromBase64(data.update));
    return { memberId: data.memberId, doc };
  } catch {
    return null;
  }
}
