import type { RunningServer } from '../../server/app.ts';
import { api, CommandClient, createGroup, joinGroup, type Session } from '../../support/clients.ts';
import type { FakeClock } from './server.ts';

const MIN = 60_000;
const HOUR = 60 * MIN;
const DAY = 24 * HOUR;
/** Sunday 1 November 2026, 00:00 in the group's time (UTC+8). */
export const HISTORY_START = Date.parse('2026-11-01T00:00:00+08:00');
export const HISTORY_DAYS = 30;

export interface History {
  groupId: string;
  groupName: string;
  owner: Session;
  /** 老李, a member (not staff). */
  member: Session;
  eventId: string;
  close(): void;
}

const link = (n: number) => `https://mobile.yangkeduo.com/goods.html?goods_id=${n}`;

/**
 * A month of a group's life for 管理 → 群数据, through the real server on a fake clock (timers off,
 * run by hand after each jump): members joining over the weeks, one leaving and one removed, a few
 * tasks a day at the hours people really help (mornings and evenings), some filled quickly, some
 * slowly, some expiring, two members who mostly ask, and an evening event with a draw. Leaves the
 * clock at 21:00 on the 30th day. Deterministic: the same log every run.
 */
export async function seedHistory(server: RunningServer, clock: FakeClock, groupName = '宝妈砍价群'): Promise<History> {
  const url = server.url;
  clock.t = HISTORY_START + 8 * HOUR;
  const runtime = async () => (await server.host.get(owner.groupId))!;
  const owner = await createGroup(url, groupName, '群主');
  const clients: CommandClient[] = [];
  const connect = async (s: Session) => {
    const c = new CommandClient(url, s);
    clients.push(c);
    await c.connected();
    return c;
  };
  const ownerCmd = await connect(owner);
  const people: { name: string; session: Session; cmd: CommandClient }[] = [];
  const join = async (name: string) => {
    const session = await joinGroup(url, owner.inviteCode, name);
    people.push({ name, session, cmd: await connect(session) });
  };
  for (const name of ['阿芳', '小王', '老李', '王阿姨', 'Grace Lin', '张姐']) await join(name);
  await ownerCmd.must({ type: 'member.setRole', payload: { memberId: people[1]!.session.memberId, role: 'admin' } });

  /** Out of the group from now on: nobody asks them for help any more. */
  const gone = (name: string) => people.splice(people.findIndex((p) => p.name === name), 1)[0]!;

  let seed = 7;
  const next = (n: number) => {
    seed = (seed * 1_103_515_245 + 12_345) % 2 ** 31;
    return seed % n;
  };
  const at = async (day: number, minutes: number) => {
    clock.t = Math.max(clock.t, HISTORY_START + day * DAY + minutes * MIN);
    await (await runtime()).runDueTimers();
  };
  // 阿芳 and 张姐 ask a lot and help little; the rest help.
  const askers = () => people.filter((p) => p.name === '阿芳' || p.name === '张姐' || next(4) === 0);
  const helpersFor = (poster: string) => people.filter((p) => p.name !== poster && p.name !== '张姐' && (p.name !== '阿芳' || next(5) === 0));

  let n = 0;
  let eventId = '';
  for (let day = 0; day < HISTORY_DAYS; day++) {
    if (day === 8) await join('李叔');
    if (day === 15) await join('小美');
    if (day === 22) await join('Kevin');
    if (day === 24) {
      await at(day, 9 * 60);
      await api(url, 'POST', `/api/groups/${owner.groupId}/leave`, {}, gone('Kevin').session.cookie);
    }
    if (day === 26) {
      await at(day, 10 * 60);
      await ownerCmd.must({ type: 'member.remove', payload: { memberId: gone('小美').session.memberId, reason: '发广告' } });
    }
    if (day === 27) {
      await at(day, 18 * 60);
      const starts = HISTORY_START + day * DAY + 20 * HOUR;
      eventId = (await ownerCmd.must({ type: 'event.schedule', payload: { title: '晚8点互助大会', startsAt: starts, endsAt: starts + 2 * HOUR, multiplier: 2, prizeWinners: 2 } })).result.eventId;
    }
    // Mornings and evenings, the evening event busiest.
    const hours = Array.from({ length: 2 + next(4) }, () => [8, 9, 12, 19, 20, 21][next(6)]!);
    if (day === 27) hours.push(20, 20, 20, 20, 21);
    for (const hour of hours.sort((a, b) => a - b)) {
      await at(day, hour * 60 + next(40));
      const poster = askers()[next(askers().length)] ?? people[0]!;
      const needed = 1 + next(3);
      const posted = await poster.cmd.send({ type: 'task.post', payload: { kind: (['bargain', 'boost', 'cash'] as const)[next(3)] ?? 'other', title: `求助 ${++n}`, link: link(n), helpersNeeded: needed, expiresInMinutes: 120 } });
      // Out of credits or at the open-task limit, as happens: no task this time.
      if (!posted.ok) continue;
      const taskId: string = posted.result.taskId;
      const helpers = helpersFor(poster.name);
      // One in five finds too few helpers and expires.
      const taking = next(5) === 0 ? needed - 1 : needed;
      const claims: { cmd: CommandClient; claimId: string }[] = [];
      for (let h = 0; h < taking && h < helpers.length; h++) {
        await at(day, hour * 60 + 40 + h * (2 + next(12)));
        const helper = helpers[(h + next(helpers.length)) % helpers.length]!;
        const claim = await helper.cmd.send({ type: 'task.claim', payload: { taskId } });
        if (!claim.ok) continue;
        // Now and then a helper never comes back: the claim times out (abandoned, less reliable).
        if (next(6) === 0) {
          clock.advance(31 * MIN);
          await (await runtime()).runDueTimers();
          continue;
        }
        await helper.cmd.must({ type: 'task.markDone', payload: { taskId } });
        claims.push({ cmd: helper.cmd, claimId: claim.result.claimId });
      }
      for (const c of claims) await poster.cmd.send({ type: 'task.confirm', payload: { taskId, claimId: c.claimId } });
    }
  }
  await at(HISTORY_DAYS - 1, 21 * 60);
  return {
    groupId: owner.groupId,
    groupName,
    owner,
    member: people.find((p) => p.name === '老李')!.session,
    eventId,
    close: () => {
      for (const c of clients) c.close();
    },
  };
}
