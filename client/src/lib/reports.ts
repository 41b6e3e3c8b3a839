import { parseAutoReportReason } from '../../../shared/domain/reports.ts';
import type { MessageKey, Params } from './i18n.ts';

/**
 * A report's reason as words: the system's own codes (`scam:verificationCode,deposit`,
 * `dangerous-link`) in the reader's language, a member's free text as they wrote it.
 */
export function reportReasonText(reason: string, t: (key: MessageKey, params?: Params) => string): string {
  const auto = parseAutoReportReason(reason);
  if (!auto) return reason;
  if (auto.kind === 'dangerousLink') return t('reportDangerousLink');
  return t('reportScam', { what: auto.signals.map((s) => t(`scam_${s}`)).join(t('listSeparator')) });
}
