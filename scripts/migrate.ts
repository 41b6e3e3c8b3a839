/**
 * `npm run migrate -- <groupId> [<groupId> …]`: move groups from the embedded store (DATA_DIR,
 * default ./data) to Redis (REDIS_URL), verifying each copied log (docs/operations.md). Stop the
 * embedded server first; start the Redis-backed nodes after.
 */
import path from 'node:path';
import { RedisEventStore } from '../server/store/redis.ts';
import { migrateGroup } from '../server/store/migrate.ts';
import { SqliteEventStore } from '../server/store/sqlite.ts';

const groups = process.argv.slice(2);
const url = process.env.REDIS_URL;
if (groups.length === 0 || !url) {
  process.stderr.write('usage: REDIS_URL=redis://… npm run migrate -- <groupId> [<groupId> …]\n');
  process.exit(2);
}
const from = new SqliteEventStore(path.join(path.resolve(process.env.DATA_DIR ?? './data'), 'huzhu.sqlite'));
const to = await RedisEventStore.connect(url);
let failed = false;
for (const groupId of groups) {
  try {
    const r = await migrateGroup(groupId, from, to);
    process.stdout.write(`${groupId}: ${r.events} events in ${r.commands} commands, ${r.sessions} device sessions: copied and verified\n`);
  } catch (err) {
    failed = true;
    process.stdout.write(`${groupId}: NOT MIGRATED: ${err instanceof Error ? err.message : String(err)}\n`);
  }
}
await from.close();
await to.close();
process.exit(failed ? 1 : 0);
