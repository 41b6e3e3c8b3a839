import { describe, expect, it } from 'vitest';
import type { DomainCommand } from '../../shared/domain/commands.ts';
import { canClaim, mayActOn } from '../../shared/domain/permissions.ts';
import type { Role } from '../../shared/domain/types.ts';
import { memberControls, staffSections } from '../../client/src/lib/controls.ts';
import { DomainSim } from '../helpers/domain.ts';

/**
 * The client offers a control exactly when the server would accept its command: what the moderation
 * page (client/src/lib/controls.ts), a task card (canClaim) and the chat (mayActOn) show is checked
 * against decide() on a real group, for every role of the viewer and of the member shown.
 */
const ROLES: Role[] = ['owner', 'admin', 'member'];
/** Viewers, and the members they look at (never themselves: an admin looks at another admin). */
const VIEWER: Record<Role, string> = { owner: 'owner', admin: 'ad', member: 'mb' };
const SHOWN: Record<Role, string> = { owner: 'owner', admin: 'ad2', member: 'vm' };

function group(): DomainSim {
  const g = new DomainSim({ startingGrant: 20 });
  for (const id of ['ad', 'ad2', 'mb', 'vm', 'helper', 'h2']) g.join(id);
  g.must('owner', { type: 'member.setRole', payload: { memberId: 'ad', role: 'admin' } });
  g.must('owner', { type: 'member.setRole', payload: { memberId: 'ad2', role: 'admin' } });
  return g;
}

const accepted = (g: DomainSim, actor: string, command: DomainCommand) => g.run(actor, command).ok;
const pairs = ROLES.flatMap((viewer) => ROLES.map((shown) => [viewer, shown] as const));

describe('the moderation page shows what the server accepts', () => {
  it.each(pairs)('%s looking at %s: warn, mute and remove buttons', (viewer, shown) => {
    const warn = accepted(group(), VIEWER[viewer], { type: 'member.warn', payload: { memberId: SHOWN[shown], reason: '' } });
    const remove = accepted(group(), VIEWER[viewer], { type: 'member.remove', payload: { memberId: SHOWN[shown], reason: '' } });
    expect(memberControls(viewer, shown).moderate).toBe(warn);
    expect(memberControls(viewer, shown).moderate).toBe(remove);
  });

  it.each(pairs)('%s looking at %s: the role button', (viewer, shown) => {
    const role = shown === 'admin' ? 'member' : 'admin';
    expect(memberControls(viewer, shown).setRole).toBe(accepted(group(), VIEWER[viewer], { type: 'member.setRole', payload: { memberId: SHOWN[shown], role } }));
  });

  it.each(pairs)('%s looking at %s: re-issuing the recovery code', (viewer, shown) => {
    expect(memberControls(viewer, shown).reissueRecovery).toBe(accepted(group(), VIEWER[viewer], { type: 'member.reissueRecovery', payload: { memberId: SHOWN[shown] } }));
  });

  it('by hand: the owner moderates admins and members, an admin members only, a member nobody', () => {
    const moderate = (viewer: Role) => ROLES.filter((shown) => memberControls(viewer, shown).moderate);
    expect(moderate('owner')).toEqual(['admin', 'member']);
    expect(moderate('admin')).toEqual(['member']);
    expect(moderate('member')).toEqual([]);
    expect(ROLES.filter((shown) => memberControls(null, shown).moderate)).toEqual([]);
  });

  it.each(ROLES)('%s: the settings and events sections', (viewer) => {
    const g = group();
    const settings = accepted(g, VIEWER[viewer], { type: 'group.updateSettings', payload: { settings: { rewardPerHelp: 2 } } });
    const now = g.now;
    const events = accepted(g, VIEWER[viewer], { type: 'event.schedule', payload: { title: '活动', startsAt: now + 3_600_000, endsAt: now + 7_200_000, multiplier: 2, prizeWinners: 0 } });
    // The webhook is the owner's alone (docs/notifications.md): it carries the group's news off the board.
    expect(staffSections(viewer)).toEqual({ projector: viewer === 'owner', events, settings, webhook: viewer === 'owner' });
  });
});

describe('a task card offers a claim when the server would take it', () => {
  /** mb's claim on vm's task for two helpers, taken to `stage`. */
  const mbClaim = (g: DomainSim, stage: 'active' | 'done' | 'confirmed') => {
    const taskId = g.post('vm', 2);
    const claimId = g.claim('mb', taskId);
    if (stage !== 'active') g.must('mb', { type: 'task.markDone', payload: { taskId } });
    if (stage === 'confirmed') g.must('vm', { type: 'task.confirm', payload: { taskId, claimId } });
    return { taskId, viewer: 'mb' };
  };
  /** vm's task for one helper, taken by another helper (and given back, if `released`). */
  const fullTask = (g: DomainSim, released: boolean) => {
    const taskId = g.post('vm', 1);
    g.claim('helper', taskId);
    if (released) g.must('helper', { type: 'task.release', payload: { taskId } });
    return { taskId, viewer: 'mb' };
  };
  /** Each situation: the group, the task, and who looks at the card. */
  const situations: [string, (g: DomainSim) => { taskId: string; viewer: string }][] = [
    ['someone else’s open task', (g) => ({ taskId: g.post('vm', 2), viewer: 'mb' })],
    ['one’s own task', (g) => ({ taskId: g.post('mb', 2), viewer: 'mb' })],
    ['a task one holds a claim on', (g) => mbClaim(g, 'active')],
    ['a task one marked done', (g) => mbClaim(g, 'done')],
    ['a task one already helped on, still open', (g) => mbClaim(g, 'confirmed')],
    ['a full task', (g) => fullTask(g, false)],
    ['a slot freed by a release', (g) => fullTask(g, true)],
    ['a cancelled task', (g) => {
      const taskId = g.post('vm', 2);
      g.must('vm', { type: 'task.cancel', payload: { taskId } });
      return { taskId, viewer: 'mb' };
    }],
  ];

  it.each(situations)('%s', (_name, setUp) => {
    const g = group();
    const { taskId, viewer } = setUp(g);
    const task = structuredClone(g.state.tasks[taskId]!);
    expect(canClaim(task, viewer)).toBe(accepted(g, viewer, { type: 'task.claim', payload: { taskId } }));
  });

  it('offers nothing to a signed-out viewer', () => {
    const g = group();
    expect(canClaim(g.state.tasks[g.post('vm', 2)]!, null)).toBe(false);
  });
});

describe('chat offers delete where the server accepts it', () => {
  it.each(pairs)('%s on a message by a %s', (viewer, author) => {
    const g = group();
    const authorId = viewer === author ? VIEWER[viewer] : SHOWN[author];
    const messageId = String(g.must(authorId, { type: 'chat.send', payload: { text: '你好', kind: 'chat' } }).messageId);
    const me = g.state.members[VIEWER[viewer]]!;
    expect(mayActOn('chat.delete', me, authorId)).toBe(accepted(g, VIEWER[viewer], { type: 'chat.delete', payload: { messageId } }));
  });
});
