import { SCAM_KINDS, type ScamKind } from '../safety/scam.ts';

/**
 * Why the system filed a report by itself, as stored in `report.filed.reason` (a code, so the log
 * stays language-neutral): `scam:<kind>,<kind>` for scam asks, `dangerous-link` for a link judged
 * dangerous. Members' own reports carry their free text. Clients turn the codes into words.
 */
export type AutoReportReason = { kind: 'scam'; signals: ScamKind[] } | { kind: 'dangerousLink' };

const SCAM_PREFIX = 'scam:';
const DANGEROUS_LINK = 'dangerous-link';

export function autoReportReason(warnings: readonly ScamKind[]): string {
  return warnings.length ? `${SCAM_PREFIX}${warnings.join(',')}` : DANGEROUS_LINK;
}

/** The code read back; null for a member's own words (or a code this version does not know). */
export function parseAutoReportReason(reason: string): AutoReportReason | null {
  if (reason === DANGEROUS_LINK) return { kind: 'dangerousLink' };
  if (!reason.startsWith(SCAM_PREFIX)) return null;
  const parts = reason.slice(SCAM_PREFIX.length).split(',');
  const signals = SCAM_KINDS.filter((k) => parts.includes(k));
  return signals.length === parts.length && signals.length > 0 ? { kind: 'scam', signals } : null;
}
