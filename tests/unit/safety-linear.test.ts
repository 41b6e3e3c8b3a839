import { describe, expect, it } from 'vitest';
import { fold } from '../../shared/safety/fold.ts';
import { findLinks, inspectLink, redact, SCAM_PATTERNS, scamSignals } from '../../shared/safety/index.ts';
import { findContactIds, findEmails } from '../../shared/safety/pii-contacts.ts';
import { findNumbers } from '../../shared/safety/pii-numbers.ts';

/**
 * Every safety check does work linear in its input, so no message (up to 16 KB on Socket.IO) can
 * stall the server: each is fed 16 KB of text built to make a backtracking pattern retry from every
 * position, and the time for one 16 KB input is compared with the time for sixteen 1 KB inputs,
 * the same number of characters. Linear work gives a ratio near 1, quadratic near 16.
 *
 * V8 has no step counter for its regular expressions, so this is timed, made steady for a busy
 * machine: warm-up first, enough repetitions for each sample to last milliseconds, and the fastest
 * of several samples (load only ever adds time). A cheap screen comes first; only inputs that look
 * slow get the full measurement. The old e-mail pattern, known quadratic, shows the test would see it.
 */
const SMALL = 1024;
const LARGE = 16 * 1024;
const MAX_RATIO = 4;
const SCREEN_RATIO = 2;

type Run = (text: string) => unknown;
/** A unit repeated to the size, or [lead, unit, tail]: the unit repeated between a start and an end. */
type Hostile = string | readonly [string, string, string];

function build(input: Hostile, size: number): string {
  const [lead, unit, tail] = typeof input === 'string' ? ['', input, ''] : input;
  const body = size - lead.length - tail.length;
  return lead + unit.repeat(Math.ceil(body / unit.length)).slice(0, body) + tail;
}

function timeOf(run: Run, text: string, reps: number): number {
  const start = performance.now();
  for (let r = 0; r < reps; r++) run(text);
  return performance.now() - start;
}

/** Time for one large input over time for as many characters in small inputs; fastest of `samples`. */
function ratio(run: Run, unit: Hostile, samples: number, minMs: number): number {
  const small = build(unit, SMALL);
  const large = build(unit, LARGE);
  run(small);
  const reps = Math.ceil(minMs / Math.max(timeOf(run, large, 1), 0.001));
  let bestLarge = Infinity;
  let bestSmall = Infinity;
  for (let s = 0; s < samples; s++) {
    bestLarge = Math.min(bestLarge, timeOf(run, large, reps));
    bestSmall = Math.min(bestSmall, timeOf(run, small, reps * (LARGE / SMALL)));
  }
  return bestLarge / bestSmall;
}

function worstRatio(run: Run, units: readonly Hostile[]): { unit: Hostile; ratio: number } {
  let worst: { unit: Hostile; ratio: number } = { unit: '', ratio: 0 };
  for (const unit of units) {
    let r = ratio(run, unit, 2, 0.25);
    if (r > SCREEN_RATIO) r = ratio(run, unit, 7, 3);
    if (r > worst.ratio) worst = { unit, ratio: r };
  }
  return worst;
}

/**
 * Repeated units that start a match and never finish it, for every pattern in shared/safety:
 * digits and separators (numbers), local parts and domains without an end (e-mail), keywords
 * without ids (WeChat, QQ), hosts and brackets (links), asks and negations without end (scams).
 */
const UNITS: readonly Hostile[] = [
  'a', '1', ' ', '.', '-', '_', '1 ', '1-', '1.', '1x', '12 ', '123 ', '1234-', '0086 ', '+86', '１',
  'a.', 'a-', 'a@', '@a', 'a.a@', 'x@a.', '#a.', 'a#', '(at)a', ' at a dot ', 'a点', '艾特a',
  '微信 ', '微信：a', 'vx', 'qq', 'qq 1 ', 'wxid_', '加', 'v:', '订单号 1', '卡号 6',
  'http://', 'https://a.', 'www.a', 'ab.', 'a:', 'a.a:', '..', ')', '(', ').', '...a', 'a)', '[', 'a/',
  '验证码', '发我', '不要', '不要转账', '转账', '押金', '进群', '微信付款', 'send ', 'pay ', 'not ', 'code ',
  // A link whose end is all punctuation or brackets; hosts whose end is never found.
  ['http://a/', '.', 'a'], ['http://a/', ')', ''], ['http://a/', ').', ''], ['http://a/', '(', ')'],
  ['', 'a.', '@'], ['', 'a.', ' '], ['', 'a.', ':x'], ['', 'a-', '.'],
  // A long clause, then the ask after a break.
  ['', 'a', '，把验证码发我'], ['', '不要', '。转账'],
];

/** The old e-mail pattern: [A-Za-z0-9._%+-]+ retries from every letter of a run with no "@". */
const OLD_EMAIL = /[A-Za-z0-9._%+-]+@[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)*\.[A-Za-z]{2,}/g;

const allowed = ['pinduoduo.com', 'yangkeduo.com'];
const checks: [string, Run, Hostile[]][] = [
  ...SCAM_PATTERNS.map((p, i): [string, Run, Hostile[]] => {
    const global = new RegExp(p.pattern.source, `${p.pattern.flags}g`);
    // Its own example, whole and cut short, is the input most likely to make it backtrack.
    const own = [p.example, p.example.slice(0, Math.ceil(p.example.length / 2)), p.example.slice(0, -1)];
    return [`scam pattern ${i} (${p.kind}: ${p.example})`, (text) => [...text.matchAll(global)], own];
  }),
  ['scamSignals (negation and clause lookup)', scamSignals, SCAM_PATTERNS.map((p) => `不要${p.example}`)],
  ['findLinks (links in text, trailing punctuation and brackets)', findLinks, []],
  ['inspectLink (bare hosts, lookalikes)', (text) => inspectLink(text, allowed), ['pinduoduo.', 'p1nduoduo-']],
  ['fold', fold, []],
  ['findEmails', (text) => findEmails(fold(text).text), []],
  ['findNumbers', (text) => findNumbers(fold(text).text, () => true), ['13812345678 ', '1 3 8 ', '6222 0212 ']],
  ['findContactIds', (text) => findContactIds(fold(text).text), ['微信号：zhangsan ', 'QQ：12345 ']],
  ['redact', redact, []],
];

describe('safety checks are linear on 16 KB of hostile text', () => {
  it('the measure sees a quadratic pattern', () => {
    expect(worstRatio((text) => [...text.matchAll(OLD_EMAIL)], ['a']).ratio).toBeGreaterThan(2 * MAX_RATIO);
  });

  it.each(checks)('%s', (_name, run, own) => {
    const worst = worstRatio(run, [...UNITS, ...own]);
    expect(worst.ratio, `slowest on ${JSON.stringify(worst.unit)}`).toBeLessThanOrEqual(MAX_RATIO);
  });
});
