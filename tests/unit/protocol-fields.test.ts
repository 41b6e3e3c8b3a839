import { describe, expect, it } from 'vitest';
import { isAuditEvent } from '../../shared/protocol/audit.ts';
import { chatSend, eventSchedule } from '../../shared/protocol/commands.ts';
import { pickLang, wireError } from '../../shared/protocol/errors.ts';
import { idSchema, linkSchema, taskLinkSchema } from '../../shared/protocol/fields.ts';
import { deviceLinkBody, recoveryCodeSchema } from '../../shared/protocol/http.ts';
import { domainSchema } from '../../shared/protocol/settings.ts';
import { OLDEST_PROTOCOL_VERSION, PROTOCOL_VERSION, protocolFit } from '../../shared/protocol/version.ts';
import { wireErrorSchema } from '../../shared/protocol/wire-error.ts';

/**
 * What the wire's schemas decide beyond their JSON shape (which tests/unit/protocol-version.test.ts
 * hashes): refinements, transforms and the small functions beside them, each as docs/protocol.md
 * says.
 */

describe('protocol versions (docs/protocol.md, Versions)', () => {
  it('serves every version from the oldest to the current one, and says which side is behind', () => {
    expect(protocolFit(OLDEST_PROTOCOL_VERSION)).toBe('ok');
    expect(protocolFit(PROTOCOL_VERSION)).toBe('ok');
    expect(protocolFit(OLDEST_PROTOCOL_VERSION - 1)).toBe('clientTooOld');
    expect(protocolFit(PROTOCOL_VERSION + 1)).toBe('serverTooOld');
  });

  it('takes what is not a version (a hand-made URL) as too old', () => {
    expect(protocolFit(Number.NaN)).toBe('clientTooOld');
    expect(protocolFit(PROTOCOL_VERSION - 0.5)).toBe('clientTooOld');
    expect(protocolFit(PROTOCOL_VERSION + 0.5)).toBe('clientTooOld');
  });
});

describe('errors (docs/protocol.md, HTTP)', () => {
  it('speaks English only to a language that starts with en, zh-CN to everything else', () => {
    expect(pickLang('en')).toBe('en');
    expect(pickLang('en-GB,en;q=0.9')).toBe('en');
    expect(pickLang('EN-us')).toBe('en');
    expect(pickLang('zh-CN,zh;q=0.9,en;q=0.8')).toBe('zh-CN');
    expect(pickLang('fr')).toBe('zh-CN');
    expect(pickLang(undefined)).toBe('zh-CN');
    expect(pickLang(['en'])).toBe('zh-CN');
  });

  it('sends the code with its message in the language asked, and details only when there are some', () => {
    expect(wireError('TASK_FULL', 'zh-CN')).toEqual({ code: 'TASK_FULL', message: '人已经够了，看看别的求助吧' });
    expect(wireError('TASK_FULL', 'en')).toEqual({ code: 'TASK_FULL', message: 'This task has all the helpers it needs' });
    expect(Object.keys(wireError('TASK_FULL', 'en'))).toEqual(['code', 'message']);
    expect(wireError('DUPLICATE_TASK', 'en', { taskId: 'task-1' })).toEqual({
      code: 'DUPLICATE_TASK',
      message: 'This link is already on the board; help that card instead',
      details: { taskId: 'task-1' },
    });
  });

  it('reads any string as a code (a newer server may know more codes) but nothing else', () => {
    expect(wireErrorSchema.safeParse({ code: 'SOME_FUTURE_CODE', message: 'x' }).success).toBe(true);
    expect(wireErrorSchema.safeParse({ code: 42, message: 'x' }).success).toBe(false);
  });
});

