import { describe, expect, it } from 'vitest';
import { autoReportReason, parseAutoReportReason } from '../../shared/domain/reports.ts';

/** The codes the system files its own reports under, which admins then see as words (issue #12). */
describe('automatic report reasons', () => {
  it('are the stored codes, and read back', () => {
    expect(autoReportReason(['verificationCode', 'deposit'])).toBe('scam:verificationCode,deposit');
    expect(autoReportReason([])).toBe('dangerous-link');
    expect(parseAutoReportReason('scam:verificationCode,deposit')).toEqual({ kind: 'scam', signals: ['verificationCode', 'deposit'] });
    expect(parseAutoReportReason('dangerous-link')).toEqual({ kind: 'dangerousLink' });
  });

  it("leave a member's own words alone, even when they look like a code", () => {
    for (const words of ['诈骗', 'scam: he asked for money', 'scam:', 'scam:verificationCode,nonsense', '']) expect(parseAutoReportReason(words)).toBeNull();
  });
});
