import fs from 'node:fs';
import { describe, expect, it } from 'vitest';
import type { DomainCommand } from '../../shared/domain/commands.ts';
import {
  canExportLedger,
  canLeave,
  canMakeDisplayLink,
  canManageInvite,
  canReadAudit,
  canReadHealth,
  canReadReports,
  canReissueRecovery,
  mayUse,
  PERMISSIONS,
} from '../../shared/domain/permissions.ts';
import type { Role } from '../../shared/domain/types.ts';
import type { ClientCommandType } from '../../shared/protocol/commands.ts';
import { DomainSim } from '../helpers/domain.ts';

/**
 * [P1][P2] The role matrix of docs/domain.md, written out by hand below (NOT read from
 * shared/domain/permissions.ts), checked against the docs' table, against permissions.ts and against
 * decide: every client command for every role, on someone else's thing and, for "own", on one's own.
 */
type May = 'yes' | 'own' | 'no';
type Row = readonly [owner: May, admin: May, member: May];
const ROLES = ['owner', 'admin', 'member'] as const satisfies readonly Role[];

const COMMANDS: Record<ClientCommandType, Row> = {
  'group.updateSettings': ['yes', 'yes', 'no'],
  'member.rename': ['yes', 'yes', 'yes'],
  'member.setRole': ['yes', 'no', 'no'],
  'member.transferOwnership': ['yes', 'no', 'no'],
  'member.warn': ['yes', 'yes', 'no'],
  'member.mute': ['yes', 'yes', 'no'],
  'member.unmute': ['yes', 'yes', 'no'],
  'member.remove': ['yes', 'yes', 'no'],
  'member.approve': ['yes', 'yes', 'no'],
  'member.reject': ['yes', 'yes', 'no'],
  'report.file': ['yes', 'yes', 'yes'],
  'report.resolve': ['yes', 'yes', 'no'],
  'member.appeal': ['yes', 'yes', 'yes'],
  'member.clearFlag': ['yes', 'yes', 'no'],
  'task.post': ['yes', 'yes', 'yes'],
  'task.claim': ['yes', 'yes', 'yes'],
  'task.release': ['yes', 'yes', 'yes'],
  'task.markDone': ['yes', 'yes', 'yes'],
  'task.extendClaim': ['yes', 'yes', 'yes'],
  'task.undo': ['yes', 'yes', 'yes'],
  'task.confirm': ['yes', 'yes', 'own'],
  'task.reject': ['yes', 'yes', 'own'],
  'task.cancel': ['yes', 'yes', 'own'],
  'task.stopRepeat': ['yes', 'yes', 'own'],
  'chat.send': ['yes', 'yes', 'yes'],
  'chat.delete': ['yes', 'yes', 'own'],
  'credit.grant': ['yes', 'no', 'no'],
  'event.schedule': ['yes', 'no', 'no'],
  'event.cancel': ['yes', 'no', 'no'],
  'event.clearDraw': ['yes', 'yes', 'no'],
};
const SETTINGS: Row = ['yes', 'no', 'no'];

/** The HTTP API's staff parts and leaving: the docs' row, and the rule the route asks. */
const HTTP: { row: string; expected: Row; rule: (role: Role) => boolean }[] = [
  { row: 'HTTP: the audit log', expected: ['yes', 'yes', 'no'], rule: canReadAudit },
  { row: 'HTTP: the reports', expected: ['yes', 'yes', 'no'], rule: canReadReports },
  { row: 'HTTP: the group\'s figures (群数据)', expected: ['yes', 'yes', 'no'], rule: canReadHealth },
  { row: 'HTTP: the invite code, and replacing it', expected: ['yes', 'yes', 'no'], rule: canManageInvite },
  { row: 'HTTP: the ledger export', expected: ['yes', 'no', 'no'], rule: canExportLedger },
  { row: 'HTTP: the projector\'s display link', expected: ['yes', 'no', 'no'], rule: canMakeDisplayLink },
  { row: 'HTTP: re-issuing a member\'s recovery code', expected: ['yes', 'no', 'no'], rule: canReissueRecovery },
  { row: 'HTTP: leaving the group', expected: ['no', 'yes', 'yes'], rule: canLeave },
];

const cell = (row: Row, role: Role): May => row[ROLES.indexOf(role)] as May;