describe('ids and links', () => {
  it('refuses ids that name what every object already has', () => {
    expect(idSchema.safeParse('member-1').success).toBe(true);
    for (const id of ['constructor', 'toString', '__proto__', 'hasOwnProperty', 'valueOf']) expect(idSchema.safeParse(id).success, id).toBe(false);
  });

  it('takes only http(s) links in chat', () => {
    for (const link of ['https://mobile.yangkeduo.com/goods.html?goods_id=1', 'http://t.cn/abc']) expect(linkSchema.safeParse(link).success, link).toBe(true);
    for (const link of ['javascript:alert(1)', 'ftp://example.com/x', 'data:text/html,hi', 'not a link', 'https://']) expect(linkSchema.safeParse(link).success, link).toBe(false);
  });

  it("takes any absolute link for a task, and a broken punycode host, so the domain can call it dangerous", () => {
    // The domain refuses these as LINK_DANGEROUS (docs/safety.md); the schema must let them through.
    for (const link of ['javascript:alert(1)', 'data:text/html,hi', 'file:///etc/passwd', 'https://xn--zz.com/x', 'HTTP://shop.XN--zz/a', 'https://a.cn']) {
      expect(taskLinkSchema.safeParse(link).success, link).toBe(true);
    }
    // No URL at all stays INVALID_INPUT; "xn--" outside the host does not make a link of it.
    for (const link of ['not a link', 'pinduoduo.com/goods', 'xn--zz', 'see https:// xn--zz']) expect(taskLinkSchema.safeParse(link).success, link).toBe(false);
  });
});

describe('command refinements (docs/protocol.md, Commands)', () => {
  const base = { id: 'command-1', groupId: 'group-1' };

  it('lets only a deal alert say when it expires', () => {
    const send = (payload: object) => chatSend.safeParse({ ...base, type: 'chat.send', payload }).success;
    expect(send({ text: '限时优惠', kind: 'deal', dealExpiresInMinutes: 30 })).toBe(true);
    expect(send({ text: '限时优惠', kind: 'deal' })).toBe(true);
    expect(send({ text: '你好', kind: 'chat' })).toBe(true);
    expect(send({ text: '你好', kind: 'chat', dealExpiresInMinutes: 30 })).toBe(false);
    expect(send({ text: '攻略', kind: 'tip', dealExpiresInMinutes: 30 })).toBe(false);
    // No kind is a chat message, which does not expire either.
    expect(send({ text: '你好', dealExpiresInMinutes: 30 })).toBe(false);
  });

  it('takes an event that ends after it starts, at most 7 days later', () => {
    const startsAt = Date.UTC(2026, 11, 1, 12);
    const HOUR = 3_600_000;
    const schedule = (endsAt: number) =>
      eventSchedule.safeParse({ ...base, type: 'event.schedule', payload: { title: '双十二', startsAt, endsAt, multiplier: 2, prizeWinners: 1 } }).success;
    expect(schedule(startsAt + HOUR)).toBe(true);
    expect(schedule(startsAt + 7 * 24 * HOUR)).toBe(true);
    expect(schedule(startsAt + 7 * 24 * HOUR + 1)).toBe(false);
    expect(schedule(startsAt)).toBe(false);
    expect(schedule(startsAt - HOUR)).toBe(false);
  });
});

describe('HTTP bodies', () => {
  it('reads a recovery code whatever its case, spaces and dashes', () => {
    expect(recoveryCodeSchema.parse('abcd-efgh 2345 6789')).toBe('ABCDEFGH23456789');
    expect(recoveryCodeSchema.parse(' ABCD\tEFGH-2345-6789 ')).toBe('ABCDEFGH23456789');
    expect(recoveryCodeSchema.safeParse('ABCD-EFGH-2345-678').success).toBe(false);
    // The alphabet has no 0 or 1 (they look like O and I).
    expect(recoveryCodeSchema.safeParse('ABCD-EFGH-2345-6780').success).toBe(false);
  });

  it('reads a device code written as 4+4, with a dash or a space', () => {
    expect(deviceLinkBody.parse({ code: '1234-5678' })).toEqual({ code: '12345678' });
    expect(deviceLinkBody.parse({ code: '1234 5678' })).toEqual({ code: '12345678' });
    expect(deviceLinkBody.safeParse({ code: '1234-567' }).success).toBe(false);
    expect(deviceLinkBody.safeParse({ code: 'abcd-efgh' }).success).toBe(false);
  });

  it('keeps an allowed link domain trimmed and in lower case', () => {
    expect(domainSchema.parse(' PinDuoDuo.COM ')).toBe('pinduoduo.com');
    expect(domainSchema.safeParse('pinduoduo').success).toBe(false);
  });
});

