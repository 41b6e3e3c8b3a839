import { describe, expect, it } from 'vitest';
import { remindersFor, reminderKey, TASK_SHORT_LEAD_MINUTES } from '../../shared/domain/reminders.ts';
import { DomainSim, MINUTE } from '../helpers/domain.ts';

/** Reminders inside the board (docs/domain.md, [N1] and [N2]), read from the group as the doc has it. */
const AUTO = 60;

function group() {
  const g = new DomainSim({ autoConfirmMinutes: AUTO, claimTimeoutMinutes: 600 });
  for (const m of ['amy', 'bo', 'cy']) g.join(m);
  const of = (who: string | null) => remindersFor(Object.values(g.state.tasks), g.state.settings, who, g.now);
  return { g, of };
}

describe('[N2] a helper marked my task done', () => {
  it('reminds the poster only, with the moment it confirms itself, until it is confirmed', () => {
    const { g, of } = group();
    const t = g.post('amy', 2, 600);
    const c = g.claim('bo', t);
    expect(of('amy')).toEqual([]);
    g.tick(5);
    g.must('bo', { type: 'task.markDone', payload: { taskId: t } });
    const doneAt = g.now;
    expect(of('amy')).toEqual([{ kind: 'confirmNeeded', taskId: t, title: '空气炸锅', claimId: c, helperId: 'bo', autoConfirmAt: doneAt + AUTO * MINUTE }]);
    expect(of('bo')).toEqual([]);
    expect(of(null)).toEqual([]);
    g.must('amy', { type: 'task.confirm', payload: { taskId: t, claimId: c, thanks: '' } });
    expect(of('amy')).toEqual([]);
  });

  it('shows the task end as the confirm time when the task ends first (expiry pays a done help)', () => {
    const { g, of } = group();
    const t = g.post('amy', 2, 20);
    g.claim('bo', t);
    g.must('bo', { type: 'task.markDone', payload: { taskId: t } });
    expect(of('amy')[0]).toMatchObject({ kind: 'confirmNeeded', autoConfirmAt: g.state.tasks[t]!.expiresAt });
  });
});

describe('[N1] my task is about to expire still short of helpers', () => {
  it(`reminds the poster in the last ${TASK_SHORT_LEAD_MINUTES} minutes, saying how many are missing`, () => {
    const { g, of } = group();
    const t = g.post('amy', 2, 60);
    g.claim('bo', t);
    g.tick(60 - TASK_SHORT_LEAD_MINUTES - 1);
    expect(of('amy')).toEqual([]);
    g.tick(1);
    expect(of('amy')).toEqual([{ kind: 'taskShort', taskId: t, title: '空气炸锅', missing: 1, expiresAt: g.state.tasks[t]!.expiresAt }]);
    expect(of('bo')).toEqual([]);
    g.claim('cy', t);
    expect(of('amy')).toEqual([]);
  });

  it('says nothing once the task has closed, and lists the soonest deadline first', () => {
    const { g, of } = group();
    const late = g.post('amy', 1, 25);
    const soon = g.post('amy', 1, 10);
    expect(of('amy').map((r) => r.kind === 'taskShort' && r.taskId)).toEqual([soon, late]);
    g.must('amy', { type: 'task.cancel', payload: { taskId: soon } });
    expect(of('amy').map(reminderKey)).toEqual([`short:${late}`]);
    g.tick(25);
    expect(of('amy')).toEqual([]);
  });
});
