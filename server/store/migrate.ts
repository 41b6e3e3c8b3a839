import type { EventEnvelope } from '../../shared/domain/events.ts';
import { RedisDeliveryStore } from '../delivery/redis.ts';
import { SqliteDeliveryStore } from '../delivery/sqlite.ts';
import { exportIdentity } from '../identity/sqlite.ts';
import { importIdentity } from '../identity/redis.ts';
import type { RedisEventStore } from './redis.ts';
import type { SqliteEventStore } from './sqlite.ts';

export interface MigrationReport {
  events: number;
  commands: number;
  sessions: number;
}

/**
 * Move one group from the embedded store to Redis: the log, event by event with its original
 * positions, times, actors and command records; then its identity (as hashes) and the owners' webhook
 * (deliveries still queued are not moved: they are minutes old at most). Verifies by reading
 * the Redis log back and comparing every event. Refuses a group Redis already has.
 */
export async function migrateGroup(groupId: string, from: SqliteEventStore, to: RedisEventStore): Promise<MigrationReport> {
  if (!(await from.groupExists(groupId))) throw new Error(`group ${groupId} is not in the embedded store`);
  if (await to.groupExists(groupId)) throw new Error(`group ${groupId} is already in Redis`);
  const source = await from.readAfter(groupId, 0, Number.MAX_SAFE_INTEGER);
  let commands = 0;
  // Events of one command were appended together: move them together, under the same record.
  for (let i = 0; i < source.length; ) {
    const first = source[i] as EventEnvelope;
    const batch = [first];
    while (source[i + batch.length]?.commandId === first.commandId) batch.push(source[i + batch.length] as EventEnvelope);
    const record = (await from.getCommand(groupId, first.commandId)) ?? { id: first.commandId, hash: '', version: first.seq + batch.length - 1, result: null };
    await to.append(groupId, first.seq - 1, batch.map((e) => ({ at: e.at, actor: e.actor, event: e.event })), record);
    commands++;
    i += batch.length;
  }
  const copied = await to.readAfter(groupId, 0, Number.MAX_SAFE_INTEGER);
  if (JSON.stringify(copied) !== JSON.stringify(source)) throw new Error(`group ${groupId}: the copied log differs from the source`);
  const identity = exportIdentity(from.db, groupId);
  await importIdentity(to.client, groupId, identity);
  const hook = await new SqliteDeliveryStore(from).webhook(groupId);
  if (hook) await new RedisDeliveryStore(to.client).setWebhook(groupId, hook);
  return { events: source.length, commands, sessions: identity.sessions.length };
}
