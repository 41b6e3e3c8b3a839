import { describe, expect, it } from 'vitest';
import { evolve } from '../../shared/domain/evolve.ts';
import { signupTaskNo } from '../../shared/domain/signup.ts';
import { initialState } from '../../shared/domain/types.ts';
import { chatOf, docParts } from '../../shared/ydoc.ts';
import { DomainSim } from '../helpers/domain.ts';

const say = (text: string, extra: Record<string, unknown> = {}) => ({ type: 'chat.send', payload: { text, kind: 'chat', ...extra } }) as const;

describe('signupTaskNo: a message that is only 报名 and a task number', () => {
  it.each([
    ['报名 #12', 12],
    ['#12 报名', 12],
    ['报名#12', 12],
    ['报名了 #3', 3],
    ['+1 #7', 7],
    ['#7 +1', 7],
    ['＋１　＃７', 7],
    ['＃１２报名！', 12],
    ['我来 12号', 12],
    ['12号 我来', 12],
    ['我来帮 #5', 5],
    ['算我一个 #5~', 5],
    ['  报名，#8。 ', 8],
    ['#9 count me in', 9],
    ["I'm in #9", 9],
    ['I’m in #9', 9],
    ['ME #4', 4],
    ['#4号 报名', 4],
  ])('%s → %s', (text, no) => expect(signupTaskNo(text)).toBe(no));

  it('reads no further than a few words: a long message is chat, quickly', () => {
    expect(signupTaskNo(`报名 #1${' '.repeat(40)}`)).toBeNull();
    expect(signupTaskNo(`报名 #1${' '.repeat(30)}`)).toBe(1);
  });

  it.each(['报名', '+1', '我来', '#12', '12号', '报名 12', '报名 #12 谢谢', '我来看看 #12', '#12 报名了吗？', '报名 #0', '报名 #12 #13', '报名 👋 #12', '+1 #12345678', '我们来 #2'])(
    '%s is chat',
    (text) => expect(signupTaskNo(text)).toBeNull(),
  );
});

describe('[S1] 报名 in chat claims the task by its number', () => {
  function group() {
    const g = new DomainSim();
    g.join('amy');
    g.join('bo');
    g.join('cy');
    return g;
  }

  it('numbers tasks 1, 2, 3 in posting order, on the card in the doc, and a replay gives the same numbers', () => {
    const g = group();
    const ids = [g.post('amy'), g.post('bo'), g.post('amy')];
    expect(ids.map((id) => g.state.tasks[id]!.no)).toEqual([1, 2, 3]);
    expect(ids.map((id) => docParts(g.doc).tasks.get(id)?.no)).toEqual([1, 2, 3]);
    g.must('amy', { type: 'task.cancel', payload: { taskId: ids[0]! } });
    expect(g.state.tasks[g.post('cy')]!.no).toBe(4);
    const replayed = g.log.reduce((s, env) => evolve(s, env), initialState(g.state.id));
    expect(replayed).toEqual(g.state);
  });

  it('claims for the sender and shows the message as the sign-up, one message', () => {
    const g = group();
    const taskId = g.post('amy');
    const chatBefore = g.state.chat.length;
    const d = g.run('bo', say('报名 #1'));
    if (!d.ok) throw new Error(d.error.code);
    expect(d.events.map((e) => e.type)).toEqual(['task.claimed', 'chat.sent']);
    expect(d.result).toMatchObject({ taskId, claimId: expect.any(String), messageId: expect.any(String), dueAt: expect.any(Number) });
    expect(g.state.tasks[taskId]!.claims.map((c) => [c.memberId, c.status])).toEqual([['bo', 'active']]);
    expect(g.state.chat.length).toBe(chatBefore + 1);
    expect(g.state.chat.at(-1)).toMatchObject({ authorId: 'bo', text: '报名 #1', signup: { taskId, no: 1 } });
    expect(chatOf(g.doc).at(-1)?.signup).toEqual({ taskId, no: 1 });
  });

  it('gives the errors tapping 我来帮 gives, and a refused 报名 sends nothing', () => {
    const g = group();
    const taskId = g.post('amy', 1);
    const version = () => g.state.version;
    let v = version();
    expect(g.code('amy', say('报名 #1'))).toBe('OWN_TASK');
    expect(g.code('bo', say('报名 #99'))).toBe('TASK_NOT_FOUND');
    expect(version()).toBe(v);
    g.must('bo', say('+1 #1'));
    expect(g.code('bo', say('我来 1号'))).toBe('ALREADY_CLAIMED');
    expect(g.code('cy', say('#1 报名'))).toBe('TASK_FULL');
    // The same refusals by tap: one decision.
    expect(g.code('cy', { type: 'task.claim', payload: { taskId } })).toBe('TASK_FULL');
    v = version();
    g.must('amy', { type: 'task.cancel', payload: { taskId } });
    expect(g.code('cy', say('报名 #1'))).toBe('TASK_CLOSED');
    expect(g.state.chat.filter((m) => m.signup).length).toBe(1);
    expect(version()).toBe(v + 2);
  });

  it('keeps the claim limit', () => {
    const g = group();
    const nos = [g.post('amy'), g.post('amy'), g.post('amy'), g.post('cy')].map((id) => g.state.tasks[id]!.no);
    for (const no of nos.slice(0, 3)) g.must('bo', say(`报名 #${no}`));
    expect(g.code('bo', say(`报名 #${nos[3]}`))).toBe('CLAIM_LIMIT');
  });

  it('a muted member cannot sign up, as they cannot claim', () => {
    const g = group();
    g.post('amy');
    g.must('owner', { type: 'member.mute', payload: { memberId: 'bo', minutes: 60, reason: '' } });
    expect(g.code('bo', say('报名 #1'))).toBe('MEMBER_INACTIVE');
  });

  it('a tip, a deal alert or a message with a link is never a sign-up', () => {
    const g = group();
    const taskId = g.post('amy');
    g.must('bo', say('报名 #1', { kind: 'tip' }));
    g.must('owner', say('报名 #1', { link: 'https://mobile.yangkeduo.com/x' }));
    g.must('bo', say('报名 #1 好的'));
    g.must('cy', say('报名 #1 谢谢'));
    expect(g.state.tasks[taskId]!.claims).toEqual([]);
    expect(g.state.chat.every((m) => m.signup === null)).toBe(true);
  });
});
