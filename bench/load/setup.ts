import { CommandClient, cookieOf } from '../../support/clients.ts';

/** A proxy-forwarded address for the n-th simulated phone (the bench server trusts one hop). */
export const addressOf = (n: number) => `10.${(n >> 16) & 255}.${(n >> 8) & 255}.${n & 255}`;

async function post(url: string, path: string, body: unknown, address: string) {
  const res = await fetch(url + path, { method: 'POST', headers: { 'content-type': 'application/json', 'x-forwarded-for': address }, body: JSON.stringify(body) });
  if (res.status !== 201) throw new Error(`${path}: ${res.status} ${await res.text()}`);
  return { cookie: cookieOf(res), ...((await res.json()) as { groupId: string; memberId: string; inviteCode?: string }) };
}

/**
 * A group ready for load: settings that let posters escrow full tasks, and `tasks` open tasks of
 * 50 helpers each (posted by members who then leave the stage), so claims have room.
 */
export async function benchGroup(url: string, name: string, tasks: number, address: number) {
  const owner = await post(url, '/api/groups', { name, ownerName: '群主' }, addressOf(address));
  const inviteCode = owner.inviteCode as string;
  const admin = new CommandClient(url, owner);
  await admin.connected();
  await admin.must({ type: 'group.updateSettings', payload: { settings: { startingGrant: 100, maxOpenTasksPerMember: 50, newcomerHours: 0, newcomerMessages: 0 } } });
  admin.close();
  const taskIds: string[] = [];
  for (let i = 0; i < tasks; i++) {
    const poster = new CommandClient(url, await post(url, '/api/join', { inviteCode, name: `发布者${i}` }, addressOf(address + 1 + i)));
    await poster.connected();
    const ack = await poster.must({
      type: 'task.post',
      payload: { kind: 'bargain', title: `帮我砍一刀 ${i}`, link: `https://mobile.yangkeduo.com/goods.html?goods_id=${address * 100 + i}`, note: '', helpersNeeded: 50, expiresInMinutes: 600 },
    });
    taskIds.push((ack as { result: { taskId: string } }).result.taskId);
    poster.close();
  }
  return { groupId: owner.groupId, inviteCode, tasks: taskIds };
}
