import { z } from 'zod';

/** Field schemas of what clients send: commands and HTTP bodies (wire enums: enums.ts; settings: settings.ts). */

// Control characters (other than none at all) never belong in names or titles; they break layouts
// and hide text. Newlines are allowed only where noted.
const NO_CONTROL = /^[^\u0000-\u001f\u007f\u2028\u2029\u202a-\u202e\u2066-\u2069]*$/;
const NO_CONTROL_EXCEPT_NEWLINE = /^[^\u0000-\u0009\u000b-\u001f\u007f\u202a-\u202e\u2066-\u2069]*$/;

/**
 * Ids name keys in the state's records: the names Object.prototype already has ("constructor",
 * "toString", "__proto__") would find a property that is not a member or a task.
 */
export const idSchema = z
  .string()
  .regex(/^[A-Za-z0-9_-]{6,64}$/, 'id')
  .refine((id) => !(id in Object.prototype), 'reserved id');
/** Client command ids have no ":", so they never meet the server's own ("sys:…", "join:…"). */
export const commandIdSchema = z.string().regex(/^[A-Za-z0-9_-]{8,100}$/, 'command id');

export const displayNameSchema = z.string().trim().min(1).max(24).regex(NO_CONTROL);
export const groupNameSchema = z.string().trim().min(1).max(40).regex(NO_CONTROL);
export const rulesSchema = z.string().trim().max(2000).regex(NO_CONTROL_EXCEPT_NEWLINE);
export const titleSchema = z.string().trim().min(1).max(80).regex(NO_CONTROL);
export const noteSchema = z.string().trim().max(500).regex(NO_CONTROL_EXCEPT_NEWLINE);
/** A flagged member's appeal: a short note in their own words (shared/domain/standing.ts). */
export const appealNoteSchema = z.string().trim().min(1).max(200).regex(NO_CONTROL_EXCEPT_NEWLINE);
export const chatTextSchema = z.string().trim().min(1).max(1000).regex(NO_CONTROL_EXCEPT_NEWLINE);
export const inviteCodeSchema = z.string().regex(/^[A-Za-z0-9_-]{6,32}$/);

export const linkSchema = z
  .string()
  .trim()
  .max(2048)
  .refine((s) => {
    try {
      const u = new URL(s);
      return u.protocol === 'https:' || u.protocol === 'http:';
    } catch {
      return false;
    }
  }, 'http(s) link');

/**
 * A task's link: any absolute URL, or an http(s) link whose host does not parse because of broken
 * punycode (`xn--zz`). Which of them may be posted is the domain's call (shared/safety/verdict.ts):
 * other schemes (`javascript:`, `data:`, `file:`) and broken hosts are refused there as
 * LINK_DANGEROUS with the reason, so the member hears that the link is dangerous, not that the input
 * is wrong. Anything that is not a link at all stays INVALID_INPUT.
 */
export const taskLinkSchema = z
  .string()
  .trim()
  .max(2048)
  .refine((s) => {
    if (/^https?:\/\/[^/?#\s]*xn--/i.test(s)) return true;
    try {
      new URL(s);
      return true;
    } catch {
      return false;
    }
  }, 'absolute link');