describe('the audit log (docs/safety.md, 审计)', () => {
  it('shows moderation, role, money and settings actions, not the everyday board', () => {
    expect(isAuditEvent({ type: 'member.muted' })).toBe(true);
    expect(isAuditEvent({ type: 'credit.granted' })).toBe(true);
    expect(isAuditEvent({ type: 'member.roleSet' })).toBe(true);
    expect(isAuditEvent({ type: 'group.settingsUpdated' })).toBe(true);
    for (const type of ['task.claimed', 'chat.sent', 'task.confirmed', 'member.joined']) expect(isAuditEvent({ type }), type).toBe(false);
  });
});

describe('what a refusal says (INVALID_INPUT details: each issue\'s path and message)', () => {
  const base = { id: 'command-1', groupId: 'group-1' };
  const issues = (r: { success: boolean; error?: { issues: { path: PropertyKey[]; message: string }[] } }) =>
    (r.error?.issues ?? []).map((i) => ({ path: i.path.join('.'), said: i.message.length > 0 }));

  it('names the field a refinement refused', () => {
    expect(issues(chatSend.safeParse({ ...base, type: 'chat.send', payload: { text: 'hi', kind: 'chat', dealExpiresInMinutes: 30 } }))).toEqual([
      { path: 'payload.dealExpiresInMinutes', said: true },
    ]);
    const HOUR = 3_600_000;
    expect(issues(eventSchedule.safeParse({ ...base, type: 'event.schedule', payload: { title: 't', startsAt: 10 * HOUR, endsAt: HOUR, multiplier: 1, prizeWinners: 0 } }))).toEqual([
      { path: 'payload.endsAt', said: true },
    ]);
    for (const r of [idSchema.safeParse('a b'), idSchema.safeParse('constructor'), linkSchema.safeParse('ftp://x.cn'), taskLinkSchema.safeParse('no link'), domainSchema.safeParse('x')]) {
      expect(issues(r)).toEqual([{ path: '', said: true }]);
    }
  });
});

describe('text fields are trimmed, and empty after trimming is empty', () => {
  it('names, titles, rules, notes, chat, thanks and links', async () => {
    const { displayNameSchema, groupNameSchema, rulesSchema, titleSchema, noteSchema, chatTextSchema } = await import('../../shared/protocol/fields.ts');
    for (const schema of [displayNameSchema, groupNameSchema, rulesSchema, titleSchema, noteSchema, chatTextSchema]) expect(schema.parse('  阿美  ')).toBe('阿美');
    for (const schema of [displayNameSchema, groupNameSchema, titleSchema, chatTextSchema]) expect(schema.safeParse('   ').success).toBe(false);
    expect(linkSchema.parse(' https://a.cn/x ')).toBe('https://a.cn/x');
    expect(taskLinkSchema.parse(' https://a.cn/x ')).toBe('https://a.cn/x');
    const { taskConfirm, reportFile } = await import('../../shared/protocol/commands.ts');
    const confirm = taskConfirm.parse({ ...{ id: 'command-1', groupId: 'group-1' }, type: 'task.confirm', payload: { taskId: 'task-1', claimId: 'claim-1', thanks: ' 谢谢 ' } });
    expect(confirm.payload.thanks).toBe('谢谢');
    // A report says why, in as many words as it likes (up to a note's 500).
    const report = (reason: string) => reportFile.safeParse({ id: 'command-1', groupId: 'group-1', type: 'report.file', payload: { targetKind: 'member', targetId: 'member-1', reason } }).success;
    expect(report('')).toBe(false);
    expect(report('   ')).toBe(false);
    expect(report('发广告刷屏')).toBe(true);
  });

  it('codes are read whole: nothing before or after', () => {
    expect(recoveryCodeSchema.safeParse('AABCD-EFGH-2345-6789').success).toBe(false);
    expect(recoveryCodeSchema.safeParse('ABCD-EFGH-2345-6789A').success).toBe(false);
    expect(deviceLinkBody.safeParse({ code: '91234-5678' }).success).toBe(false);
    expect(deviceLinkBody.safeParse({ code: '1234-56789' }).success).toBe(false);
    expect(taskLinkSchema.safeParse('x https://xn--zz.com').success).toBe(false);
  });
});
