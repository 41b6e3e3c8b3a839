import { describe, expect, it } from 'vitest';
import { SYSTEM_ACTOR } from '../../shared/domain/events.ts';
import { DomainSim } from '../helpers/domain.ts';

const post = (link: string) =>
  ({ type: 'task.post', payload: { kind: 'bargain', title: '砍一刀', link, note: '', helpersNeeded: 1, expiresInMinutes: 60 } }) as const;

describe('safety rules in the domain', () => {
  it('refuses dangerous task links and records the verdict of the others', () => {
    const g = new DomainSim();
    g.join('amy');
    const d = g.run('amy', post('https://pinduoduo.com.evil.cn/pay'));
    expect(d.ok ? 'ok' : d.error).toEqual({ code: 'LINK_DANGEROUS', details: { reason: 'brandInSubdomain', host: 'pinduoduo.com.evil.cn' } });
    const ok = g.must('amy', post('https://t.cn/A6abcd'));
    expect(g.state.tasks[String(ok.taskId)]?.verdict).toBe('unverifiable');
    const official = g.must('amy', post('https://mobile.yangkeduo.com/goods.html?goods_id=7'));
    expect(g.state.tasks[String(official.taskId)]?.verdict).toBe('official');
  });

  it('refuses the same link twice while open, pointing at the existing card', () => {
    const g = new DomainSim();
    g.join('amy');
    g.join('bo');
    const first = g.must('amy', post('https://mobile.yangkeduo.com/goods.html?goods_id=1&b=2'));
    const d = g.run('bo', post('https://MOBILE.yangkeduo.com/goods.html/?b=2&goods_id=1#x'));
    expect(d.ok ? 'ok' : d.error).toEqual({ code: 'DUPLICATE_TASK', details: { taskId: first.taskId } });
    g.must('amy', { type: 'task.cancel', payload: { taskId: String(first.taskId) } });
    g.must('bo', post('https://mobile.yangkeduo.com/goods.html?goods_id=1&b=2'));
  });

  it('redacts personal data before it is stored, and tells the author what was hidden', () => {
    const g = new DomainSim();
    g.join('amy');
    const r = g.must('amy', { type: 'chat.send', payload: { text: '有问题打我电话 138 1234 5678，订单号 240522123456', kind: 'chat' } });
    expect(r.redacted).toBe('phone');
    const msg = g.state.chat.at(-1)!;
    expect(msg.text).toBe('有问题打我电话 [手机号]，订单号 240522123456');
    expect(msg.redacted).toEqual(['phone']);
    expect(JSON.stringify(g.log)).not.toContain('1234 5678');
  });

  it('redacts disguised personal data in chat and in task titles and notes (issue #14)', () => {
    const g = new DomainSim();
    g.join('amy');
    const r = g.must('amy', { type: 'chat.send', payload: { text: '手机：１３８１２３４５６７８，vx：zhang_san88', kind: 'chat' } });
    expect(r.redacted).toBe('phone,wechat');
    expect(g.state.chat.at(-1)).toMatchObject({ text: '手机：[手机号]，vx：[微信号]', redacted: ['phone', 'wechat'] });
    const task = g.must('amy', {
      type: 'task.post',
      payload: { kind: 'bargain', title: '砍一刀 QQ 一二三四五六七八九', link: 'https://mobile.yangkeduo.com/goods.html?goods_id=13812345678', note: '急，打 1 3 8 1 2 3 4 5 6 7 8', helpersNeeded: 1, expiresInMinutes: 60 },
    });
    expect(g.state.tasks[String(task.taskId)]).toMatchObject({ title: '砍一刀 QQ [QQ号]', note: '急，打 [手机号]', link: 'https://mobile.yangkeduo.com/goods.html?goods_id=13812345678' });
    const log = JSON.stringify(g.log);
    for (const secret of ['１３８１２３４５６７８', 'zhang_san88', '一二三四五六七八九', '1 3 8 1 2 3 4 5 6 7 8']) expect(log).not.toContain(secret);
  });

  it('marks scam messages with a warning and reports them to the admins automatically', () => {
    const g = new DomainSim({ newcomerMessages: 0, newcomerHours: 0 });
    g.join('amy');
    g.must('amy', { type: 'chat.send', payload: { text: '帮我砍一刀，把验证码发我一下', kind: 'chat' } });
    const msg = g.state.chat.at(-1)!;
    expect(msg.warnings).toEqual(['verificationCode']);
    expect(Object.values(g.state.reports)).toEqual([expect.objectContaining({ targetId: msg.id, subjectId: 'amy', by: SYSTEM_ACTOR })]);
    g.must('amy', { type: 'chat.send', payload: { text: '领红包 https://yangkeduo.com.evil.top/x', kind: 'chat' } });
    expect(g.state.chat.at(-1)?.linkVerdict).toBe('dangerous');
    expect(Object.values(g.state.reports)).toHaveLength(2);
  });

  it('counts links written in the text for the newcomer rule', () => {
    const g = new DomainSim({ newcomerHours: 24 });
    g.join('amy');
    expect(g.code('amy', { type: 'chat.send', payload: { text: '看这个 mobile.yangkeduo.com/goods.html?goods_id=1', kind: 'chat' } })).toBe('NEWCOMER_LINK');
  });
});
