import { afterEach, describe, expect, it } from 'vitest';
import { chatOf, docContent, docParts } from '../../shared/ydoc.ts';
import { CommandClient, createGroup, joinGroup, waitForDoc, yjsClient } from '../../support/clients.ts';
import { testServer } from '../helpers/server.ts';
import { tempDir } from '../../support/temp.ts';

describe('restart', () => {
  const cleanup: (() => unknown)[] = [];
  afterEach(async () => {
    for (const c of cleanup.splice(0).reverse()) await c();
  });

  it('finds everything as acked after a restart, from the log and from a snapshot', async () => {
    const dataDir = tempDir();
    // snapshotEvery 10 so the restart loads a snapshot plus the events after it.
    let server = await testServer({ dataDir, snapshotEvery: 10 });
    const owner = await createGroup(server.url);
    const members = await Promise.all(['阿芳', '小王', '老李'].map((n) => joinGroup(server.url, owner.inviteCode, n)));
    const ownerCmd = new CommandClient(server.url, owner);
    const helpers = members.map((m) => new CommandClient(server.url, m));
    await Promise.all([ownerCmd, ...helpers].map((c) => c.connected()));
    const acked: number[] = [];
    for (let i = 0; i < 6; i++) {
      const taskId = (await ownerCmd.must({ type: 'task.post', payload: { kind: 'boost', title: `任务${i}`, link: `https://a.yangkeduo.com/x?i=${i}`, helpersNeeded: 1, expiresInMinutes: 60 } })).result.taskId;
      if (i >= 3) break;
      const helper = helpers[i]!;
      const claimId = (await helper.must({ type: 'task.claim', payload: { taskId } })).result.claimId;
      acked.push((await helper.must({ type: 'task.markDone', payload: { taskId } })).version);
      acked.push((await ownerCmd.must({ type: 'task.confirm', payload: { taskId, claimId } })).version);
    }
    acked.push((await helpers[0]!.must({ type: 'chat.send', payload: { text: '最后一条', kind: 'tip' } })).version);
    const before = (await server.host.get(owner.groupId))!;
    const beforeContent = docContent(before.doc);
    const beforeVersion = before.version;
    expect(Math.max(...acked)).toBe(beforeVersion);
    const snapshot = (await server.store.load(owner.groupId)).snapshot;
    expect(snapshot?.version).toBeGreaterThan(0);
    expect(snapshot?.version).toBeLessThan(beforeVersion);
    for (const c of [ownerCmd, ...helpers]) c.close();
    await server.close();

    server = await testServer({ dataDir, snapshotEvery: 10 });
    cleanup.push(() => server.close());
    const reader = yjsClient(server.url, members[0]!);
    cleanup.push(() => reader.provider.destroy());
    await reader.synced();
    const after = (await server.host.get(owner.groupId))!;
    expect(after.version).toBe(beforeVersion);
    expect(docContent(reader.doc)).toEqual(beforeContent);
    expect(docParts(reader.doc).meta.get('epoch')).toBe(after.epoch);
    expect(after.epoch).not.toBe(before.epoch);
    for (const m of members.slice(0, 3)) expect(docParts(reader.doc).members.get(m.memberId)?.balance).toBe(11);

    // The old session cookie still works, and the group goes on from where it was.
    const again = new CommandClient(server.url, owner);
    cleanup.push(() => again.close());
    const ack = await again.must({ type: 'chat.send', payload: { text: '重启后' } });
    expect(ack.version).toBe(beforeVersion + 1);
    await waitForDoc(reader.doc, (d) => chatOf(d).some((m) => m.text === '重启后'));
  });
});
