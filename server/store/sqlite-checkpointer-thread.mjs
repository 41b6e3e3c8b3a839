// The SQLite stores' checkpointer thread: copies each file's WAL back into the database beside the
// writer thread, so no commit waits for a checkpoint (docs/architecture.md, "Decisions"). Plain
// JavaScript: loading TypeScript through tsx here would cost this process another ~14 MB of memory
// for these few lines.
import { parentPort } from 'node:worker_threads';
import Database from 'better-sqlite3';

/**
 * A checkpoint runs once this many items were committed since the last (a 5–20 MB WAL: 100 busy
 * groups write ~20 KB of pages an item), and at the latest this long after the first of them. Each
 * checkpoint's fsync slows the writer's own fsyncs beside it, so a quiet group does not get one per
 * commit; and it copies each page once, however often the commits between wrote it.
 */
const ITEMS = 1000;
const LATEST_MS = 2000;

/** @type {Map<string, { db: Database.Database, items: number, timer: NodeJS.Timeout | null }>} */
const files = new Map();
const port = /** @type {import('node:worker_threads').MessagePort} */ (parentPort);

port.on('message', (/** @type {{ wrote: string, items: number } | { close: string }} */ m) => {
  if ('close' in m) {
    const f = files.get(m.close);
    if (f?.timer) clearTimeout(f.timer);
    f?.db.close();
    files.delete(m.close);
    return;
  }
  let f = files.get(m.wrote);
  if (!f) files.set(m.wrote, (f = { db: new Database(m.wrote), items: 0, timer: null }));
  const file = f;
  file.items += m.items;
  if (file.items >= ITEMS) {
    if (file.timer) clearTimeout(file.timer);
    checkpoint(file);
  } else file.timer ??= setTimeout(() => checkpoint(file), LATEST_MS);
});

/** @param {{ db: Database.Database, items: number, timer: NodeJS.Timeout | null }} file */
function checkpoint(file) {
  file.timer = null;
  file.items = 0;
  // PASSIVE: copy what no reader still needs, never wait for the writer or a reader. Once the WAL
  // is all copied, the writer's next transaction starts it again from the top.
  file.db.pragma('wal_checkpoint(PASSIVE)');
}
