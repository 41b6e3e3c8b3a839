/**
 * The wire protocol version, checked at the Socket.IO handshake and the Yjs upgrade.
 * Bump it on any change to a schema in shared/protocol (tests/unit/protocol-version.test.ts
 * hashes the schemas so a change without a bump fails), and add a line here saying why.
 *
 * 1: first release: commands, acks, notifications, Yjs layout with epoch.
 * 2: accounts and moderation: member.transferOwnership, member.warn/mute/unmute/remove/approve/reject,
 *    report.file/resolve, event.schedule/cancel, thanks on task.confirm, member statuses `pending`
 *    and `left`, moderation and reciprocity settings, recovery and device-link bodies, reserved ids
 *    refused, client command ids without ":", and their error codes.
 * 3: Yjs layout: claims move from each task to a `claims` map of their own, so one claim sends one
 *    claim (a 50-helper card's update was ~6 KB to every member); member cards leave out the message
 *    and claim counters, so a chat message or a claim no longer resends its author's card. The
 *    command schemas are unchanged.
 * 4: 延长: task.extendClaim and its event task.claimExtended; a claim in the doc carries its deadline
 *    `dueAt` and its `extensions`; errors CLAIM_EXTEND_TOO_EARLY, CLAIM_EXTEND_LIMIT,
 *    CLAIM_EXTEND_TASK_ENDS; the notification `event.won` for the draw's winners.
 *    The draw as a moment on the projector: event.clearDraw (staff) and its error DRAW_NOT_DRAWN; the
 *    doc's events carry drawnAt and drawClearedAt; the public draw proof (GET …/events/:id/draw) and
 *    the screen info's server time (`now`) have response schemas.
 * 5: the hash now covers the whole wire (acks, notifications, HTTP responses, presence, Yjs layout),
 *    each a zod schema in shared/protocol (the command and request schemas hash as before). Versions
 *    with a range: `hello` {protocol, oldest} on connecting, PROTOCOL_MISMATCH details {reason,
 *    protocol, oldest}, Yjs close 4427 SERVER_TOO_OLD. Redaction kinds `wechat` and `qq` in chat
 *    messages: a version-4 app has no words for them and would fail showing such a message, so this
 *    version is also the oldest served. The post form's verdict preview, POST …/link-verdict.
 * 6: the doc's chat window is newest first: oldest first, dropping the oldest message walked every
 *    tombstone the array ever kept (~1 ms a message after 20,000). A version-5 app would show the chat
 *    upside down, so this version is also the oldest served.
 *    报名 in chat: a task in the doc carries its short number `no` (#12), and a chat message `signup`
 *    ({taskId, no}, null for other messages) when it claimed a task.
 *    Free-riders, fairly: member.appeal and member.clearFlag, their events (audited), errors
 *    NOT_FLAGGED and APPEAL_TOO_SOON, the report target `appeal`; a member in the doc carries its
 *    `clearance` (a version-5 app's strict member schema would refuse the card, so 6 is the oldest
 *    served); GET …/members/:id/standing (the evidence). The invite card: the group setting
 *    `cardFigures`, the invite answer's figures.
 *    The group's figures for 管理 → 群数据, GET …/health (`groupHealthResponse`), owner and admins only.
 *    撤销: task.undo {taskId, claimId, action: claim | release | markDone} and its error UNDO_EXPIRED
 *    (only ever sent in answer to task.undo, which a version-5 app never sends; the doc's claims only
 *    change status as before). 每天重复: task.post's optional `repeat {days, at}` (result `seriesId`),
 *    task.stopRepeat and its error SERIES_NOT_FOUND, the doc's tasks carry `repeat` (null for a
 *    one-off task), and the notification `task.repeatSkipped`: a version-5 app has no words for it,
 *    so this version is also the oldest served.
 *    The owners' webhook: GET/PUT/DELETE …/webhook (`webhookBody`, `webhookResponse`) and the JSON
 *    it sends (`webhookPayloadSchema`, shared/protocol/webhook.ts).
 * 7: Web Push: GET /api/push/key, PUT/DELETE …/push (`pushSubscribeBody`, `pushUnsubscribeBody`),
 *    GET/PUT …/push/settings (`pushSettingsSchema`, `pushSettingsResponse`), what the service worker
 *    receives (`pushPayloadSchema`, shared/protocol/push.ts; `pushKeyResponse` and `pushSettingsResponse` in responses.ts), errors PUSH_ENDPOINT_REFUSED and
 *    PUSH_SUBSCRIPTION_NOT_FOUND (answers only to the new routes, which a version-6 app never calls:
 *    6 stays the oldest served).
 * 8: the board's first screen: GET …/first-screen (`firstScreenResponse`), which the board page also
 *    carries as data (shared/protocol/first-screen.ts). An older app never calls the route and does not
 *    read the page's element: 6 stays the oldest served.
 * 9: presence without renewals: the server relays a peer's state when it changes, not when it is only
 *    re-sent, and a version-9 app keeps its peers' states while connected (VOUCHED_PRESENCE_SINCE,
 *    shared/protocol/presence.ts). No schema changed; apps of 6–8 still get the renewals, so 6 stays
 *    the oldest served.
 */
export const PROTOCOL_VERSION = 9;

/**
 * The oldest client protocol the server still serves (docs/protocol.md, "Versions"). A phone keeps a
 * cached app through a deploy: as long as its version is in [OLDEST_PROTOCOL_VERSION, PROTOCOL_VERSION]
 * it keeps working, mid-claim, and reloads when it likes. Raise it to PROTOCOL_VERSION in the same
 * change as a bump an older client cannot ignore: a Yjs layout it would misread, an ack or refusal it
 * would not understand, a notification kind or error code it has no words for, a command it sends that
 * changed meaning. A bump that only adds what old clients never see or safely skip keeps it.
 */
export const OLDEST_PROTOCOL_VERSION = 6;

/**
 * How a client's protocol fits this server. `clientTooOld`: reloading fetches the newer app.
 * `serverTooOld`: the app came from a newer node during a rolling deploy; reloading would not help,
 * reconnecting (to an updated node) will.
 */
export type ProtocolFit = 'ok' | 'clientTooOld' | 'serverTooOld';
export function protocolFit(client: number): ProtocolFit {
  // Not a version at all (a hand-made URL) is treated as too old: the answer says reload.
  if (!Number.isInteger(client) || client < OLDEST_PROTOCOL_VERSION) return 'clientTooOld';
  return client > PROTOCOL_VERSION ? 'serverTooOld' : 'ok';
}
