import type { Lang } from '../protocol/errors.ts';
import { URGENT_PUSH_KINDS, type PushKind, type PushPayload, type PushSettings } from '../protocol/push.ts';

const MINUTE = 60_000;
const DAY = 24 * 60 * MINUTE;

/** [P3] Notifications to one member in one group closer together than this are merged into one. */
export const PUSH_MERGE_WINDOW_MS = MINUTE;
/** [P1] A group event's members hear of it this long before it starts. */
export const EVENT_SOON_LEAD_MINUTES = 10;
/** A title is cut to this many characters: a notification is a glance, not the card. */
const TITLE_CHARS = 24;
const TEXT_CHARS = 40;

/**
 * What one notification is about: the facts, not the words (those are chosen per device's language
 * when it is sent). No member's name: a lock screen is seen by whoever holds the phone.
 */
export type PushItem =
  | { kind: 'claimed'; taskId: string; title: string }
  | { kind: 'confirmNeeded'; taskId: string; title: string; claimId: string; autoConfirmAt: number }
  | { kind: 'claimTimeout'; taskId: string; title: string; claimId: string; dueAt: number; extendable: boolean }
  | { kind: 'taskShort'; taskId: string; title: string; missing: number; expiresAt: number }
  | { kind: 'deal'; messageId: string; text: string }
  | { kind: 'eventSoon'; eventId: string; title: string; startsAt: number }
  | { kind: 'won'; eventId: string; title: string };

/** Minutes into the group's day at `now`. */
export const minuteOfDay = (now: number, timezoneOffsetMinutes: number) =>
  Math.floor((((now + timezoneOffsetMinutes * MINUTE) % DAY) + DAY) % DAY / MINUTE);

/** [P2] Whether `now` falls in the member's quiet hours, read on the group's clock; from = to: none. */
export function inQuietHours(settings: Pick<PushSettings, 'quietFrom' | 'quietTo'>, now: number, timezoneOffsetMinutes: number): boolean {
  const { quietFrom: from, quietTo: to } = settings;
  if (from === to) return false;
  const m = minuteOfDay(now, timezoneOffsetMinutes);
  return from < to ? m >= from && m < to : m >= from || m < to;
}

/**
 * [P2] Whether a notification of `kind` goes to the member at `now`: its switch is on, and outside
 * quiet hours; inside them only confirm-needed and claim-timeout, and only with `quietUrgent`.
 * Held back means dropped, not deferred: the board's reminders still show it when it is opened.
 */
export function pushAllowed(settings: PushSettings, kind: PushKind, now: number, timezoneOffsetMinutes: number): boolean {
  if (!settings.kinds[kind]) return false;
  if (!inQuietHours(settings, now, timezoneOffsetMinutes)) return true;
  return settings.quietUrgent && URGENT_PUSH_KINDS.includes(kind);
}

const cut = (s: string, n: number) => (s.length > n ? `${s.slice(0, n - 1)}…` : s);
/** "21:05" on the group's clock. */
export const clockTime = (at: number, timezoneOffsetMinutes: number) => new Date(at + timezoneOffsetMinutes * MINUTE).toISOString().slice(11, 16);

function line(item: PushItem, lang: Lang, tz: number): string {
  const zh = lang === 'zh-CN';
  switch (item.kind) {
    case 'claimed': {
      const t = cut(item.title, TITLE_CHARS);
      return zh ? `你的求助「${t}」有人认领了` : `Someone claimed your task “${t}”`;
    }
    case 'confirmNeeded': {
      const t = cut(item.title, TITLE_CHARS);
      const at = clockTime(item.autoConfirmAt, tz);
      return zh ? `「${t}」有人已助力，请确认；${at} 自动确认` : `A helper marked “${t}” done: please confirm (it confirms itself at ${at})`;
    }
    case 'claimTimeout': {
      const t = cut(item.title, TITLE_CHARS);
      if (zh) return `你认领的「${t}」5 分钟后超时${item.extendable ? '，可以延长' : ''}`;
      return `Your claim on “${t}” times out in 5 minutes${item.extendable ? '; you can extend it' : ''}`;
    }
    case 'taskShort': {
      const t = cut(item.title, TITLE_CHARS);
      const at = clockTime(item.expiresAt, tz);
      return zh ? `「${t}」还差 ${item.missing} 人，${at} 到期` : `“${t}” still needs ${item.missing} more and ends at ${at}`;
    }
    case 'deal': {
      const t = cut(item.text, TEXT_CHARS);
      return zh ? `📣 优惠快报：${t}` : `📣 Deal alert: ${t}`;
    }
    case 'eventSoon': {
      const t = cut(item.title, TITLE_CHARS);
      return zh ? `「${t}」10 分钟后开始` : `“${t}” starts in 10 minutes`;
    }
    case 'won': {
      const t = cut(item.title, TITLE_CHARS);
      return zh ? `🎉 你在「${t}」的抽奖中奖了` : `🎉 You won the draw at “${t}”`;
    }
  }
}

/** The page a notification opens: the card when it is about one task, else the board. */
export function pushUrl(groupId: string, items: readonly PushItem[]): string {
  const board = `/g/${encodeURIComponent(groupId)}`;
  const tasks = new Set(items.map((i) => ('taskId' in i ? i.taskId : null)));
  const [only] = tasks;
  return tasks.size === 1 && only ? `${board}?task=${encodeURIComponent(only)}` : board;
}

/** One tag per group: a later notification of the group replaces the earlier one on the device. */
export const pushTag = (groupId: string) => `huzhu:${groupId}`;

/**
 * [P3] The notification for `items` (oldest first) in `lang`: one item as itself; several as
 * "3 条新动态" with the newest one's line under it.
 */
export function renderPush(groupId: string, groupName: string, items: readonly PushItem[], lang: Lang, tz: number, now: number): PushPayload {
  const newest = items[items.length - 1];
  if (!newest) throw new Error('renderPush needs an item');
  const title = items.length === 1 ? cut(groupName, TITLE_CHARS) : lang === 'zh-CN' ? `${cut(groupName, TITLE_CHARS)} · ${items.length} 条新动态` : `${cut(groupName, TITLE_CHARS)} · ${items.length} new updates`;
  return { title, body: line(newest, lang, tz), tag: pushTag(groupId), url: pushUrl(groupId, items), groupId, kinds: items.map((i) => i.kind), at: now };
}
