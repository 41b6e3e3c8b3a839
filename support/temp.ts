import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

/** A fresh directory under the OS temp dir (data dirs, redis-server dirs). */
export const tempDir = (prefix = 'huzhu-test-') => fs.mkdtempSync(path.join(os.tmpdir(), prefix));
