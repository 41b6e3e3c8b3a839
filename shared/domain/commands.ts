import type { z } from 'zod';
import type { ClientCommand } from '../protocol/commands.ts';
import type { commandResultSchema } from '../protocol/ack.ts';
import type { Settings } from './types.ts';

/**
 * Everything that can change a group, in one union: what members send (validated at the edge),
 * what the HTTP API mints (group.create, member.join) and what the server's clock drives (system.*).
 * `actor` is the member id the gateway authenticated, or SYSTEM_ACTOR.
 */
type Payloads = {
  [C in ClientCommand as C['type']]: C['payload'];
} & {
  'group.create': { name: string; rules: string; ownerId: string; ownerName: string; settings?: Partial<Settings> };
  'member.join': { memberId: string; name: string };
  /** Issued by the HTTP API: leaving closes the account; recovering a left account reopens it. */
  'member.leave': Record<string, never>;
  'member.rejoin': { memberId: string };
  /** The owner re-issues a member's recovery code (identified in person); recorded for the audit. */
  'member.reissueRecovery': { memberId: string };
  'system.expireClaim': { taskId: string; claimId: string };
  'system.autoConfirm': { taskId: string; claimId: string };
  'system.expireTask': { taskId: string };
  'system.unmute': { memberId: string };
  'system.startEvent': { eventId: string };
  'system.endEvent': { eventId: string };
  /** Post a daily task's next day (shared/domain/series.ts). */
  'system.repeatTask': { seriesId: string };
};

export type CommandType = keyof Payloads;
export type DomainCommand = { [T in CommandType]: { type: T; payload: Payloads[T] } }[CommandType];
export type CommandOf<T extends CommandType> = Extract<DomainCommand, { type: T }>;

export interface Envelope<C extends DomainCommand = DomainCommand> {
  id: string;
  actor: string;
  command: C;
}

/** What decide may use besides the state: the server's clock and id source, passed in. */
export interface DecideContext {
  now: number;
  newId: () => string;
  /** Unpredictable bytes as hex, for the prize draw's seed. */
  randomHex: (bytes: number) => string;
}

/** What a successful command returns to its sender besides the version (e.g. the new task's id). */
export type CommandResult = z.infer<typeof commandResultSchema>;
