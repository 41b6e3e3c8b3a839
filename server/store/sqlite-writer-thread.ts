import { parentPort, Worker } from 'node:worker_threads';
import { asFailure, SqliteWriter, type FromWriter, type ToWriter } from './sqlite-writer.ts';

/**
 * The SQLite stores' writer thread: commits the batches the stores send, one at a time, so the fsync
 * of each COMMIT waits here and not on the server's event loop. One per process, a writer per file:
 * a process that opens many stores (the tests) starts one thread, not one each. Each commit tells the
 * checkpointer thread (sqlite-checkpointer-thread.mjs), which copies the WAL back beside it.
 */
const port = parentPort!;
const writers = new Map<string, SqliteWriter>();
const answer = (m: FromWriter) => port.postMessage(m);

let checkpointer: Worker | null = null;
function checkpoint(message: { wrote: string; items: number } | { close: string }) {
  if (!checkpointer) {
    const started = new Worker(new URL('./sqlite-checkpointer-thread.mjs', import.meta.url));
    // Should it die, the next commit starts another; meanwhile the writer's own checkpoints (WAL_BACKSTOP_PAGES) keep the WAL bounded.
    started.on('error', () => undefined);
    started.on('exit', () => {
      if (checkpointer === started) checkpointer = null;
    });
    started.unref();
    checkpointer = started;
  }
  checkpointer.postMessage(message);
}

port.on('message', (raw: string) => {
  const m = JSON.parse(raw) as ToWriter;
  if ('close' in m) {
    writers.get(m.close)?.close();
    writers.delete(m.close);
    checkpoint({ close: m.close });
    answer({ id: m.id, closed: true });
    return;
  }
  try {
    let writer = writers.get(m.to.file);
    if (!writer) writers.set(m.to.file, (writer = new SqliteWriter(m.to.file, m.to.synchronous)));
    answer({ id: m.id, outcomes: writer.commit(m.items) });
    checkpoint({ wrote: m.to.file, items: m.items.length });
  } catch (err) {
    answer({ id: m.id, failed: asFailure(err) });
  }
});
