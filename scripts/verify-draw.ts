/**
 * `npm run verify-draw -- <groupId> <eventId>`: check a group event's prize draw from the log alone.
 * Reads the embedded store in DATA_DIR (default ./data), finds the event's published commitment and
 * its draw, recomputes the eligible list from the helps confirmed during the event, and checks that
 * SHA-256(seed) is the commitment and that the winners follow from the seed and the list
 * (docs/reciprocity.md). Prints the verdict; exits 0 when the draw holds, 1 when it does not.
 */
import path from 'node:path';
import { canonicalEntries, verifyDraw } from '../shared/domain/draw.ts';
import { SqliteEventStore } from '../server/store/sqlite.ts';

const [groupId, eventId] = process.argv.slice(2);
if (!groupId || !eventId) {
  process.stderr.write('usage: npm run verify-draw -- <groupId> <eventId>\n');
  process.exit(2);
}
const file = path.join(path.resolve(process.env.DATA_DIR ?? './data'), 'huzhu.sqlite');
const store = new SqliteEventStore(file);
let scheduled: { prizeWinners: number } | null = null;
let commitment: string | null = null;
let drawn: { seed: string; eligible: { memberId: string; weight: number }[]; winners: string[] } | null = null;
const helps: Record<string, number> = {};
for (let after = 0; ; ) {
  const page = await store.readAfter(groupId, after, 5000);
  for (const { event } of page) {
    if (event.type === 'event.scheduled' && event.eventId === eventId) scheduled = event;
    if (event.type === 'event.started' && event.eventId === eventId) commitment = event.commitment;
    if (event.type === 'event.drawn' && event.eventId === eventId) drawn = event;
    if (event.type === 'task.confirmed' && event.eventId === eventId) helps[event.helperId] = (helps[event.helperId] ?? 0) + 1;
  }
  const last = page.at(-1);
  if (!last) break;
  after = last.seq;
}
await store.close();
if (!scheduled || !commitment || !drawn) {
  process.stdout.write(`No draw found for event ${eventId} in group ${groupId} (${file}).\n`);
  process.exit(1);
}
const check = verifyDraw({ commitment, seed: drawn.seed, eligible: drawn.eligible, winners: drawn.winners, count: scheduled.prizeWinners, recomputed: canonicalEntries(helps) });
process.stdout.write(
  [
    `commitment  ${commitment}`,
    `seed        ${drawn.seed}`,
    `eligible    ${drawn.eligible.map((e) => `${e.memberId}×${e.weight}`).join(', ') || '(none)'}`,
    `winners     ${drawn.winners.join(', ') || '(none)'}`,
    check.ok ? 'VERIFIED: the seed matches the commitment and the winners follow from it.' : `NOT VERIFIED: ${check.problem}`,
    '',
  ].join('\n'),
);
process.exit(check.ok ? 0 : 1);
