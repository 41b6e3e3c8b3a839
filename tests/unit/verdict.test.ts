import { describe, expect, it } from 'vitest';
import { linkVerdict } from '../../shared/safety/verdict.ts';

const allowed = ['pinduoduo.com', 'yangkeduo.com'];

describe('link verdicts', () => {
  it.each([
    ['https://mobile.yangkeduo.com/goods.html?goods_id=1', 'official'],
    ['https://pinduoduo.com/', 'official'],
    ['https://mobile.pinduoduo.com./x', 'official'],
    ['https://t.cn/A6abc', 'unverifiable'],
    ['https://yangkeduo.com.evil.cn/x', 'unverifiable'],
    ['https://notyangkeduo.com/x', 'unverifiable'],
    ['http://192.168.1.5/pay', 'dangerous'],
    ['https://user:pw@mobile.yangkeduo.com/', 'dangerous'],
    ['https://xn--yangkedu-4ya.com/', 'dangerous'],
    ['javascript:alert(1)', 'dangerous'],
    ['not a url', 'dangerous'],
  ])('%s is %s', (link, verdict) => {
    expect(linkVerdict(link, allowed)).toBe(verdict);
  });
});
