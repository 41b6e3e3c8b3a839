import { canChangeSettings, canManageWebhook, canMakeDisplayLink, canReissueRecovery, canSetRole, mayUse, outranks } from '../../../shared/domain/permissions.ts';
import type { Role } from '../../../shared/domain/types.ts';

/*
 * What the moderation page offers, asked of shared/domain/permissions.ts, the rules decide() and the
 * HTTP API enforce: a control shows exactly when the server would accept it, never by a copy here.
 */

/** The owner's parts of the page: the projector link, group events (schedule, cancel), settings. */
export function staffSections(me: Role | null) {
  return {
    projector: canMakeDisplayLink(me),
    events: me !== null && mayUse('event.schedule', me) === 'yes' && mayUse('event.cancel', me) === 'yes',
    settings: canChangeSettings(me),
    webhook: canManageWebhook(me),
  };
}

/** The buttons beside a member (or a report about them): moderation goes down the ranks only. */
export function memberControls(me: Role | null, target: Role) {
  return {
    /** warn, mute or unmute, remove */
    moderate: me !== null && outranks(me, target),
    setRole: me !== null && canSetRole(me, target),
    reissueRecovery: canReissueRecovery(me),
  };
}