/** docs/domain.md's matrix: first cell → the first word of each role's cell. */
function docsMatrix(): Map<string, Row> {
  const doc = fs.readFileSync(new URL('../../docs/domain.md', import.meta.url), 'utf8');
  const section = doc.slice(doc.indexOf('### The role matrix'), doc.indexOf('## Claim deadlines'));
  const rows = new Map<string, Row>();
  for (const line of section.split('\n')) {
    const cells = line.split('|').slice(1, -1).map((c) => c.trim());
    if (cells.length !== 4 || cells[0] === 'command' || cells[0]?.startsWith('---')) continue;
    const [name, ...mays] = cells as [string, string, string, string];
    rows.set(name, mays.map((m) => m.split(' ')[0]) as unknown as Row);
  }
  return rows;
}

interface World {
  g: DomainSim;
  taskId: string;
  doneClaimId: string;
  messageId: string;
  reportId: string;
}

function world(): World {
  const g = new DomainSim({ startingGrant: 20 });
  g.join('ad');
  g.must('owner', { type: 'member.setRole', payload: { memberId: 'ad', role: 'admin' } });
  g.join('mb');
  g.join('vm');
  g.join('helper');
  g.must('owner', { type: 'group.updateSettings', payload: { settings: { requireApproval: true } } });
  g.join('pend');
  g.must('owner', { type: 'group.updateSettings', payload: { settings: { requireApproval: false } } });
  const taskId = g.post('vm', 3);
  const doneClaimId = g.claim('helper', taskId);
  g.must('helper', { type: 'task.markDone', payload: { taskId } });
  const messageId = String(g.must('vm', { type: 'chat.send', payload: { text: '广告', kind: 'chat' } }).messageId);
  const reportId = String(g.must('helper', { type: 'report.file', payload: { targetKind: 'message', targetId: messageId, reason: 'spam' } }).reportId);
  return { g, taskId, doneClaimId, messageId, reportId };
}

const ACTOR: Record<Role, string> = { owner: 'owner', admin: 'ad', member: 'mb' };

/** The command each case sends, and what the actor does first (claim before release, …). */
const CASES: Record<ClientCommandType, (w: World, actor: string) => DomainCommand> = {
  'group.updateSettings': () => ({ type: 'group.updateSettings', payload: { rules: '新群规' } }),
  'member.rename': () => ({ type: 'member.rename', payload: { name: '新名字' } }),
  'member.setRole': () => ({ type: 'member.setRole', payload: { memberId: 'vm', role: 'admin' } }),
  'member.transferOwnership': () => ({ type: 'member.transferOwnership', payload: { memberId: 'ad' } }),
  'member.warn': () => ({ type: 'member.warn', payload: { memberId: 'vm', reason: '刷屏' } }),
  'member.mute': () => ({ type: 'member.mute', payload: { memberId: 'vm', reason: '刷屏', minutes: 60 } }),
  'member.unmute': (w) => {
    w.g.must('owner', { type: 'member.mute', payload: { memberId: 'vm', reason: '', minutes: 60 } });
    return { type: 'member.unmute', payload: { memberId: 'vm' } };
  },
  'member.remove': () => ({ type: 'member.remove', payload: { memberId: 'vm', reason: '诈骗' } }),
  'member.approve': () => ({ type: 'member.approve', payload: { memberId: 'pend' } }),
  'member.reject': () => ({ type: 'member.reject', payload: { memberId: 'pend' } }),
  'report.file': () => ({ type: 'report.file', payload: { targetKind: 'member', targetId: 'vm', reason: '骚扰' } }),
  'report.resolve': (w) => ({ type: 'report.resolve', payload: { reportId: w.reportId, outcome: 'dismissed' } }),
  'member.appeal': (w, actor) => {
    flag(w, actor);
    return { type: 'member.appeal', payload: { note: '那几次是手机没电了' } };
  },
  'member.clearFlag': (w) => {
    flag(w, 'vm');
    return { type: 'member.clearFlag', payload: { memberId: 'vm' } };
  },
  'task.post': () => ({
    type: 'task.post',
    payload: { kind: 'boost', title: '帮我点一下', link: 'https://mobile.yangkeduo.com/x', note: '', helpersNeeded: 1, expiresInMinutes: 60 },
  }),
  'task.claim': (w) => ({ type: 'task.claim', payload: { taskId: w.taskId } }),
  'task.release': (w, actor) => {
    w.g.must(actor, { type: 'task.claim', payload: { taskId: w.taskId } });
    return { type: 'task.release', payload: { taskId: w.taskId } };
  },
  'task.markDone': (w, actor) => {
    w.g.must(actor, { type: 'task.claim', payload: { taskId: w.taskId } });
    return { type: 'task.markDone', payload: { taskId: w.taskId } };
  },
  'task.extendClaim': (w, actor) => {
    w.g.must(actor, { type: 'task.claim', payload: { taskId: w.taskId } });
    // Into the claim's last minutes, where [C1] allows an extension.
    w.g.now += 26 * 60_000;
    return { type: 'task.extendClaim', payload: { taskId: w.taskId } };
  },
  'task.undo': (w, actor) => {
    // 撤销 right after the actor's own claim ([U1]).
    const claimId = w.g.claim(actor, w.taskId);
    return { type: 'task.undo', payload: { taskId: w.taskId, claimId, action: 'claim' } };
  },
  'task.confirm': (w) => ({ type: 'task.confirm', payload: { taskId: w.taskId, claimId: w.doneClaimId } }),
  'task.reject': (w) => ({ type: 'task.reject', payload: { taskId: w.taskId, claimId: w.doneClaimId, reason: '' } }),
  'task.cancel': (w) => ({ type: 'task.cancel', payload: { taskId: w.taskId } }),
  'task.stopRepeat': (w) => ({ type: 'task.stopRepeat', payload: { seriesId: dailyTask(w, 'vm') } }),
  'chat.send': () => ({ type: 'chat.send', payload: { text: '大家好', kind: 'chat' } }),
  'chat.delete': (w) => ({ type: 'chat.delete', payload: { messageId: w.messageId } }),
  'credit.grant': () => ({ type: 'credit.grant', payload: { memberId: 'vm', amount: 5, note: '' } }),
  'event.schedule': (w) => ({
    type: 'event.schedule',
    payload: { title: '晚8点互助大会', startsAt: w.g.now + 3_600_000, endsAt: w.g.now + 7_200_000, multiplier: 2, prizeWinners: 1 },
  }),
  'event.cancel': (w) => {
    const { eventId } = w.g.must('owner', {
      type: 'event.schedule',
      payload: { title: '活动', startsAt: w.g.now + 3_600_000, endsAt: w.g.now + 7_200_000, multiplier: 1, prizeWinners: 0 },
    });
    return { type: 'event.cancel', payload: { eventId: String(eventId) } };
  },
  'event.clearDraw': (w) => {
    const { eventId } = w.g.must('owner', {
      type: 'event.schedule',
      payload: { title: '活动', startsAt: w.g.now + 60_000, endsAt: w.g.now + 120_000, multiplier: 1, prizeWinners: 1 },
    });
    w.g.tick(1);
    w.g.tick(1);
    return { type: 'event.clearDraw', payload: { eventId: String(eventId) } };
  },
};

