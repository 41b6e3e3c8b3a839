import express from 'express';
import { canReadHealth } from '../../shared/domain/permissions.ts';
import { healthFigures } from '../../shared/insights/health.ts';
import type { GroupHealth } from '../../shared/protocol/responses.ts';
import type { GroupHost } from '../groups/host.ts';
import type { IdentityStore } from '../identity/identity.ts';
import type { HealthFolds } from '../insights/health-folds.ts';
import { requestHelpers } from './context.ts';

/** 管理 → 群数据: the group's figures from its log, for the owner and admins (docs/owners.md). */
export function healthRouter(deps: { host: GroupHost; identity: IdentityStore; folds: HealthFolds; clock: { now(): number } }) {
  const { host, identity, folds, clock } = deps;
  const { memberAllowed } = requestHelpers(identity, host);
  const r = express.Router();

  r.get('/groups/:groupId/health', async (req, res) => {
    const { runtime } = await memberAllowed(req, canReadHealth);
    const fold = await folds.upTo(runtime.id, runtime.version);
    const s = runtime.state;
    const body: GroupHealth = healthFigures(fold, { groupId: runtime.id, now: clock.now(), timezoneOffsetMinutes: s.settings.timezoneOffsetMinutes, members: s.members });
    res.json(body);
  });

  return r;
}
