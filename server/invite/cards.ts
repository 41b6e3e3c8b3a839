import { cardFigures } from '../../shared/domain/group-card.ts';
import type { InviteInfo } from '../../shared/protocol/responses.ts';
import type { GroupRuntime } from '../groups/runtime.ts';
import type { HealthFolds } from '../insights/health-folds.ts';

/**
 * The invite card for each group. Its figures come from the group's health fold (the one 管理 → 群数据
 * reads, kept and checkpointed by HealthFolds), caught up to the group's version on each visit.
 */
export class GroupCards {
  constructor(
    private readonly folds: Pick<HealthFolds, 'upTo'>,
    private readonly clock: { now(): number },
  ) {}

  async info(runtime: GroupRuntime): Promise<InviteInfo> {
    const s = runtime.state;
    return {
      groupId: s.id,
      name: s.name,
      rules: s.rules,
      memberCount: Object.values(s.members).filter((m) => m.status === 'active' || m.status === 'muted').length,
      requireApproval: s.settings.requireApproval,
      card: s.settings.cardFigures ? cardFigures(await this.folds.upTo(runtime.id, runtime.version), s, this.clock.now()) : null,
    };
  }
}
