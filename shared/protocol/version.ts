/**
 * The wire protocol version, checked at the Socket.IO handshake and the Yjs upgrade.
 * Bump it on any change to a schema in shared/protocol (tests/unit/protocol-version.test.ts
 * hashes the schemas so a change without a bump fails), and add a line here saying why.
 *
 * 1: first release: commands, acks, notifications, Yjs layout with epoch.
 * 2: accounts: member.transferOwnership, member status `left`, recovery and device-link bodies,
 *    error codes OWNER_MUST_TRANSFER, TRANSFER_TARGET, RECOVERY_INVALID, LINK_CODE_INVALID, SESSION_NOT_FOUND.
 */
export const PROTOCOL_VERSION = 2;
