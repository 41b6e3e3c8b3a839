import { z } from 'zod/mini';
import type { ErrorCode } from './errors.ts';

/**
 * One of the codes of ERRORS in errors.ts (tests/unit/protocol-version.test.ts hashes their list;
 * errors.ts stays free of zod, the board reads it at runtime). A reader takes any string here: a code
 * newer than the app still comes with its message in the reader's language, and the browser need not
 * carry the table to check it.
 */
const errorCodeSchema = z.custom<ErrorCode>((code) => typeof code === 'string');

/** A refusal as sent: in an ack, a handshake's connect_error and every HTTP error body. */
export const wireErrorSchema = z.object({
  code: errorCodeSchema,
  message: z.string(),
  /** Optional machine-readable detail, e.g. the zod issue path or the id of an existing card. */
  details: z.optional(z.record(z.string(), z.unknown())),
});
export type WireError = z.infer<typeof wireErrorSchema>;
