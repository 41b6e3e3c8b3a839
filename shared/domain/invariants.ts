import { isLive, type GroupState } from './types.ts';

/**
 * The invariants of docs/domain.md, checked on a state. Returns the broken ones, each prefixed
 * with its rule id; an empty list means the state is sound. Tests run it after every event.
 */
export function brokenInvariants(state: GroupState): string[] {
  const broken: string[] = [];
  let balances = 0;
  for (const m of Object.values(state.members)) {
    balances += m.balance;
    if (m.balance < 0) broken.push(`[L2] member ${m.id} balance ${m.balance} < 0`);
  }
  let escrow = 0;
  for (const t of Object.values(state.tasks)) {
    escrow += t.escrow;
    const confirmed = t.claims.filter((c) => c.status === 'confirmed').length;
    if (t.status === 'open' && t.escrow !== (t.helpersNeeded - confirmed) * t.reward) {
      // Confirmed helps each released one reward from escrow; event bonuses are granted, not escrowed.
      broken.push(`[L3] task ${t.id} escrow ${t.escrow} != unpaid helpers × reward`);
    }
    if (t.status !== 'open' && t.escrow !== 0) broken.push(`[L3] closed task ${t.id} still holds ${t.escrow}`);
    const live = t.claims.filter(isLive);
    if (live.length > t.helpersNeeded) broken.push(`[T1] task ${t.id} has ${live.length} live claims > ${t.helpersNeeded}`);
    if (t.claims.some((c) => c.memberId === t.posterId)) broken.push(`[T2] task ${t.id} claimed by its poster`);
    const liveBy = new Set(live.map((c) => c.memberId));
    if (liveBy.size !== live.length) broken.push(`[T3] task ${t.id} has two live claims by one member`);
    if (t.status !== 'open' && t.claims.some((c) => c.status === 'active' || c.status === 'done')) {
      broken.push(`[T4] closed task ${t.id} has unsettled claims`);
    }
    if (t.status === 'done' && confirmed !== t.helpersNeeded) broken.push(`[T5] done task ${t.id} has ${confirmed} helps`);
  }
  const owners = Object.values(state.members).filter((m) => m.role === 'owner');
  if (state.version > 0 && (owners.length !== 1 || owners[0]?.status !== 'active')) {
    broken.push(`[P4] the group has ${owners.length} owners (${owners.map((o) => o.status).join(', ')})`);
  }
  if (balances + escrow !== state.totalGranted) {
    broken.push(`[L1] balances ${balances} + escrow ${escrow} != granted ${state.totalGranted}`);
  }
  return broken;
}
