import type { Notification, NotificationKind } from '../../../shared/protocol/notify.ts';
import type { MessageKey, Params } from './i18n.ts';
import { ERRORS, type ErrorCode, type Lang } from '../../../shared/protocol/errors.ts';

/** The words for each kind of notification; its fields fill them in ({by}, {title}, {reward}…). */
export const NOTIFICATION_WORDS = {
  'task.claimed': 'toast_claimed',
  'task.markedDone': 'toast_markedDone',
  'task.confirmed': 'toast_confirmed',
  'task.rejected': 'toast_rejected',
  'task.claimExpired': 'toast_claimExpired',
  'task.completed': 'toast_completed',
  'task.closed': 'toast_closed',
  'credit.granted': 'toast_granted',
  'group.ownerTransferred': 'toast_ownerTransferred',
  'event.won': 'youWon',
  'task.repeatSkipped': 'toast_repeatSkipped',
} as const satisfies Record<NotificationKind, MessageKey>;

/** What a notification says in the reader's language (a toast, or the system's when the tab is hidden). */
export function notificationText(n: Notification, t: (key: MessageKey, params?: Params) => string, lang: Lang): string {
  // A skipped daily task says why in the reader's language: its refusal's own words.
  const params = n.kind === 'task.repeatSkipped' ? { ...n, reason: (n.code in ERRORS ? ERRORS[n.code as ErrorCode][lang] : n.code) } : n;
  // An empty {thanks} leaves a trailing space.
  return t(NOTIFICATION_WORDS[n.kind], params).trim();
}

/** Good news gets the green toast. */
export const isGoodNews = (n: Notification) => n.kind === 'task.confirmed' || n.kind === 'task.completed' || n.kind === 'event.won';
