import { describe, expect, it } from 'vitest';
import { PUSH_WORDS, pushWord } from '../../client/src/lib/push-words.ts';
import { PUSH_KINDS } from '../../shared/protocol/push.ts';

/** The notifications' words (client/src/lib/push-words.ts): both languages, a switch for every kind on the wire. */
describe('push words', () => {
  it('every kind the server may push has a switch on the account page, in both languages', () => {
    for (const kind of PUSH_KINDS) {
      const key = `pushKind_${kind}`;
      expect(key in PUSH_WORDS, key).toBe(true);
    }
  });

  it('every word is written in zh-CN and in English', () => {
    for (const key of Object.keys(PUSH_WORDS) as (keyof typeof PUSH_WORDS)[]) {
      expect(pushWord('zh-CN', key), key).toMatch(/[\u4e00-\u9fff]/);
      expect(pushWord('en', key), key).toMatch(/[A-Za-z]/);
    }
  });
});
