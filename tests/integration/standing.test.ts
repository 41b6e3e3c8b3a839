import { beforeAll, describe, expect, it } from 'vitest';
import { APPEAL_INTERVAL_MS } from '../../shared/domain/standing.ts';
import { standingResponse } from '../../shared/protocol/responses.ts';
import { api, type Session } from '../../support/clients.ts';
import { useGroup } from '../helpers/group.ts';
import { FakeClock } from '../helpers/server.ts';

/** Free-riders, fairly (docs/reciprocity.md) over the real server: evidence, the weekly appeal, clearing. */
describe('a flag with its evidence, the appeal and clearing it', () => {
  const clock = new FakeClock();
  const g = useGroup({ clock, settings: { reliabilityFloor: 0.8 }, members: { amy: { name: '阿芳' }, bo: { name: '小波' } } });
  const standing = async (of: Session, as: Session) => api(g.server.url, 'GET', `/api/groups/${g.owner.groupId}/members/${of.memberId}/standing`, undefined, as.cookie);

  beforeAll(async () => {
    const posted = await g.ownerCmd.must({
      type: 'task.post',
      payload: { kind: 'bargain', title: '空气炸锅砍一刀', link: 'https://mobile.yangkeduo.com/goods.html?goods_id=1', helpersNeeded: 3, expiresInMinutes: 600 },
    });
    const taskId = posted.result.taskId;
    // Three claims taken and let go: 0% reliable after three ended claims, under the 80% floor.
    for (let i = 0; i < 3; i++) {
      clock.advance(60_000);
      await g.cmd.amy.must({ type: 'task.claim', payload: { taskId } });
      await g.cmd.amy.must({ type: 'task.release', payload: { taskId } });
    }
  });

  it('the member and staff see the figures and the claims behind the flag; another member is refused', async () => {
    const mine = await standing(g.member.amy, g.member.amy);
    expect(mine.status).toBe(200);
    const s = standingResponse.parse(mine.json);
    expect(s).toMatchObject({ helped: 0, abandoned: 3, disputesLost: 0, reliability: 0, floor: 0.8, belowFloor: true, debt: false, appealOpen: false, nextAppealAt: null });
    expect(s.misses.map((m) => [m.title, m.outcome])).toEqual([
      ['空气炸锅砍一刀', 'released'],
      ['空气炸锅砍一刀', 'released'],
      ['空气炸锅砍一刀', 'released'],
    ]);
    expect(s.misses[0]!.at).toBeGreaterThan(s.misses[2]!.at);
    expect((await standing(g.member.amy, g.owner)).status).toBe(200);
    const other = await standing(g.member.amy, g.member.bo);
    expect(other.status).toBe(403);
    expect(JSON.stringify(other.json)).not.toContain('belowFloor');
    expect(standingResponse.parse((await standing(g.member.bo, g.member.bo)).json)).toMatchObject({ belowFloor: false, debt: false, misses: [] });
  });

  it('an appeal is validated, waits in the report queue, and the next is refused until a week has passed', async () => {
    const empty = await g.cmd.amy.send({ type: 'member.appeal', payload: { note: '   ' } });
    expect(empty.ok ? 'ok' : empty.error.code).toBe('INVALID_INPUT');
    const tooLong = await g.cmd.amy.send({ type: 'member.appeal', payload: { note: '长'.repeat(201) } });
    expect(tooLong.ok ? 'ok' : tooLong.error.code).toBe('INVALID_INPUT');
    const unflagged = await g.cmd.bo.send({ type: 'member.appeal', payload: { note: '我也想申诉' } });
    expect(unflagged.ok ? 'ok' : unflagged.error.code).toBe('NOT_FLAGGED');

    const appealedAt = clock.now();
    await g.cmd.amy.must({ type: 'member.appeal', payload: { note: '那几次是手机没电了' } });
    const queue = await api(g.server.url, 'GET', `/api/groups/${g.owner.groupId}/reports`, undefined, g.owner.cookie);
    expect(queue.json.reports).toEqual([
      expect.objectContaining({ targetKind: 'appeal', targetId: g.member.amy.memberId, subjectName: '阿芳', byName: '阿芳', reason: '那几次是手机没电了' }),
    ]);
    clock.advance(APPEAL_INTERVAL_MS - 1);
    const again = await g.cmd.amy.send({ type: 'member.appeal', payload: { note: '再看看' } });
    expect(again.ok ? null : again.error).toMatchObject({ code: 'APPEAL_TOO_SOON', details: { from: appealedAt + APPEAL_INTERVAL_MS } });
    expect(standingResponse.parse((await standing(g.member.amy, g.member.amy)).json)).toMatchObject({ appealOpen: true, nextAppealAt: appealedAt + APPEAL_INTERVAL_MS });
  });

  it('staff clear the flag: the appeal is settled, the audit says who, posting works again, and a restart keeps it', async () => {
    const refused = await g.cmd.bo.send({ type: 'member.clearFlag', payload: { memberId: g.member.amy.memberId } });
    expect(refused.ok ? 'ok' : refused.error.code).toBe('FORBIDDEN');
    await g.ownerCmd.must({ type: 'member.clearFlag', payload: { memberId: g.member.amy.memberId } });
    const queue = await api(g.server.url, 'GET', `/api/groups/${g.owner.groupId}/reports`, undefined, g.owner.cookie);
    expect(queue.json.reports).toEqual([]);
    const audit = await api(g.server.url, 'GET', `/api/groups/${g.owner.groupId}/audit`, undefined, g.owner.cookie);
    expect(audit.json.entries.slice(0, 3).map((e: { event: { type: string } }) => e.event.type)).toEqual(['report.resolved', 'member.flagCleared', 'member.appealed']);
    expect(audit.json.entries[1]).toMatchObject({ actor: g.owner.memberId, actorName: '群主', event: { memberId: g.member.amy.memberId, misses: 3, owed: 0 } });
    await g.cmd.amy.must({
      type: 'task.post',
      payload: { kind: 'boost', title: '帮我助力', link: 'https://mobile.yangkeduo.com/goods.html?goods_id=2', helpersNeeded: 1, expiresInMinutes: 60 },
    });

    await g.restart();
    const after = standingResponse.parse((await standing(g.member.amy, g.member.amy)).json);
    expect(after).toMatchObject({ belowFloor: false, clearance: { misses: 3, owed: 0 }, appealOpen: false });
    expect(after.misses).toHaveLength(3);
  });
});