/** For "own": the same command on the actor's own task (with a done mark on it) or own message. */
const OWN_CASES: Partial<Record<ClientCommandType, (w: World, actor: string) => DomainCommand>> = {
  'task.confirm': (w, actor) => ({ type: 'task.confirm', payload: { taskId: w.g.post(actor, 1), claimId: doneMark(w, actor) } }),
  'task.reject': (w, actor) => ({ type: 'task.reject', payload: { taskId: w.g.post(actor, 1), claimId: doneMark(w, actor), reason: '' } }),
  'task.cancel': (w, actor) => ({ type: 'task.cancel', payload: { taskId: w.g.post(actor, 1) } }),
  'task.stopRepeat': (w, actor) => ({ type: 'task.stopRepeat', payload: { seriesId: dailyTask(w, actor) } }),
  'chat.delete': (w, actor) => ({ type: 'chat.delete', payload: { messageId: String(w.g.must(actor, { type: 'chat.send', payload: { text: '我的消息', kind: 'chat' } }).messageId) } }),
};

/** Below a 90% floor: three claims taken and released ([F1] needs a flag to appeal, [F2] to clear). */
function flag(w: World, who: string) {
  w.g.must('owner', { type: 'group.updateSettings', payload: { settings: { reliabilityFloor: 0.9 } } });
  const taskId = who === 'vm' ? w.g.post('helper', 1) : w.taskId;
  for (let i = 0; i < 3; i++) {
    w.g.must(who, { type: 'task.claim', payload: { taskId } });
    w.g.must(who, { type: 'task.release', payload: { taskId } });
  }
}

/** A daily task (每天重复) posted by `poster`; returns its series id. */
function dailyTask(w: World, poster: string): string {
  const payload = { kind: 'boost', title: '每日签到', link: `https://mobile.yangkeduo.com/daily?p=${poster}`, note: '', helpersNeeded: 1, expiresInMinutes: 60, repeat: { days: 7, at: 8 * 60 } } as const;
  return String(w.g.must(poster, { type: 'task.post', payload }).seriesId);
}

