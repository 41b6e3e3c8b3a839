import { z } from 'zod/mini';
import type { Verdict, VerdictReason } from '../safety/verdict.ts';

/**
 * POST /api/groups/:groupId/link-verdict: the post form's preview of a link's verdict, decided by the
 * server with the group's allowed domains (shared/safety/verdict.ts `inspectLink`, as `task.post`
 * decides it), so the phone never downloads the public-suffix list and the confusables table.
 *
 * Written with zod/mini: the board parses the answer at runtime, and mini costs it a few KB where
 * classic zod costs ~25 KB.
 */
export const linkVerdictBody = z.strictObject({
  // Whatever is in the field while the member types: the verdict of half a link is `malformed`.
  link: z.string().check(z.trim(), z.minLength(1), z.maxLength(2048)),
});

const verdictSchema = z.enum(['official', 'unverifiable', 'dangerous']);
const verdictReasonSchema = z.enum([
  'allowed',
  'shortener',
  'unknown',
  'lookalike',
  'confusable',
  'punycode',
  'brandInSubdomain',
  'ipHost',
  'scheme',
  'credentials',
  'malformed',
]);

export const linkVerdictResponse = z.strictObject({
  verdict: verdictSchema,
  reason: verdictReasonSchema,
  /** The host as the browser would resolve it (ASCII, lower case); null when there is none. */
  host: z.nullable(z.string()),
});

export type LinkVerdictBody = z.input<typeof linkVerdictBody>;
export type LinkVerdictResponse = z.infer<typeof linkVerdictResponse>;

// The wire's words are the safety library's: a reason added there fails to compile here.
type Same<A, B> = [A] extends [B] ? ([B] extends [A] ? true : false) : false;
type Assert<T extends true> = T;
export type LinkVerdictAgrees = [Assert<Same<z.infer<typeof verdictSchema>, Verdict>>, Assert<Same<z.infer<typeof verdictReasonSchema>, VerdictReason>>];
