/**
 * The process that tests/fault/sqlite-kill.test.ts kills: `node --import tsx sqlite-appender.ts FILE`
 * appends to many groups at once through the SQLite store, two events per command, and prints each
 * command id once its append is answered (a pipe write on Linux is synchronous, so a printed id was
 * answered before any kill that follows).
 */
import { SqliteEventStore } from '../../server/store/sqlite.ts';

const GROUPS = 20;
const store = new SqliteEventStore(process.argv[2]!);
const event = (text: string) => ({ at: 1, actor: 'a', event: { type: 'chat.deleted' as const, messageId: text } });

await Promise.all(
  Array.from({ length: GROUPS }, async (_, g) => {
    for (let version = 0; ; version += 2) {
      const id = `g${g}-${version}`;
      await store.append(`g${g}`, version, [event(`${id}a`), event(`${id}b`)], { id, hash: id, version: version + 2, result: null });
      process.stdout.write(`${id}\n`);
    }
  }),
);
