import { z } from 'zod';

/** Field schemas shared by commands, HTTP bodies and settings. */

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

export const domainSchema = z
  .string()
  .trim()
  .toLowerCase()
  .regex(/^(?=.{1,253}$)([a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z]{2,63}$/, 'domain');

export const taskKindSchema = z.enum(['bargain', 'boost', 'cash', 'other']);
export const chatKindSchema = z.enum(['chat', 'tip', 'deal']);
export const roleSchema = z.enum(['owner', 'admin', 'member']);
export const reportTargetSchema = z.enum(['message', 'task', 'member']);
export const assignableRoleSchema = z.enum(['admin', 'member']);

const minutes = (min: number, max: number) => z.number().int().min(min).max(max);

export const settingsSchema = z.object({
  /** Credits every new member starts with, so a newcomer can ask before having helped. */
  startingGrant: z.number().int().min(0).max(1000),
  /** Credits a helper earns per confirmed help; a task escrows helpersNeeded × this. */
  rewardPerHelp: z.number().int().min(1).max(100),
  maxOpenTasksPerMember: z.number().int().min(1).max(50),
  maxActiveClaimsPerMember: z.number().int().min(1).max(50),
  claimTimeoutMinutes: minutes(1, 24 * 60),
  autoConfirmMinutes: minutes(1, 7 * 24 * 60),
  allowedLinkDomains: z.array(domainSchema).max(50),
  /** Moderation policy (docs/safety.md): this many live warnings mute a member automatically… */
  warningsToMute: z.number().int().min(1).max(20),
  /** …for this long. */
  muteHours: z.number().int().min(1).max(24 * 30),
  /** A warning counts towards the automatic mute for this many days. */
  warningExpiryDays: z.number().int().min(1).max(365),
  /** Newcomers may not post links in chat during their first hours… */
  newcomerHours: z.number().int().min(0).max(24 * 30),
  /** …or before they have sent this many messages. */
  newcomerMessages: z.number().int().min(0).max(100),
  /** Joins wait for an admin's approval. */
  requireApproval: z.boolean(),
  /** Below this reliability (0–1; 0 = off) a member is flagged and cannot post until they help again. */
  reliabilityFloor: z.number().min(0).max(1),
  /** The group's clock for "today" and "this week" (minutes east of UTC; China is +480). */
  timezoneOffsetMinutes: z.number().int().min(-720).max(840),
});

export const settingsPatchSchema = settingsSchema.partial().strict();
