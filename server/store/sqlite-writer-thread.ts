import { parentPort, Worker } from 'node:worker_threads';
import { asFailure, SqliteWriter, type CheckpointFailure, type FromWriter, type ToWriter } from './sqlite-writer.ts';

/**
 * The SQLite stores' writer thread: commits the batches the stores send, one at a time, so the fsync
 * of each COMMIT waits here and not on the server's event loop. One per process, a writer per file:
 * a process that opens many stores (the tests) starts one thread, not one each. It also decides when the
 * checkpointer thread (sqlite-checkpointer-thread.mjs) copies a file's WAL back, beside it.
 */
const port = parentPort!;
const writers = new Map<string, SqliteWriter>();
const answer = (m: FromWriter) => port.postMessage(m);

/**
 * A file's WAL is copied back once this many items were committed since the last copy (a 5–20 MB WAL:
 * 100 busy groups write ~20 KB of pages an item), and at the latest this long after the first of them.
 * A checkpoint's fsync slows the writer's own beside it, so a quiet group does not get one per commit;
 * and it copies each page once, however often the commits in between wrote it.
 */
const CHECKPOINT_ITEMS = 1000;
const CHECKPOINT_LATEST_MS = 2000;

let checkpointer: Worker | null = null;
const uncopied = new Map<string, { items: number; timer: NodeJS.Timeout | null }>();

function tellCheckpointer(message: { checkpoint: string } | { close: string }) {
  if (!checkpointer) {
    const started = new Worker(new URL('./sqlite-checkpointer-thread.mjs', import.meta.url));
    started.on('message', (failed: CheckpointFailure) => answer({ checkpointFailed: failed }));
    // Should it die, the next checkpoint starts another; meanwhile the writer's own checkpoints (WAL_BACKSTOP_PAGES) keep the WAL bounded.
    started.on('error', (err) => answer({ checkpointFailed: { file: null, ...asFailure(err) } }));
    started.on('exit', () => {
      if (checkpointer === started) checkpointer = null;
    });
    started.unref();
    checkpointer = started;
  }
  checkpointer.postMessage(message);
}

function checkpoint(file: string) {
  const u = uncopied.get(file);
  if (u?.timer) clearTimeout(u.timer);
  uncopied.delete(file);
  tellCheckpointer({ checkpoint: file });
}

function committed(file: string, items: number) {
  let u = uncopied.get(file);
  if (!u) uncopied.set(file, (u = { items: 0, timer: null }));
  u.items += items;
  if (u.items >= CHECKPOINT_ITEMS) return checkpoint(file);
  if (!u.timer) {
    u.timer = setTimeout(() => checkpoint(file), CHECKPOINT_LATEST_MS);
    u.timer.unref();
  }
}

port.on('message', (raw: string) => {
  const m = JSON.parse(raw) as ToWriter;
  if ('close' in m) {
    writers.get(m.close)?.close();
    writers.delete(m.close);
    const u = uncopied.get(m.close);
    if (u?.timer) clearTimeout(u.timer);
    uncopied.delete(m.close);
    if (checkpointer) tellCheckpointer({ close: m.close });
    answer({ id: m.id, closed: true });
    return;
  }
  try {
    let writer = writers.get(m.to.file);
    if (!writer) writers.set(m.to.file, (writer = new SqliteWriter(m.to.file, m.to.synchronous)));
    answer({ id: m.id, outcomes: writer.commit(m.items) });
  } catch (err) {
    answer({ id: m.id, failed: asFailure(err) });
    return;
  }
  committed(m.to.file, m.items.length);
});
