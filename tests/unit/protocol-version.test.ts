import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import * as ack from '../../shared/protocol/ack.ts';
import { clientCommandSchema } from '../../shared/protocol/commands.ts';
import { ERRORS } from '../../shared/protocol/errors.ts';
import * as http from '../../shared/protocol/http.ts';
import * as linkVerdict from '../../shared/protocol/link-verdict.ts';
import * as notify from '../../shared/protocol/notify.ts';
import * as push from '../../shared/protocol/push.ts';
import * as presence from '../../shared/protocol/presence.ts';
import * as responses from '../../shared/protocol/responses.ts';
import { YJS_CLOSE } from '../../shared/protocol/socket.ts';
import { PROTOCOL_VERSION } from '../../shared/protocol/version.ts';
import * as webhook from '../../shared/protocol/webhook.ts';
import * as wireError from '../../shared/protocol/wire-error.ts';
import * as ydoc from '../../shared/protocol/ydoc.ts';

/**
 * The wire is versioned (STYLE.md): a change to any schema or error code changes this hash, and
 * the test then asks for a PROTOCOL_VERSION bump with a line in version.ts saying why.
 * Up to 4 the hash covered commands, request bodies, the draw proof and the screen info; from 5 it
 * covers the whole wire: every schema each channel's file exports (acks and notifications, HTTP
 * requests and responses, presence, the Yjs layout), the error codes and the Yjs close codes.
 */
const SCHEMA_HASHES: Record<number, string> = {
  1: '4261b4d125ff39c2',
  2: 'ae70fd9df40460e5',
  3: 'ae70fd9df40460e5',
  4: 'f6d4982a050d2ca2',
  5: '6a75d59f35b4b475',
  6: 'b67f27a78eb01406',
  7: 'aa2a7d54bed07046',
  8: '19ff518eff733c02',
  9: '19ff518eff733c02',
};

const json = (s: z.core.$ZodType) => z.toJSONSchema(s, { io: 'input', unrepresentable: 'any' });

/** Every zod schema a module exports, by name: a schema added to a channel's file is hashed at once. */
function schemasOf(module: Record<string, unknown>) {
  return Object.fromEntries(
    Object.entries(module)
      .filter((entry): entry is [string, z.core.$ZodType] => entry[1] instanceof z.core.$ZodType)
      .sort(([a], [b]) => a.localeCompare(b))
      .map(([name, schema]) => [name, json(schema)]),
  );
}

function wireHash() {
  const shape = {
    commands: json(clientCommandSchema),
    http: { requests: schemasOf(http), responses: schemasOf(responses), linkVerdict: schemasOf(linkVerdict), webhook: schemasOf(webhook), push: schemasOf(push) },
    socket: { acks: schemasOf(ack), notify: schemasOf(notify), errors: schemasOf(wireError) },
    presence: schemasOf(presence),
    ydoc: schemasOf(ydoc),
    errors: Object.keys(ERRORS).sort(),
    yjsCloseCodes: YJS_CLOSE,
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

  it('hashes every channel: acks, notifications, each HTTP response, presence and the Yjs layout', () => {
    const hashed = [ack, notify, wireError, responses, presence, ydoc].flatMap((m) => Object.keys(schemasOf(m)));
    for (const name of ['ackSchema', 'notifySchema', 'wireErrorSchema', 'errorResponse', 'meResponse', 'auditPageResponse', 'drawProofResponse', 'presenceStateSchema', 'docSchema']) {
      expect(hashed, name).toContain(name);
    }
  });

  it('every error code has a zh-CN and an English message', () => {
    for (const [code, m] of Object.entries(ERRORS)) {
      expect(m['zh-CN'], code).toMatch(/[\u4e00-\u9fff]/);
      expect(m.en, code).toMatch(/^[A-Z]/);
    }
  });
});
