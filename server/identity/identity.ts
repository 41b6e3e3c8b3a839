import { createHash, randomBytes } from 'node:crypto';

/**
 * Who a device is: sessions (a random token in an httpOnly cookie, stored only as its SHA-256),
 * the groups each session belongs to, invite codes and projector display tokens. Not domain
 * state: none of it is in the event log, and a leaked database holds no usable token.
 */
export interface IdentityStore {
  createSession(userAgent: string): Promise<string>;
  /** groupId → memberId for a session token, or null when the token is unknown. */
  memberships(token: string): Promise<Map<string, string> | null>;
  addMembership(token: string, groupId: string, memberId: string): Promise<void>;
  /** The session's public id (safe to show and to name in URLs), or null. */
  sessionId(token: string): Promise<string | null>;
  /** Record that the session was used now (at most once a minute is written). */
  touchSession(token: string): Promise<void>;
  /** The devices signed in as a member of a group. */
  sessionsOf(groupId: string, memberId: string): Promise<DeviceSession[]>;
  /** Sign one device out of a group; true when it was signed in as that member. */
  signOut(sessionId: string, groupId: string, memberId: string): Promise<boolean>;
  /** Sign every device of a member out of a group (leaving); returns their session ids. */
  signOutEverywhere(groupId: string, memberId: string): Promise<string[]>;
  /** Store a member's recovery code (hashed), replacing the previous one. */
  setRecoveryCode(groupId: string, memberId: string, code: string): Promise<void>;
  findRecoveryCode(code: string): Promise<{ groupId: string; memberId: string } | null>;
  /** A one-time code that signs another device in as this member until it expires. */
  createDeviceLink(groupId: string, memberId: string, expiresAt: number): Promise<string>;
  /** Use a device link code once; null when unknown, used or expired. */
  redeemDeviceLink(code: string): Promise<{ groupId: string; memberId: string } | null>;
  setInvite(groupId: string, code: string): Promise<void>;
  groupForInvite(code: string): Promise<string | null>;
  inviteOf(groupId: string): Promise<string | null>;
  createDisplayToken(groupId: string): Promise<string>;
  isDisplayToken(groupId: string, token: string): Promise<boolean>;
}

export const newToken = (bytes = 32) => randomBytes(bytes).toString('base64url');
export const hashToken = (token: string) => createHash('sha256').update(token).digest('base64url');
/** What a group's identity looks like as stored (hashes only): moved as is by `npm run migrate`. */
export interface IdentityExport {
  invite: string | null;
  displayHash: string | null;
  sessions: { hash: string; publicId: string; createdAt: number; lastSeenAt: number; userAgent: string; memberId: string }[];
  recovery: { hash: string; memberId: string }[];
}

export interface DeviceSession {
  id: string;
  userAgent: string;
  createdAt: number;
  lastSeenAt: number;
}

const READABLE = 'ABCDEFGHJKLMNPQRSTUVWXYZ23456789';

/** 16 characters from 32 (80 bits): unguessable, yet easy to copy by hand as XXXX-XXXX-XXXX-XXXX. */
export function newRecoveryCode(): string {
  let code = '';
  for (const b of randomBytes(16)) code += READABLE[b % READABLE.length];
  return code;
}

export const formatRecoveryCode = (code: string) => code.match(/.{1,4}/g)?.join('-') ?? code;

/** 8 digits, typed on a second device within five minutes; guessing is rate-limited. */
export function newDeviceCode(): string {
  return String(randomBytes(4).readUInt32BE(0) % 100_000_000).padStart(8, '0');
}

/** Invite codes are typed by people and read aloud: no look-alike characters. */
export function newInviteCode(): string {
  const alphabet = 'abcdefghijkmnpqrstuvwxyzABCDEFGHJKLMNPQRSTUVWXYZ23456789';
  const bytes = randomBytes(10);
  let code = '';
  for (const b of bytes) code += alphabet[b % alphabet.length];
  return code;
}
