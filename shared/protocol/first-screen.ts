/**
 * The first screen a board page carries (docs/protocol.md, "First screen"): GET /g/:groupId for a
 * member of the group answers index.html with the JSON of `firstScreenResponse` (responses.ts) in a
 * `<script type="application/json">` element of this id, and GET /api/groups/:id/first-screen answers
 * it alone, for a board opened without loading the page (after joining, from the home page).
 * `update` is a Yjs update (base64) of a doc of its own that holds the first cards of each tab for
 * that member, and what they show (server/groups/first-screen.ts); the client shows it until its real
 * doc is loaded or synced, and never merges the two.
 */
export const FIRST_SCREEN_ELEMENT_ID = 'first-screen';
export type { FirstScreen } from './responses.ts';
