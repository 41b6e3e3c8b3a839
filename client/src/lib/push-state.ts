/**
 * What the board needs to know about notifications before any is turned on: small, so the board
 * carries it; turning them on (push.ts) loads with the prompt or the account page.
 */

/** Push needs a service worker, PushManager and notifications (an iPhone only once added to the home screen). */
export const pushSupported = () =>
  typeof navigator !== 'undefined' && 'serviceWorker' in navigator && typeof window !== 'undefined' && 'PushManager' in window && typeof Notification !== 'undefined';

export const pushDenied = () => typeof Notification !== 'undefined' && Notification.permission === 'denied';

const ANSWERED = (groupId: string) => `huzhu.push.answered.${groupId}`;
export const ON = (groupId: string) => `huzhu.push.on.${groupId}`;

export function read(key: string): string | null {
  try {
    return localStorage.getItem(key);
  } catch {
    return null;
  }
}
export function write(key: string, value: string | null) {
  try {
    if (value === null) localStorage.removeItem(key);
    else localStorage.setItem(key, value);
  } catch {
    // Private mode without storage: the prompt may come again, nothing worse.
  }
}

/** Whether the member answered the board's prompt for this group (yes or no): it never comes again. */
export const pushAnswered = (groupId: string) => read(ANSWERED(groupId)) !== null;
export const answerPush = (groupId: string, answer: 'yes' | 'no') => write(ANSWERED(groupId), answer);

/** Whether this device is turned on for the group (as far as this device knows). */
export const pushOnHere = (groupId: string) => read(ON(groupId)) !== null;

