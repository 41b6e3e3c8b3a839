// The SQLite stores' checkpointer thread: copies a file's WAL back into the database when the writer
// thread asks (sqlite-writer-thread.ts decides when), beside the writer, so no commit waits for a
// checkpoint (docs/architecture.md, "Decisions"). Plain JavaScript: loading TypeScript through tsx
// here would cost this process another ~14 MB of memory for these few lines.
import { parentPort } from 'node:worker_threads';
import Database from 'better-sqlite3';

/** @type {Map<string, Database.Database>} */
const files = new Map();
const port = /** @type {import('node:worker_threads').MessagePort} */ (parentPort);

port.on('message', (/** @type {{ checkpoint: string } | { close: string }} */ m) => {
  if ('close' in m) {
    files.get(m.close)?.close();
    files.delete(m.close);
    return;
  }
  try {
    let db = files.get(m.checkpoint);
    if (!db) files.set(m.checkpoint, (db = new Database(m.checkpoint)));
    // PASSIVE: copy what no reader still needs, never wait for the writer or a reader. Once the WAL
    // is all copied, the writer's next transaction starts it again from the top.
    db.pragma('wal_checkpoint(PASSIVE)');
  } catch (err) {
    // The commits go on without it (the writer's own backstop keeps the WAL bounded), so this is
    // told, not thrown: the operator hears of a disk going bad before the WAL fills it.
    const code = /** @type {{ code?: unknown }} */ (err)?.code;
    port.postMessage({ file: m.checkpoint, message: err instanceof Error ? err.message : String(err), ...(typeof code === 'string' ? { code } : {}) });
  }
});
