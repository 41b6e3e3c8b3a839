import { z } from 'zod/mini';

/**
 * A group's settings: the owner changes them (group.updateSettings, a patch of these) and every
 * member reads them in the doc's `meta`. zod/mini, because the doc's layout and the audit log's
 * settings changes use it too (shared/protocol/enums.ts says why).
 */
const int = (min: number, max: number) => z.int().check(z.minimum(min), z.maximum(max));

export const domainSchema = z
  .string()
  .check(z.trim(), z.toLowerCase(), z.regex(/^(?=.{1,253}$)([a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z]{2,63}$/, 'domain'));

export const settingsSchema = z.object({
  /** Credits every new member starts with, so a newcomer can ask before having helped. */
  startingGrant: int(0, 1000),
  /** Credits a helper earns per confirmed help; a task escrows helpersNeeded × this. */
  rewardPerHelp: int(1, 100),
  maxOpenTasksPerMember: int(1, 50),
  maxActiveClaimsPerMember: int(1, 50),
  claimTimeoutMinutes: int(1, 24 * 60),
  autoConfirmMinutes: int(1, 7 * 24 * 60),
  allowedLinkDomains: z.array(domainSchema).check(z.maxLength(50)),
  /** Moderation policy (docs/safety.md): this many live warnings mute a member automatically… */
  warningsToMute: int(1, 20),
  /** …for this long. */
  muteHours: int(1, 24 * 30),
  /** A warning counts towards the automatic mute for this many days. */
  warningExpiryDays: int(1, 365),
  /** Newcomers may not post links in chat during their first hours… */
  newcomerHours: int(0, 24 * 30),
  /** …or before they have sent this many messages. */
  newcomerMessages: int(0, 100),
  /** Joins wait for an admin's approval. */
  requireApproval: z.boolean(),
  /** Below this reliability (0–1; 0 = off) a member is flagged and cannot post until they help again. */
  reliabilityFloor: z.number().check(z.minimum(0), z.maximum(1)),
  /** The group's clock for "today" and "this week" (minutes east of UTC; China is +480). */
  timezoneOffsetMinutes: int(-720, 840),
  /** The invite page shows the group's figures (activity, time to full, staff reliability, age). */
  cardFigures: z.boolean(),
});

/** What group.updateSettings carries, and what group.settingsUpdated records: any of the settings. */
export const settingsPatchSchema = z.partial(z.strictObject(settingsSchema.shape));
