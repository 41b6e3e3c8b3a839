import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { isMessageKey, translate, type MessageKey } from '../../client/src/lib/i18n.ts';
import { NOTIFICATION_WORDS } from '../../client/src/lib/notifications.ts';
import { AUDIT_TYPES } from '../../shared/protocol/audit.ts';
import {
  chatKindSchema,
  eventStatusSchema,
  ledgerReasonSchema,
  piiKindSchema,
  roleSchema,
  scamKindSchema,
  taskKindSchema,
  verdictSchema,
} from '../../shared/protocol/enums.ts';
import { notificationSchema } from '../../shared/protocol/notify.ts';
import { standingMissSchema } from '../../shared/protocol/responses.ts';

/**
 * Every value of a wire enum that reaches the screen has words in both languages. The values come
 * from the zod schemas themselves, so a value added to the wire (a ledger reason, say: `bonus` once
 * showed as "reason_bonus") fails here until the client can say it.
 */
const SHOWN_AS: Record<string, readonly string[]> = {
  role: roleSchema.options,
  reason: ledgerReasonSchema.options,
  event: eventStatusSchema.options,
  msg: chatKindSchema.options,
  kind: taskKindSchema.options,
  verdict: verdictSchema.options,
  scam: scamKindSchema.options,
  pii: piiKindSchema.options,
  audit: AUDIT_TYPES,
  miss: standingMissSchema.shape.outcome.options,
};

/**
 * Prefixes the client shows that are its own states, not the wire's: the link's state (link_), the
 * board's columns and tabs (col_, tab_), the leaderboard's periods (board_) and the help queue's
 * reasons (reason_helpedYou…, beside the ledger's). svelte-check holds each of those values to a key.
 */
const CLIENT_STATES = new Set(['link', 'tab', 'col', 'board', 'reason']);

const notificationKinds = notificationSchema.def.options.flatMap((o) => o.shape.kind.def.values);

function expectWords(key: string) {
  expect(isMessageKey(key), `client/src/lib/i18n.ts has no ${key}`).toBe(true);
  const k = key as MessageKey;
  expect(translate('zh-CN', k), `${key} in zh-CN`).toMatch(/[\u4e00-\u9fff]/);
  expect(translate('en', k), `${key} in en`).toMatch(/[A-Za-z]/);
}

/** Every `t(\`prefix_${…}\`)` in the client. */
function prefixesShown(): Set<string> {
  const dir = join(import.meta.dirname, '../../client/src');
  const files = readdirSync(dir, { recursive: true, encoding: 'utf8' }).filter((f) => /\.(ts|svelte)$/.test(f));
  const found = new Set<string>();
  for (const f of files) for (const m of readFileSync(join(dir, f), 'utf8').matchAll(/\bt\(`([A-Za-z]+)_\$\{/g)) found.add(m[1] as string);
  return found;
}

describe('words for every enum on screen', () => {
  for (const [prefix, values] of Object.entries(SHOWN_AS)) {
    it(`${prefix}_: ${values.join(', ')}`, () => {
      for (const v of values) expectWords(`${prefix}_${v}`);
    });
  }

  it('every notification kind has its words', () => {
    expect(new Set(Object.keys(NOTIFICATION_WORDS))).toEqual(new Set(notificationKinds));
    for (const kind of notificationKinds) expectWords(NOTIFICATION_WORDS[kind]);
  });

  it("reports the system files, and refusals the server never sent, read in both languages", () => {
    // A report's reason is a member's words or the system's code (shared/domain/reports.ts): scam_ above, and these.
    for (const key of ['reportScam', 'reportDangerousLink', 'networkError', 'badResponse']) expectWords(key);
  });

  it('covers every t(`prefix_${…}`) in client/src', () => {
    const shown = prefixesShown();
    expect(shown.size).toBeGreaterThan(5);
    for (const prefix of shown) expect(prefix in SHOWN_AS || CLIENT_STATES.has(prefix), `t(\`${prefix}_\${…}\`) in client/src: add its enum here`).toBe(true);
  });

  it('a value a newer server sends that this app has no words for shows nothing, and breaks nothing', () => {
    for (const lang of ['zh-CN', 'en'] as const) expect(translate(lang, 'reason_fromTheFuture' as MessageKey)).toBe('');
  });
});
