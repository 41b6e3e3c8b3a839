import { describe, expect, it } from 'vitest';
import { CommandClient, createGroup } from '../../support/clients.ts';
import { useGroup } from '../helpers/group.ts';
import { FakeClock, testServer } from '../helpers/server.ts';

const MINUTE = 60_000;
let posted = 0;

describe('timers driven by the server clock', () => {
  const clock = new FakeClock();
  const g = useGroup({ clock, timers: false, settings: { claimTimeoutMinutes: 30, autoConfirmMinutes: 60 }, members: { amy: { name: '阿芳' } } });

  const postTask = async (minutes = 600) =>
    (await g.ownerCmd.must({ type: 'task.post', payload: { kind: 'cash', title: '提现', link: `https://mobile.yangkeduo.com/c?n=${++posted}`, helpersNeeded: 1, expiresInMinutes: minutes } })).result
      .taskId as string;

  it('releases a claim left undone past the claim timeout and tells the helper', async () => {
    const taskId = await postTask();
    await g.cmd.amy.must({ type: 'task.claim', payload: { taskId } });
    const runtime = await g.runtime();
    clock.advance(29 * MINUTE);
    await runtime.runDueTimers();
    expect(runtime.state.tasks[taskId]?.claims[0]?.status).toBe('active');
    clock.advance(MINUTE);
    await runtime.runDueTimers();
    expect(runtime.state.tasks[taskId]?.claims[0]?.status).toBe('expired');
    expect(await g.cmd.amy.nextNotification('task.claimExpired')).toMatchObject({ taskId });
    // Firing again is harmless: the timer's command id is deterministic.
    const version = runtime.version;
    await runtime.runDueTimers();
    expect(runtime.version).toBe(version);
  });

  it('confirms a done mark the poster ignores, paying the helper', async () => {
    const taskId = await postTask();
    await g.cmd.amy.must({ type: 'task.claim', payload: { taskId } });
    await g.cmd.amy.must({ type: 'task.markDone', payload: { taskId } });
    const runtime = await g.runtime();
    const balance = runtime.state.members[g.member.amy.memberId]!.balance;
    clock.advance(60 * MINUTE);
    await runtime.runDueTimers();
    expect(runtime.state.members[g.member.amy.memberId]!.balance).toBe(balance + 1);
    expect(runtime.state.tasks[taskId]?.status).toBe('done');
  });

  it('expires a task past its expiry and refunds the poster', async () => {
    const runtime = await g.runtime();
    const balance = runtime.state.members[g.owner.memberId]!.balance;
    const taskId = await postTask(10);
    expect(runtime.state.members[g.owner.memberId]!.balance).toBe(balance - 1);
    clock.advance(10 * MINUTE);
    await runtime.runDueTimers();
    expect(runtime.state.tasks[taskId]?.status).toBe('expired');
    expect(runtime.state.members[g.owner.memberId]!.balance).toBe(balance);
    expect(await g.ownerCmd.nextNotification('task.closed')).toMatchObject({ taskId, status: 'expired' });
  });
});

describe('the armed timer', () => {
  it('fires by itself once its deadline has passed', async () => {
    const clock = new FakeClock();
    const server = await testServer({ clock, timers: true });
    const owner = await createGroup(server.url);
    const c = new CommandClient(server.url, owner);
    await c.connected();
    const taskId = (await c.must({ type: 'task.post', payload: { kind: 'other', title: '帮忙', link: 'https://yangkeduo.com/', helpersNeeded: 1, expiresInMinutes: 10 } }))
      .result.taskId;
    // The timer was armed for 10 minutes of real time; move the clock past it and let the next
    // commit re-arm it, which then fires at once.
    clock.advance(11 * MINUTE);
    await c.must({ type: 'chat.send', payload: { text: '还有人吗' } });
    expect(await c.nextNotification('task.closed')).toMatchObject({ taskId, status: 'expired' });
    c.close();
    await server.close();
  });
});
