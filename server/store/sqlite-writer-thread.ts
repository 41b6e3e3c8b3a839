import { parentPort, workerData } from 'node:worker_threads';
import { asFailure, SqliteWriter, type FromWriter, type ToWriter, type WriterData } from './sqlite-writer.ts';

/**
 * The SQLite store's writer thread: commits the batches the store sends, one at a time, so the
 * fsync of each COMMIT waits here and not on the server's event loop.
 */
const port = parentPort!;
const data = workerData as WriterData;
const writer = new SqliteWriter(data.file, data.synchronous);
const answer = (m: FromWriter) => port.postMessage(m);

port.on('message', (m: ToWriter) => {
  if ('close' in m) {
    writer.close();
    port.close();
    return;
  }
  try {
    answer({ id: m.id, outcomes: writer.commit(m.items) });
  } catch (err) {
    answer({ id: m.id, failed: asFailure(err) });
  }
});
