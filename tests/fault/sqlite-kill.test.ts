import { spawn } from 'node:child_process';
import path from 'node:path';
import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { SqliteEventStore } from '../../server/store/sqlite.ts';
import { tempDir } from '../../support/temp.ts';

/**
 * kill -9 of a process appending to twenty groups at once through the SQLite store (group commit:
 * many appends per transaction, on the writer thread). Every append it answered is in the file, and
 * every command there has all of its events: a batch is written whole or not at all, and an answer
 * never comes before the COMMIT.
 */
describe('the SQLite store killed under load', () => {
  it('keeps every answered append, each with all its events', async () => {
    const file = path.join(tempDir('huzhu-kill-'), 'store.sqlite');
    const child = spawn(process.execPath, ['--import', 'tsx', path.join(import.meta.dirname, 'sqlite-appender.ts'), file], { stdio: ['ignore', 'pipe', 'inherit'] });
    const answered: string[] = [];
    const exited = new Promise((resolve) => child.once('exit', resolve));
    await new Promise<void>((resolve, reject) => {
      let buffered = '';
      child.stdout!.on('data', (d: Buffer) => {
        const lines = (buffered + d.toString()).split('\n');
        buffered = lines.pop()!;
        answered.push(...lines);
        // Killed mid-load: by now batches are being committed back to back.
        if (answered.length >= 600 && !child.killed) {
          child.kill('SIGKILL');
          resolve();
        }
      });
      child.once('exit', (code) => reject(new Error(`the appender exited by itself (${code})`)));
    });
    await exited;

    const db = new Database(file, { readonly: true });
    const commands = db.prepare<[], { group_id: string; command_id: string; version: number }>('SELECT group_id, command_id, version FROM commands').all();
    const events = db.prepare<[], { group_id: string; seq: number; command_id: string }>('SELECT group_id, seq, command_id FROM events ORDER BY group_id, seq').all();
    db.close();
    const recorded = new Set(commands.map((c) => c.command_id));
    expect(answered.filter((id) => !recorded.has(id))).toEqual([]);
    // Each command's two events, and nothing else: no half-written append, no gap.
    for (const c of commands) {
      const own = events.filter((e) => e.group_id === c.group_id && e.command_id === c.command_id).map((e) => e.seq);
      expect(own).toEqual([c.version - 1, c.version]);
    }
    const byGroup = new Map<string, number[]>();
    for (const e of events) byGroup.set(e.group_id, [...(byGroup.get(e.group_id) ?? []), e.seq]);
    for (const [, seqs] of byGroup) expect(seqs).toEqual(seqs.map((_, i) => i + 1));
    process.stdout.write(`answered before the kill: ${answered.length}; committed: ${commands.length}\n`);

    // The file opens again and takes the next append of a group where its log ends.
    const store = new SqliteEventStore(file);
    const head = byGroup.get('g0')?.length ?? 0;
    await store.append('g0', head, [{ at: 1, actor: 'a', event: { type: 'chat.deleted', messageId: 'after' } }], { id: 'after', hash: 'after', version: head + 1, result: null });
    expect((await store.readAfter('g0', head, 10)).map((e) => e.commandId)).toEqual(['after']);
    await store.close();
  });
});
