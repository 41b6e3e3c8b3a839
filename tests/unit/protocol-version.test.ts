import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { clientCommandSchema } from '../../shared/protocol/commands.ts';
import { ERRORS } from '../../shared/protocol/errors.ts';
import { createGroupBody, deviceLinkBody, drawProofResponse, joinBody, recoverBody, screenResponse } from '../../shared/protocol/http.ts';
import { PROTOCOL_VERSION } from '../../shared/protocol/version.ts';

/**
 * The wire is versioned (STYLE.md): a change to any schema or error code changes this hash, and
 * the test then asks for a PROTOCOL_VERSION bump with a line in version.ts saying why.
 */
const SCHEMA_HASHES: Record<number, string> = {
  1: '4261b4d125ff39c2',
  2: 'ae70fd9df40460e5',
  3: 'ae70fd9df40460e5',
  4: 'f6d4982a050d2ca2',
};

function wireHash() {
  const shape = {
    commands: z.toJSONSchema(clientCommandSchema, { io: 'input', unrepresentable: 'any' }),
    http: [createGroupBody, joinBody, recoverBody, deviceLinkBody, drawProofResponse, screenResponse].map((s) => z.toJSONSchema(s, { io: 'input', unrepresentable: 'any' })),
    errors: Object.keys(ERRORS).sort(),
  };
  return createHash('sha256').update(JSON.stringify(shape)).digest('hex').slice(0, 16);
}

describe('protocol version', () => {
  it('matches the schemas it was bumped for', () => {
    expect(
      wireHash(),
      `The wire schemas changed: bump PROTOCOL_VERSION in shared/protocol/version.ts (say why there) and record the new hash here.`,
    ).toBe(SCHEMA_HASHES[PROTOCOL_VERSION]);
  });

  it('every error code has a zh-CN and an English message', () => {
    for (const [code, m] of Object.entries(ERRORS)) {
      expect(m['zh-CN'], code).toMatch(/[\u4e00-\u9fff]/);
      expect(m.en, code).toMatch(/^[A-Z]/);
    }
  });
});
