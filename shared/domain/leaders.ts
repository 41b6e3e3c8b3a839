import { dayKey, type Member } from './types.ts';

/** What a leaderboard reads of a member: the domain's member and the doc's member view both fit. */
type Helper = Pick<Member, 'status' | 'helpsByDay'> & { stats: Pick<Member['stats'], 'helped'> };

/** How many a leaderboard lists. */
export const LEADERS_LISTED = 10;

/**
 * Helps per member over the group's last `days` days (1: today, 7: this week; `all`: ever), most
 * first, members with none left out. The board's ⭐ line, 积分's leaderboard and the projector read
 * it, and the server picks the ⭐ line's members for the first screen with it.
 */
export function leaders<M extends Helper>(members: Iterable<M>, days: number | 'all', now: number, timezoneOffsetMinutes: number): { member: M; helps: number }[] {
  const keys = days === 'all' ? null : new Set(Array.from({ length: days }, (_, i) => dayKey(now - i * 86_400_000, timezoneOffsetMinutes)));
  return [...members]
    .filter((m) => m.status !== 'removed')
    .map((member) => ({
      member,
      helps: keys === null ? member.stats.helped : Object.entries(member.helpsByDay).reduce((n, [day, c]) => (keys.has(day) ? n + c : n), 0),
    }))
    .filter((x) => x.helps > 0)
    .sort((a, b) => b.helps - a.helps)
    .slice(0, LEADERS_LISTED);
}
