/**
 * `npm run verify-draw -- <groupId> <eventId>`: check a group event's prize draw from the log alone.
 * Reads the embedded store in DATA_DIR (default ./data), finds the event's published commitment and
 * its draw, recomputes the eligible list from the helps confirmed during the event, and checks that
 * SHA-256(seed) is the commitment and that the winners follow from the seed and the list
 * (docs/reciprocity.md). Prints the verdict; exits 0 when the draw holds, 1 when it does not.
 * The proof page (/g/<groupId>/draw/<eventId>) runs the same check in the browser.
 */
import path from 'node:path';
import { drawReader, verifyRecord } from '../shared/domain/draw.ts';
import { SqliteEventStore } from '../server/store/sqlite.ts';
import { readPages } from '../server/store/store.ts';

const [groupId, eventId] = process.argv.slice(2);
if (!groupId || !eventId) {
  process.stderr.write('usage: npm run verify-draw -- <groupId> <eventId>\n');
  process.exit(2);
}
const file = path.join(path.resolve(process.env.DATA_DIR ?? './data'), 'huzhu.sqlite');
const store = new SqliteEventStore(file);
const reader = drawReader(eventId);
for await (const page of readPages(store, groupId)) reader.read(page);
await store.close();
const draw = reader.result();
if (!draw) {
  process.stdout.write(`No draw found for event ${eventId} in group ${groupId} (${file}).\n`);
  process.exit(1);
}
const check = verifyRecord(draw);
process.stdout.write(
  [
    `commitment  ${draw.commitment}`,
    `seed        ${draw.seed}`,
    `eligible    ${draw.eligible.map((e) => `${e.memberId}×${e.weight}`).join(', ') || '(none)'}`,
    `winners     ${draw.winners.join(', ') || '(none)'}`,
    check.ok ? 'VERIFIED: the seed matches the commitment and the winners follow from it.' : `NOT VERIFIED: ${check.problem}`,
    '',
  ].join('\n'),
);
process.exit(check.ok ? 0 : 1);