/** A done mark by the helper on the actor's latest task; returns the claim id. */
function doneMark(w: World, actor: string): string {
  const taskId = Object.values(w.g.state.tasks).filter((t) => t.posterId === actor && t.status === 'open').at(-1)!.id;
  const claimId = w.g.claim('helper', taskId);
  w.g.must('helper', { type: 'task.markDone', payload: { taskId } });
  return claimId;
}

const outcome = (w: World, actor: string, command: DomainCommand) => {
  const d = w.g.run(actor, command);
  return d.ok ? 'ok' : d.error.code;
};

describe('[P1][P2] the role matrix', () => {
  it('docs/domain.md shows the matrix written here', () => {
    const docs = docsMatrix();
    const here = new Map<string, Row>([
      ...Object.entries(COMMANDS).map(([type, row]) => [type === 'group.updateSettings' ? '`group.updateSettings` (name, rules)' : `\`${type}\``, row] as const),
      ['`group.updateSettings` with `settings`', SETTINGS],
      ...HTTP.map((h) => [h.row, h.expected] as const),
    ]);
    expect(Object.fromEntries(docs)).toEqual(Object.fromEntries(here));
  });

  it('covers every client command', () => {
    expect(Object.keys(COMMANDS).sort()).toEqual(Object.keys(PERMISSIONS).sort());
    expect(Object.keys(CASES).sort()).toEqual(Object.keys(PERMISSIONS).sort());
  });

  const rows = (Object.keys(COMMANDS) as ClientCommandType[]).flatMap((type) => ROLES.map((role) => [type, role, cell(COMMANDS[type], role)] as const));

  it.each(rows)('permissions.ts: %s by %s is %s', (type, role, may) => {
    expect(mayUse(type, role)).toBe(may);
  });

  it.each(rows)('decide: %s by %s (%s) on someone else\'s', (type, role, may) => {
    const w = world();
    const actor = ACTOR[role];
    expect(outcome(w, actor, CASES[type](w, actor))).toBe(may === 'yes' ? 'ok' : 'FORBIDDEN');
  });

  const ownRows = rows.filter(([, , may]) => may === 'own');
  it('has an own case for every "own" cell', () => {
    expect([...new Set(ownRows.map(([type]) => type))].sort()).toEqual(Object.keys(OWN_CASES).sort());
  });
  it.each(ownRows)('decide: %s by %s (%s) on their own', (type, role) => {
    const w = world();
    const actor = ACTOR[role];
    expect(outcome(w, actor, OWN_CASES[type]!(w, actor))).toBe('ok');
  });

  it.each(ROLES.map((role) => [role, cell(SETTINGS, role)] as const))('decide: group.updateSettings with settings by %s is %s', (role, may) => {
    const w = world();
    expect(outcome(w, ACTOR[role], { type: 'group.updateSettings', payload: { settings: { rewardPerHelp: 2 } } })).toBe(may === 'yes' ? 'ok' : 'FORBIDDEN');
  });

  it.each(HTTP.flatMap((h) => ROLES.map((role) => [h.row, role, cell(h.expected, role), h.rule] as const)))('%s by %s is %s', (_row, role, may, rule) => {
    expect(rule(role)).toBe(may === 'yes');
  });

  it('re-issuing a recovery code (an HTTP-minted command) is decided by the same rule', () => {
    for (const role of ROLES) {
      const w = world();
      expect(outcome(w, ACTOR[role], { type: 'member.reissueRecovery', payload: { memberId: 'vm' } })).toBe(role === 'owner' ? 'ok' : 'FORBIDDEN');
    }
  });

  it('leaving: the owner hands the group over first', () => {
    for (const role of ROLES) {
      const w = world();
      expect(outcome(w, ACTOR[role], { type: 'member.leave', payload: {} })).toBe(role === 'owner' ? 'OWNER_MUST_TRANSFER' : 'ok');
    }
  });

  it('[P5] admins cannot moderate admins or the owner; the owner can moderate admins', () => {
    const w = world();
    w.g.join('ad2');
    w.g.must('owner', { type: 'member.setRole', payload: { memberId: 'ad2', role: 'admin' } });
    for (const type of ['member.warn', 'member.remove'] as const) {
      expect(w.g.code('ad', { type, payload: { memberId: 'ad2', reason: '' } })).toBe('OUTRANKED');
      expect(w.g.code('ad', { type, payload: { memberId: 'owner', reason: '' } })).toBe('OUTRANKED');
    }
    expect(w.g.code('ad', { type: 'member.mute', payload: { memberId: 'ad2', reason: '', minutes: 5 } })).toBe('OUTRANKED');
    w.g.must('owner', { type: 'member.warn', payload: { memberId: 'ad2', reason: '' } });
  });
});
