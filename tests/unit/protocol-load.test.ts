import { describe, expect, it } from 'vitest';

/**
 * Every module of shared/protocol imported inside a test, never at the top of this file: a schema
 * that cannot be built (a union without its discriminator, a check that is not one) throws on
 * import, and that must fail a test, not only a file (Stryker counts a file that fails to load as
 * no failure: mutation testing, #14).
 */
describe('every schema module loads and reads what it describes', () => {
  // Imported inside the test: a schema that cannot be built (a union without its discriminator)
  // throws on import, and that must fail a test, not just a file.
  it('acks, notifications, commands and audit events parse their own samples', async () => {
    const { ackSchema } = await import('../../shared/protocol/ack.ts');
    const { notificationSchema } = await import('../../shared/protocol/notify.ts');
    const { clientCommandSchema } = await import('../../shared/protocol/commands.ts');
    const { auditEventSchema } = await import('../../shared/protocol/audit.ts');
    expect(ackSchema.parse({ ok: true, version: 7, result: { taskId: 't1' } })).toEqual({ ok: true, version: 7, result: { taskId: 't1' } });
    expect(ackSchema.parse({ ok: false, error: { code: 'TASK_FULL', message: 'x' } })).toEqual({ ok: false, error: { code: 'TASK_FULL', message: 'x' } });
    expect(ackSchema.safeParse({ ok: true, error: { code: 'TASK_FULL', message: 'x' } }).success).toBe(false);
    expect(ackSchema.safeParse({ ok: false, version: 7, result: null }).success).toBe(false);
    const task = { taskId: 't1', title: '空气炸锅' };
    const samples = [
      { kind: 'task.claimed', ...task, by: 'Amy' },
      { kind: 'task.markedDone', ...task, claimId: 'c1', by: 'Amy' },
      { kind: 'task.confirmed', ...task, reward: 2, thanks: '谢谢' },
      { kind: 'task.rejected', ...task, reason: '没砍' },
      { kind: 'task.claimExpired', ...task },
      { kind: 'task.completed', ...task },
      { kind: 'task.closed', ...task, status: 'expired' },
      { kind: 'credit.granted', amount: 5, note: '' },
      { kind: 'event.won', eventId: 'e1', title: '晚8点' },
      { kind: 'group.ownerTransferred', from: 'A', to: 'B' },
    ];
    for (const n of samples) expect(notificationSchema.parse(n), n.kind).toEqual(n);
    // Each kind needs its own fields.
    for (const n of samples.filter((s) => Object.keys(s).length > 1)) {
      const { kind } = n;
      expect(notificationSchema.safeParse({ kind }).success, kind).toBe(false);
    }
    const claim = { id: 'command-1', groupId: 'group-1', type: 'task.claim', payload: { taskId: 'task-1' } };
    expect(clientCommandSchema.parse(claim)).toEqual(claim);
    expect(clientCommandSchema.safeParse({ ...claim, type: 'task.nope' }).success).toBe(false);
    expect(clientCommandSchema.safeParse({ ...claim, id: 'a' }).success).toBe(false);
    expect(clientCommandSchema.safeParse({ ...claim, groupId: 'toString' }).success).toBe(false);
    expect(clientCommandSchema.safeParse({ ...claim, extra: 1 }).success).toBe(false);
    const warned = { type: 'member.warned', memberId: 'm1', warningId: 'w1', reason: '刷屏', expiresAt: 1 };
    expect(auditEventSchema.parse(warned)).toEqual(warned);
    expect(auditEventSchema.safeParse({ ...warned, extra: 1 }).success).toBe(false);
    expect(auditEventSchema.safeParse({ type: 'member.warned' }).success).toBe(false);
  });

  it('keeps an allowed link domain trimmed and in lower case', async () => {
    const { domainSchema } = await import('../../shared/protocol/settings.ts');
    expect(domainSchema.parse(' PinDuoDuo.COM ')).toBe('pinduoduo.com');
  });

  it('offers both languages', async () => {
    const { LANGS } = await import('../../shared/protocol/errors.ts');
    expect(LANGS).toEqual(['zh-CN', 'en']);
  });
});

