import { parentPort } from 'node:worker_threads';
import { asFailure, SqliteWriter, type FromWriter, type ToWriter } from './sqlite-writer.ts';

/**
 * The SQLite stores' writer thread: commits the batches the stores send, one at a time, so the fsync
 * of each COMMIT waits here and not on the server's event loop. One per process, a writer per file:
 * a process that opens many stores (the tests) starts one thread, not one each.
 */
const port = parentPort!;
const writers = new Map<string, SqliteWriter>();
const answer = (m: FromWriter) => port.postMessage(m);

port.on('message', (raw: string) => {
  const m = JSON.parse(raw) as ToWriter;
  if ('close' in m) {
    writers.get(m.close)?.close();
    writers.delete(m.close);
    answer({ id: m.id, closed: true });
    return;
  }
  try {
    let writer = writers.get(m.to.file);
    if (!writer) writers.set(m.to.file, (writer = new SqliteWriter(m.to.file, m.to.synchronous)));
    answer({ id: m.id, outcomes: writer.commit(m.items) });
  } catch (err) {
    answer({ id: m.id, failed: asFailure(err) });
  }
});
