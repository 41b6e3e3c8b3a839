import type { MessageKey, Params } from './i18n.ts';

type T = (key: MessageKey, params?: Params) => string;

const MINUTE = 60_000;

/** "还剩 25 分钟" / "还剩 3 小时"; a deadline in the past reads as expired. */
export function timeLeft(t: T, until: number, now: number): string {
  const ms = until - now;
  if (ms <= 0) return t('expired');
  const minutes = Math.ceil(ms / MINUTE);
  return minutes < 60 ? t('timeLeftMin', { n: minutes }) : t('timeLeftHour', { n: Math.round(minutes / 60) });
}

/** How long a task or a deal alert may run: the choices the forms offer. */
export const DURATION_CHOICES = [30, 60, 120, 360, 1440] as const;

/** "30 分钟" / "2 小时" for a duration choice. */
export function durationLabel(t: T, minutes: number): string {
  return minutes < 60 ? t('minutes', { n: minutes }) : t('hours', { n: minutes / 60 });
}

/** mm:ss or h:mm:ss, for deal alerts and event countdowns. */
export function clock(ms: number): string {
  const s = Math.max(0, Math.floor(ms / 1000));
  const h = Math.floor(s / 3600);
  const m = Math.floor((s % 3600) / 60);
  const sec = s % 60;
  const pad = (n: number) => String(n).padStart(2, '0');
  return h ? `${h}:${pad(m)}:${pad(sec)}` : `${pad(m)}:${pad(sec)}`;
}

/** A stable colour per member for avatars and presence. */
export function memberColor(memberId: string): string {
  let h = 0;
  for (const ch of memberId) h = (h * 31 + ch.charCodeAt(0)) % 360;
  return `hsl(${h} 60% 45%)`;
}

/** The first character of a name, for round avatars. */
export function initial(name: string): string {
  return Array.from(name.trim())[0] ?? '?';
}

const pad2 = (n: number) => String(n).padStart(2, '0');

/** 08:00 for minutes into a day (a daily task's time). */
export function minuteOfDay(minutes: number): string {
  return `${pad2(Math.floor(minutes / 60))}:${pad2(minutes % 60)}`;
}

/** "12/30": a moment's date in the group's calendar (its time zone, not the phone's). */
export function groupDate(at: number, timezoneOffsetMinutes: number): string {
  const d = new Date(at + timezoneOffsetMinutes * MINUTE);
  return `${d.getUTCMonth() + 1}/${d.getUTCDate()}`;
}
