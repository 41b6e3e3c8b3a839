import { describe, expect, it } from 'vitest';
import { helpScore } from '../../shared/domain/queue.ts';
import { APPEAL_INTERVAL_MS, standingFlags } from '../../shared/domain/standing.ts';
import { tasksOf } from '../../shared/ydoc.ts';
import { DomainSim, MINUTE } from '../helpers/domain.ts';

/** Free-riders, fairly (docs/reciprocity.md): the flags, the weekly appeal [F1] and clearing [F2]. */

/** A group with a 90% floor where `slacker` took and dropped three claims: below the floor. */
function flaggedGroup() {
  const g = new DomainSim({ reliabilityFloor: 0.9, startingGrant: 30 });
  for (const id of ['admin', 'poster', 'slacker', 'other']) g.join(id);
  g.must('owner', { type: 'member.setRole', payload: { memberId: 'admin', role: 'admin' } });
  const taskId = g.post('poster', 3, 600);
  for (let i = 0; i < 3; i++) {
    g.claim('slacker', taskId);
    g.must('slacker', { type: 'task.release', payload: { taskId } });
  }
  return g;
}
const appeal = (note = '那几天住院了') => ({ type: 'member.appeal' as const, payload: { note } });
const flagsOf = (g: DomainSim, id: string) => standingFlags(g.state.members[id]!, g.state.settings.reliabilityFloor);

describe('[F1] a flagged member appeals once a week', () => {
  it('an unflagged member has nothing to appeal', () => {
    const g = flaggedGroup();
    expect(g.code('other', appeal())).toBe('NOT_FLAGGED');
    expect(g.state.reports).toEqual({});
  });

  it('the appeal waits in the report queue with the note, and the next one only a week later by the server clock', () => {
    const g = flaggedGroup();
    expect(flagsOf(g, 'slacker')).toEqual({ belowFloor: true, debt: false, flagged: true });
    const { reportId } = g.must('slacker', appeal('那几天住院了，手机 13812345678'));
    const report = g.state.reports[String(reportId)]!;
    expect(report).toMatchObject({ targetKind: 'appeal', targetId: 'slacker', subjectId: 'slacker', by: 'slacker', at: g.now });
    // Personal data in the note is hidden like everywhere else.
    expect(report.reason).not.toContain('13812345678');
    const first = g.now;
    g.now = first + APPEAL_INTERVAL_MS - 1;
    const version = g.state.version;
    const d = g.run('slacker', appeal());
    expect(d).toEqual({ ok: false, error: { code: 'APPEAL_TOO_SOON', details: { from: first + APPEAL_INTERVAL_MS } } });
    expect(g.state.version).toBe(version);
    g.now = first + APPEAL_INTERVAL_MS;
    g.must('slacker', appeal('再申诉一次'));
    expect(Object.values(g.state.reports).filter((r) => r.targetKind === 'appeal')).toHaveLength(2);
  });

  it('the doc never says who appealed', () => {
    const g = flaggedGroup();
    g.must('slacker', appeal());
    expect(g.doc.getMap('members').get('slacker')).not.toHaveProperty('lastAppealAt');
  });

  it('report.file cannot make an appeal for someone else (the schema has no such target)', async () => {
    const { clientCommandSchema } = await import('../../shared/protocol/commands.ts');
    const r = clientCommandSchema.safeParse({ id: 'cmd-00001', groupId: 'g1', type: 'report.file', payload: { targetKind: 'appeal', targetId: 'slacker', reason: 'x' } });
    expect(r.success).toBe(false);
  });
});

describe('[F2] staff clear a flag; it comes back only when earned again', () => {
  it('clearing lifts the floor until the next miss, settles the appeal and is in the log for the audit', () => {
    const g = flaggedGroup();
    const { reportId } = g.must('slacker', appeal());
    expect(g.code('slacker', { type: 'task.post', payload: { kind: 'boost', title: 'x', link: 'https://mobile.yangkeduo.com/a', note: '', helpersNeeded: 1, expiresInMinutes: 60 } })).toBe('RELIABILITY_LOW');
    g.must('admin', { type: 'member.clearFlag', payload: { memberId: 'slacker' } });
    expect(g.log.slice(-2).map((e) => e.event)).toEqual([
      { type: 'member.flagCleared', memberId: 'slacker', misses: 3, owed: 0 },
      { type: 'report.resolved', reportId, outcome: 'actioned' },
    ]);
    expect(g.state.reports).toEqual({});
    expect(flagsOf(g, 'slacker').flagged).toBe(false);
    expect(g.doc.getMap('members').get('slacker')).toMatchObject({ clearance: { misses: 3, owed: 0 } });
    g.post('slacker', 1);
    // One more dropped claim and the floor's flag is back.
    const t = g.post('poster', 1);
    g.claim('slacker', t);
    g.must('slacker', { type: 'task.release', payload: { taskId: t } });
    expect(flagsOf(g, 'slacker').belowFloor).toBe(true);
    expect(g.code('admin', { type: 'member.clearFlag', payload: { memberId: 'other' } })).toBe('NOT_FLAGGED');
  });

  it('only down the ranks: an admin cannot clear their own flag nor the owner member an admin', () => {
    const g = flaggedGroup();
    const t = g.post('poster', 1, 600);
    for (let i = 0; i < 3; i++) {
      g.claim('admin', t);
      g.must('admin', { type: 'task.release', payload: { taskId: t } });
    }
    expect(g.code('admin', { type: 'member.clearFlag', payload: { memberId: 'admin' } })).toBe('OUTRANKED');
    expect(g.code('other', { type: 'member.clearFlag', payload: { memberId: 'slacker' } })).toBe('FORBIDDEN');
    g.must('owner', { type: 'member.clearFlag', payload: { memberId: 'admin' } });
  });

  it('求助多、帮忙少: a cleared debt counts again from zero, and the card stops sinking the poster', () => {
    const g = new DomainSim({ startingGrant: 100 });
    for (const id of ['asker', 'h1', 'h2']) g.join(id);
    // Seven helps received, none given: owes 7, past the allowance of 5.
    for (let i = 0; i < 7; i++) {
      const t = g.post('asker', 1);
      g.claim(i % 2 ? 'h1' : 'h2', t);
      g.must(i % 2 ? 'h1' : 'h2', { type: 'task.markDone', payload: { taskId: t } });
      g.must('asker', { type: 'task.confirm', payload: { taskId: t, claimId: g.state.tasks[t]!.claims[0]!.id } });
    }
    expect(flagsOf(g, 'asker')).toEqual({ belowFloor: false, debt: true, flagged: true });
    const open = g.post('asker', 1);
    const kinds = () => helpScore(g.state.tasks[open]!, g.state.members['asker'], 'h1', g.now).reasons.map((r) => r.kind);
    expect(kinds()).toContain('debt');
    g.must('owner', { type: 'member.clearFlag', payload: { memberId: 'asker' } });
    expect(flagsOf(g, 'asker').debt).toBe(false);
    expect(kinds()).not.toContain('debt');
    // The board reads the same from the doc.
    const docPoster = g.doc.getMap('members').get('asker') as Parameters<typeof helpScore>[1];
    expect(helpScore(tasksOf(g.doc).find((x) => x.id === open)!, docPoster, 'h1', g.now).reasons.map((r) => r.kind)).not.toContain('debt');
    g.now += MINUTE;
  });
});
