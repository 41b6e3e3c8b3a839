/** The safety library: pure checks the server applies and the client previews. */
export {
  inspectLink,
  linkVerdict,
  extractLinks,
  REASON_VERDICT,
  URL_SHORTENERS,
  MIN_BRAND_LENGTH,
  type LinkInspection,
  type Verdict,
  type VerdictReason,
} from './verdict.ts';
export { findLinks, BARE_LINK_TLDS, type LinkSpan } from './links.ts';
export { redact, PII_PLACEHOLDERS, type PiiKind, type Redaction } from './redact.ts';
export { scamSignals, SCAM_KINDS, SCAM_PATTERNS, type ScamKind, type ScamPattern } from './scam.ts';
