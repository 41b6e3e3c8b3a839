import type { Lang } from '../../../shared/protocol/errors.ts';
import { pushApi, type ClientError } from './api.ts';
import { pushSupported, read, write, ON } from './push-state.ts';
import { pushWord } from './push-words.ts';
import { toasts } from './toasts.svelte.ts';

/**
 * Web Push on this device (docs/notifications.md). A device has one push subscription (the service
 * worker's); each group it is turned on for gets it on the server, with the device's language.
 * Turning it off for a group removes it there and keeps the browser's subscription for other groups.
 */

const base64url = (b64: string) => {
  const s = atob(b64.replace(/-/g, '+').replace(/_/g, '/'));
  return Uint8Array.from(s, (c) => c.charCodeAt(0));
};

/** `failed`: the browser's push service refused or is unreachable (a browser without one, no network). */
export type PushResult = { ok: true } | { ok: false; reason: 'unsupported' } | { ok: false; reason: 'denied' } | { ok: false; reason: 'failed' } | { ok: false; reason: 'error'; error: ClientError };

/** Ask for permission (from a tap), subscribe through the service worker and tell the server. */
export async function turnOnPush(lang: Lang, groupId: string): Promise<PushResult> {
  if (!pushSupported()) return { ok: false, reason: 'unsupported' };
  const permission = await Notification.requestPermission();
  if (permission !== 'granted') return { ok: false, reason: 'denied' };
  const key = await pushApi.key(lang);
  if (!key.ok) return { ok: false, reason: 'error', error: key.error };
  let sub: PushSubscription;
  try {
    const registration = await navigator.serviceWorker.ready;
    let found = await registration.pushManager.getSubscription();
    // A subscription made with another key (the server's keys were rotated) cannot be sent to: renew it.
    const want = base64url(key.data.publicKey);
    const has = found?.options.applicationServerKey ? new Uint8Array(found.options.applicationServerKey) : null;
    if (found && (!has || has.length !== want.length || has.some((b, i) => b !== want[i]))) {
      await found.unsubscribe();
      found = null;
    }
    sub = found ?? (await registration.pushManager.subscribe({ userVisibleOnly: true, applicationServerKey: want }));
  } catch {
    return { ok: false, reason: 'failed' };
  }
  const res = await pushApi.subscribe(lang, groupId, sub.toJSON());
  if (!res.ok) return { ok: false, reason: 'error', error: res.error };
  write(ON(groupId), sub.endpoint);
  return { ok: true };
}

/** Stop this device's notifications for the group. */
export async function turnOffPush(lang: Lang, groupId: string): Promise<PushResult> {
  const endpoint = read(ON(groupId));
  write(ON(groupId), null);
  if (!endpoint) return { ok: true };
  const res = await pushApi.unsubscribe(lang, groupId, endpoint);
  // Already gone on the server (a push service said 410, the device was signed out): off all the same.
  if (!res.ok && res.error.code !== 'PUSH_SUBSCRIPTION_NOT_FOUND') return { ok: false, reason: 'error', error: res.error };
  return { ok: true };
}

/** What turning notifications on or off came to, said in a toast. */
export function announce(lang: Lang, r: PushResult, on: boolean) {
  if (r.ok) toasts.show(pushWord(lang, on ? 'pushOnToast' : 'pushOffToast'), 'good');
  else if (r.reason === 'error') toasts.show(r.error.message, 'error');
  else toasts.show(pushWord(lang, r.reason === 'denied' ? 'pushDenied' : r.reason === 'failed' ? 'pushFailed' : 'pushUnsupported'), 'info');
}
