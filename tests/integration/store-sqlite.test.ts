import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { SqliteEventStore } from '../../server/store/sqlite.ts';
import { eventStoreContract } from './store-contract.ts';

eventStoreContract('SQLite', async () => {
  const file = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'huzhu-store-')), 'store.sqlite');
  return { store: new SqliteEventStore(file), reopen: async () => new SqliteEventStore(file) };
});
