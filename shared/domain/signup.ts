/**
 * 报名 in chat: a message that is only a sign-up word and a task's short number ("报名 #12", "+1 #12",
 * "我来 12号", "#12 count me in") claims that task for its author, with the claim's own rules
 * (decide.ts). Anything more in the message (a question, a thank-you) makes it plain chat, so
 * nobody claims by accident while talking about a task. Read on the NFKC-folded text: full-width
 * ＋１, ＃１２ and 　 read as +1, #12 and a space.
 */

/** The sign-up words, both languages, lower case; surrounding punctuation and emphasis are allowed. */
export const SIGNUP_WORDS: readonly string[] = [
  '报名',
  '报名了',
  '我报名',
  '+1',
  '我来',
  '我来了',
  '我来帮',
  '我来帮忙',
  '算我一个',
  '加我一个',
  '我接',
  '我认领',
  '认领',
  'me',
  'me too',
  "i'm in",
  'im in',
  'count me in',
  "i'll help",
  'ill help',
  'i can help',
];

/** The largest short number a message may name: more digits than that is not a task number. */
const MAX_NO_DIGITS = 7;
const NUMBER = `(?:#\\s*(\\d{1,${MAX_NO_DIGITS}})\\s*号?|(\\d{1,${MAX_NO_DIGITS}})\\s*号)`;
const WORD = `(${SIGNUP_WORDS.map((w) => w.replace(/[+.?*()|\\^$]/g, (c) => `\\${c}`)).join('|')})`;
/** Punctuation around the words ("报名！", "+1~"); an emoji or any other word makes the message chat. */
const GAP = `[\\s,，.。!！~～:：、]*`;
const SIGNUP_RE = new RegExp(`^${GAP}(?:${WORD}${GAP}${NUMBER}|${NUMBER}${GAP}${WORD})${GAP}$`, 'iu');

/**
 * A sign-up is a few words: anything longer is chat without reading it. This also bounds the pattern's
 * work (its runs of spaces and punctuation can be split several ways: 9 ms on 1,000 spaces, 0.02 ms here).
 */
export const SIGNUP_MAX_LENGTH = 40;

/** The task number a 报名 message names, or null when the message is anything else. */
export function signupTaskNo(text: string): number | null {
  if (text.length > SIGNUP_MAX_LENGTH) return null;
  const m = SIGNUP_RE.exec(text.normalize('NFKC').replaceAll('’', "'"));
  if (!m) return null;
  const no = Number(m[2] ?? m[3] ?? m[4] ?? m[5]);
  return no >= 1 ? no : null;
}
