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
  setInvite(groupId: string, code: string): Promise<void>;
  groupForInvite(code: string): Promise<string | null>;
  inviteOf(groupId: string): Promise<string | null>;
  createDisplayToken(groupId: string): Promise<string>;
  isDisplayToken(groupId: string, token: string): Promise<boolean>;
}

export const newToken = (bytes = 32) => randomBytes(bytes).toString('base64url');
export const hashToken = (token: string) => createHash('sha256').update(token).digest('base64url');
/** Invite codes are typed by people and read aloud: no look-alike characters. */
export function newInviteCode(): string {
  const alphabet = 'abcdefghijkmnpqrstuvwxyzABCDEFGHJKLMNPQRSTUVWXYZ23456789';
  const bytes = randomBytes(10);
  let code = '';
  for (const b of bytes) code += alphabet[b % alphabet.length];
  return code;
}
