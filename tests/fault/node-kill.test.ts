import { spawn, type ChildProcess } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RedisEventStore } from '../../server/store/redis.ts';
import { CommandClient, createGroup, joinGroup, type Session } from '../../support/clients.ts';
import { freePort, startRedis, type TestRedis } from '../../support/redis.ts';
import { requireTool } from '../helpers/require-tool.ts';
import { testServer } from '../helpers/server.ts';
import { tempDir } from '../../support/temp.ts';

const hasRedis = requireTool('redis-server');

/** A node as its own process, as `npm start` runs it, on the test's Redis. */
async function nodeProcess(redisUrl: string): Promise<{ url: string; child: ChildProcess }> {
  const port = await freePort();
  const child = spawn(process.execPath, ['--import', 'tsx', 'server/main.ts'], {
    env: { ...process.env, PORT: String(port), HOST: '127.0.0.1', DATA_DIR: tempDir(), LOG_LEVEL: 'silent', REDIS_URL: redisUrl },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  await new Promise<void>((resolve, reject) => {
    let out = '';
    child.stdout!.on('data', (d: Buffer) => {
      out += d.toString();
      if (out.includes('Huzhu Board:')) resolve();
    });
    child.once('exit', (code) => reject(new Error(`node exited ${code}`)));
  });
  return { url: `http://127.0.0.1:${port}`, child };
}

/**
 * kill -9 a node under load: its members move to the other node, resend what was not acknowledged
 * under the same ids, and every acknowledged command is in the log exactly once.
 */
describe.skipIf(!hasRedis)('a node killed under load', () => {
  let redis: TestRedis;
  let survivor: Awaited<ReturnType<typeof testServer>>;
  let victim: { url: string; child: ChildProcess };

  beforeAll(async () => {
    redis = await startRedis({ appendfsync: 'always' });
    survivor = await testServer({ redisUrl: redis.url });
    victim = await nodeProcess(redis.url);
  });
  afterAll(async () => {
    victim?.child.kill('SIGKILL');
    await survivor?.close();
    await redis?.stop();
  });

  it('keeps every acknowledged command', async () => {
    const owner = await createGroup(survivor.url);
    const members: Session[] = [];
    for (let i = 0; i < 6; i++) members.push(await joinGroup(survivor.url, owner.inviteCode, `成员${i}`));
    const onVictim = members.map((m) => new CommandClient(victim.url, m));
    await Promise.all(onVictim.map((c) => c.connected()));
    const acked = new Set<string>();
    const unacked: { member: number; id: string; text: string }[] = [];
    let n = 0;
    // Each member sends its commands one after another, all members at once.
    const sends = onVictim.map(async (c, member) => {
      for (let k = 0; k < 15; k++) {
        // Renames: the victim runs with the product's default flood limits, which chat would hit.
        const text = `名字${++n}`;
        const id = randomUUID();
        // Once the node is gone its members stop sending there; what is left goes to the survivor.
        if (!c.socket.connected) {
          unacked.push({ member, id, text });
          continue;
        }
        try {
          const ack = await c.send({ id, type: 'member.rename', payload: { name: text } });
          if (ack.ok) acked.add(text);
          else unacked.push({ member, id, text });
          // Kill the node mid-load, once some commands are acknowledged and others in flight.
          if (acked.size === 20) victim.child.kill('SIGKILL');
        } catch {
          unacked.push({ member, id, text });
        }
      }
    });
    await Promise.all(sends);
    // The node is dead (the exit may be reported a moment after the last answer).
    if (victim.child.exitCode === null && victim.child.signalCode === null) await new Promise((r) => victim.child.once('exit', r));
    expect(victim.child.signalCode).toBe('SIGKILL');
    // Members reconnect to the surviving node and resend what had no answer, under the same ids.
    const onSurvivor = members.map((m) => new CommandClient(survivor.url, m));
    await Promise.all(onSurvivor.map((c) => c.connected()));
    for (const u of unacked) {
      const ack = await onSurvivor[u.member]!.send({ id: u.id, type: 'member.rename', payload: { name: u.text } });
      if (ack.ok) acked.add(u.text);
    }
    const log = await (survivor.store as RedisEventStore).readAfter(owner.groupId, 0, Number.MAX_SAFE_INTEGER);
    const texts = log.flatMap((e) => (e.event.type === 'member.renamed' ? [e.event.name] : []));
    process.stdout.write(`acked commands checked after a node kill -9: ${acked.size} (resent after the kill: ${unacked.length})\n`);
    expect([...acked].filter((t) => !texts.includes(t))).toEqual([]);
    // Resending under the same id never doubled a message.
    expect(texts.length).toBe(new Set(texts).size);
    expect(acked.size).toBe(90);
    for (const c of [...onVictim, ...onSurvivor]) c.close();
  });
});
