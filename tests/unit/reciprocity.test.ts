import { describe, expect, it } from 'vitest';
import { canonicalEntries, commit, drawReader, drawWinners, verifyDraw, verifyRecord } from '../../shared/domain/draw.ts';
import { evolve } from '../../shared/domain/evolve.ts';
import { initialState } from '../../shared/domain/types.ts';
import { docParts } from '../../shared/ydoc.ts';
import { helpScore, isBelowFloor, openTaskAllowance, QUEUE_WEIGHTS as W } from '../../shared/domain/queue.ts';
import { emptyStats, type Member, type Task } from '../../shared/domain/types.ts';
import { DomainSim, openTaskAt } from '../helpers/domain.ts';

const NOW = Date.UTC(2026, 10, 22, 12);
const MIN = 60_000;

const member = (over: Partial<Member> = {}, stats: Partial<Member['stats']> = {}): Member => ({
  id: 'poster',
  name: 'p',
  role: 'member',
  status: 'active',
  joinedAt: 0,
  balance: 10,
  stats: { ...emptyStats(), ...stats },
  warnings: [],
  mutedUntil: null,
  resumeStatus: null,
  clearance: null,
  lastAppealAt: null,
  helpedMembers: {},
  helpsByDay: {},
  ...over,
});
const task = (over: Partial<Task> = {}): Task => openTaskAt(NOW, over);
const points = (t: Task, poster: Member, viewer = 'viewer', now = NOW) =>
  Object.fromEntries(helpScore(t, poster, viewer, now).reasons.map((r) => [r.kind, r.points]));

describe('the fair help queue', () => {
  it('ranks tasks from members who helped you higher, up to three helps', () => {
    expect(points(task(), member({ helpedMembers: { viewer: 2 } })).helpedYou).toBe(2 * W.helpedYouPerHelp);
    expect(points(task(), member({ helpedMembers: { viewer: 9 } })).helpedYou).toBe(3 * W.helpedYouPerHelp);
    expect(points(task(), member()).helpedYou).toBeUndefined();
  });

  it('ranks a task one helper short higher', () => {
    const claims = [1, 2].map((i) => ({ id: `c${i}`, memberId: `m${i}`, status: 'active' as const, claimedAt: NOW, dueAt: NOW + 30 * 60_000, extensions: 0, doneAt: null, settledAt: null }));
    expect(points(task({ claims }), member()).oneShort).toBe(W.oneShort);
    expect(points(task(), member()).oneShort).toBeUndefined();
  });

  it('ranks tasks about to expire higher, more as the deadline nears', () => {
    expect(points(task({ expiresAt: NOW + 90 * MIN }), member()).expiring).toBeUndefined();
    const half = points(task({ expiresAt: NOW + 30 * MIN }), member()).expiring!;
    const close = points(task({ expiresAt: NOW + 5 * MIN }), member()).expiring!;
    expect(half).toBeGreaterThan(0);
    expect(close).toBeGreaterThan(half);
  });

  it('ranks reliable posters higher, unknown ones in the middle', () => {
    expect(points(task(), member({}, { helped: 9, abandoned: 1 })).reliablePoster).toBe(Math.round(W.reliablePoster * 0.9));
    expect(points(task(), member()).reliablePoster).toBe(W.reliablePoster / 2);
  });

  it('raises tasks that have waited, up to a cap', () => {
    expect(points(task({ createdAt: NOW - 30 * MIN }), member()).waiting).toBe(6);
    expect(points(task({ createdAt: NOW - 600 * MIN }), member()).waiting).toBe(W.waitingMax);
  });

  it('sinks tasks from members with long unreciprocated debts', () => {
    expect(points(task(), member({}, { helpsReceived: 5, helped: 0 })).debt).toBeUndefined();
    expect(points(task(), member({}, { helpsReceived: 8, helped: 0 })).debt).toBe(3 * W.debtPerHelp);
    expect(points(task(), member({}, { helpsReceived: 80, helped: 0 })).debt).toBe(W.debtFloor);
  });

  it('says why, strongest reason first', () => {
    const { reasons } = helpScore(task(), member({ helpedMembers: { viewer: 3 } }), 'viewer', NOW);
    expect(reasons[0]).toEqual({ kind: 'helpedYou', points: 90, value: 3 });
  });
});

describe('reliability and allowance', () => {
  it('blocks posting below the floor until the member helps again', () => {
    const low = member({}, { helped: 1, abandoned: 3, lastOutcome: 'abandoned' });
    expect(isBelowFloor(low, 0.5)).toBe(true);
    expect(isBelowFloor(low, 0)).toBe(false);
    expect(isBelowFloor({ ...low, stats: { ...low.stats, lastOutcome: 'helped' } }, 0.5)).toBe(false);
    expect(isBelowFloor(member({}, { abandoned: 2 }), 0.5)).toBe(false);
  });

  it('grows the open-task allowance with helps given, up to double', () => {
    expect(openTaskAllowance(3, 0)).toBe(3);
    expect(openTaskAllowance(3, 10)).toBe(5);
    expect(openTaskAllowance(3, 100)).toBe(6);
  });

  it('the open-task limit is an allowance in decide: base, one more per 5 confirmed helps, at most double; only open tasks count', () => {
    const g = new DomainSim({ maxOpenTasksPerMember: 2, startingGrant: 100 });
    g.join('amy');
    let n = 0;
    const postByAmy = () => ({
      type: 'task.post' as const,
      payload: { kind: 'boost' as const, title: 'x', link: `https://yangkeduo.com/g?id=${++n}`, note: '', helpersNeeded: 1, expiresInMinutes: 600 },
    });
    const refusal = () => {
      const d = g.run('amy', postByAmy());
      return d.ok ? 'accepted' : { code: d.error.code, details: d.error.details };
    };
    const helpOwner = (times: number) => {
      for (let i = 0; i < times; i++) {
        const taskId = g.post('owner', 1, 600);
        const claimId = g.claim('amy', taskId);
        g.must('amy', { type: 'task.markDone', payload: { taskId } });
        g.must('owner', { type: 'task.confirm', payload: { taskId, claimId } });
      }
    };
    const first = String(g.must('amy', postByAmy()).taskId);
    g.must('amy', postByAmy());
    expect(refusal()).toEqual({ code: 'OPEN_TASK_LIMIT', details: { limit: 2 } });
    // A closed task no longer counts.
    g.must('amy', { type: 'task.cancel', payload: { taskId: first } });
    g.must('amy', postByAmy());
    expect(refusal()).toMatchObject({ code: 'OPEN_TASK_LIMIT' });
    // Four confirmed helps are not five: still 2.
    helpOwner(4);
    expect(refusal()).toEqual({ code: 'OPEN_TASK_LIMIT', details: { limit: 2 } });
    helpOwner(1);
    g.must('amy', postByAmy());
    expect(refusal()).toEqual({ code: 'OPEN_TASK_LIMIT', details: { limit: 3 } });
    helpOwner(5);
    g.must('amy', postByAmy());
    expect(refusal()).toEqual({ code: 'OPEN_TASK_LIMIT', details: { limit: 4 } });
    // Double the base is the ceiling however much one helps.
    helpOwner(10);
    expect(g.state.members.amy?.stats.helped).toBe(20);
    expect(refusal()).toEqual({ code: 'OPEN_TASK_LIMIT', details: { limit: 4 } });
  });

  it('refuses a post below the floor in the domain, and records no-shows', () => {
    const g = new DomainSim({ reliabilityFloor: 0.5, claimTimeoutMinutes: 10 });
    g.join('amy');
    g.join('bo');
    for (let i = 0; i < 3; i++) {
      g.claim('amy', g.post('bo', 1, 600));
      g.tick(10);
    }
    expect(g.state.members.amy?.stats.abandoned).toBe(3);
    expect(g.code('amy', { type: 'task.post', payload: { kind: 'boost', title: 'x', link: 'https://yangkeduo.com/z', note: '', helpersNeeded: 1, expiresInMinutes: 60 } })).toBe(
      'RELIABILITY_LOW',
    );
  });
});

describe('the verifiable draw', () => {
  const entries = canonicalEntries({ zoe: 1, amy: 5, bo: 0, cy: 2 });

  it('draws from members with helps, in member-id order, weighted by helps', () => {
    expect(entries).toEqual([
      { memberId: 'amy', weight: 5 },
      { memberId: 'cy', weight: 2 },
      { memberId: 'zoe', weight: 1 },
    ]);
    const winners = drawWinners('seed-1', entries, 2);
    expect(winners).toHaveLength(2);
    expect(new Set(winners).size).toBe(2);
    expect(drawWinners('seed-1', entries, 2)).toEqual(winners);
    expect(drawWinners('seed-1', entries, 10)).toHaveLength(3);
    // Weight matters: over many seeds, amy (5 of 8 tickets) wins the first round most.
    const firsts = Array.from({ length: 400 }, (_, i) => drawWinners(`s${i}`, entries, 1)[0]);
    expect(firsts.filter((w) => w === 'amy').length).toBeGreaterThan(200);
  });

  it('verifies an honest draw and rejects a tampered seed or list', () => {
    const seed = 'a'.repeat(64);
    const draw = { commitment: commit(seed), seed, eligible: entries, winners: drawWinners(seed, entries, 2), count: 2, recomputed: entries };
    expect(verifyDraw(draw)).toEqual({ ok: true });
    expect(verifyDraw({ ...draw, seed: 'b'.repeat(64) })).toEqual({ ok: false, problem: 'seed-does-not-match-commitment' });
    const padded = [...entries, { memberId: 'zz-friend', weight: 50 }];
    expect(verifyDraw({ ...draw, eligible: padded })).toEqual({ ok: false, problem: 'eligible-list-differs' });
    expect(verifyDraw({ ...draw, eligible: padded, recomputed: undefined })).toEqual({ ok: false, problem: 'winners-differ' });
    expect(verifyDraw({ ...draw, winners: [...draw.winners].reverse() })).toEqual({ ok: false, problem: 'winners-differ' });
  });
});

describe('a group event in the domain', () => {
  it('publishes the commitment at the start, pays the multiplier, and draws at the end', () => {
    const g = new DomainSim();
    for (const m of ['amy', 'bo', 'cy']) g.join(m);
    const { eventId } = g.must('owner', {
      type: 'event.schedule',
      payload: { title: '晚8点互助大会', startsAt: g.now + 10 * MIN, endsAt: g.now + 70 * MIN, multiplier: 3, prizeWinners: 1 },
    });
    const id = String(eventId);
    g.tick(10);
    const ev = g.state.groupEvents[id]!;
    expect(ev.status).toBe('running');
    expect(ev.commitment).toBe(commit(ev.seed!));
    const t = g.post('owner', 2, 120);
    const c = g.claim('amy', t);
    g.must('amy', { type: 'task.markDone', payload: { taskId: t } });
    g.must('owner', { type: 'task.confirm', payload: { taskId: t, claimId: c, thanks: '谢谢！' } });
    expect(g.balance('amy')).toBe(13);
    expect(ev.helps).toEqual({ amy: 1 });
    g.tick(60);
    expect(ev.status).toBe('ended');
    expect(ev.winners).toEqual(['amy']);
    expect(verifyDraw({ commitment: ev.commitment!, seed: ev.seed!, eligible: ev.eligible!, winners: ev.winners!, count: 1 })).toEqual({ ok: true });
    // After the event a help pays the plain reward again.
    const c2 = g.claim('bo', t);
    g.must('bo', { type: 'task.markDone', payload: { taskId: t } });
    g.must('owner', { type: 'task.confirm', payload: { taskId: t, claimId: c2 } });
    expect(g.balance('bo')).toBe(11);
  });

  it('refuses overlapping events and events in the past', () => {
    const g = new DomainSim();
    const at = (m: number) => g.now + m * MIN;
    g.must('owner', { type: 'event.schedule', payload: { title: 'a', startsAt: at(10), endsAt: at(60), multiplier: 1, prizeWinners: 0 } });
    expect(g.code('owner', { type: 'event.schedule', payload: { title: 'b', startsAt: at(30), endsAt: at(90), multiplier: 1, prizeWinners: 0 } })).toBe('EVENT_INVALID');
    expect(g.code('owner', { type: 'event.schedule', payload: { title: 'c', startsAt: at(-30), endsAt: at(5), multiplier: 1, prizeWinners: 0 } })).toBe('EVENT_INVALID');
  });
});

describe('[E1] clearing a draw from the projector', () => {
  /** A group with one ended event whose draw picked amy; the clock stands at the draw. */
  function drawn() {
    const g = new DomainSim();
    for (const m of ['amy', 'ad', 'mb']) g.join(m);
    g.must('owner', { type: 'member.setRole', payload: { memberId: 'ad', role: 'admin' } });
    const eventId = String(
      g.must('owner', { type: 'event.schedule', payload: { title: '大会', startsAt: g.now + 10 * MIN, endsAt: g.now + 70 * MIN, multiplier: 1, prizeWinners: 1 } }).eventId,
    );
    g.tick(10);
    const t = g.post('owner', 1, 120);
    const c = g.claim('amy', t);
    g.must('amy', { type: 'task.markDone', payload: { taskId: t } });
    g.must('owner', { type: 'task.confirm', payload: { taskId: t, claimId: c } });
    return { g, eventId };
  }

  it('records the server time of the draw, in the state and the doc', () => {
    const { g, eventId } = drawn();
    const drawTime = g.now + 60 * MIN;
    g.tick(60);
    const ev = g.state.groupEvents[eventId]!;
    expect(ev.winners).toEqual(['amy']);
    expect(ev.drawnAt).toBe(drawTime);
    expect(ev.drawClearedAt).toBeNull();
    expect(docParts(g.doc).events.get(eventId)).toMatchObject({ drawnAt: drawTime, drawClearedAt: null });
  });

  it('lets the owner or an admin clear it once drawn, and records when', () => {
    for (const who of ['owner', 'ad']) {
      const { g, eventId } = drawn();
      g.tick(60);
      g.now += 5 * MIN;
      const events = g.run(who, { type: 'event.clearDraw', payload: { eventId } });
      expect(events.ok && events.events).toEqual([{ type: 'event.drawCleared', eventId }]);
      expect(g.state.groupEvents[eventId]!.drawClearedAt).toBe(g.now);
      expect(docParts(g.doc).events.get(eventId)?.drawClearedAt).toBe(g.now);
      // A second clear (another admin's phone) changes nothing.
      const again = g.run('owner', { type: 'event.clearDraw', payload: { eventId } });
      expect(again.ok && again.events).toEqual([]);
    }
  });

  it('refuses a member, an event not drawn yet and an unknown event, and changes nothing', () => {
    const { g, eventId } = drawn();
    const before = structuredClone(g.state);
    expect(g.code('owner', { type: 'event.clearDraw', payload: { eventId } })).toBe('DRAW_NOT_DRAWN');
    expect(g.code('owner', { type: 'event.clearDraw', payload: { eventId: 'nope' } })).toBe('EVENT_NOT_FOUND');
    g.tick(60);
    const after = structuredClone(g.state);
    expect(g.code('mb', { type: 'event.clearDraw', payload: { eventId } })).toBe('FORBIDDEN');
    expect(g.code('amy', { type: 'event.clearDraw', payload: { eventId } })).toBe('FORBIDDEN');
    expect(g.state).toEqual(after);
    expect(before.groupEvents[eventId]!.winners).toBeNull();
  });

  it('refuses an event that ended without a draw (no prize)', () => {
    const g = new DomainSim();
    const eventId = String(
      g.must('owner', { type: 'event.schedule', payload: { title: '无奖', startsAt: g.now + MIN, endsAt: g.now + 2 * MIN, multiplier: 1, prizeWinners: 0 } }).eventId,
    );
    g.tick(1);
    g.tick(2);
    expect(g.state.groupEvents[eventId]!.status).toBe('ended');
    expect(g.code('owner', { type: 'event.clearDraw', payload: { eventId } })).toBe('DRAW_NOT_DRAWN');
  });

  it('a draw is dated by its envelope, so every log replays to the same drawnAt', () => {
    const s = initialState('g1');
    const env = (seq: number, at: number, event: Parameters<typeof evolve>[1]['event']) => ({ seq, at, actor: 'system', commandId: `c${seq}`, event });
    evolve(s, env(1, 1000, { type: 'group.created', name: 'g', rules: '', settings: g0().state.settings, ownerId: 'o', ownerName: 'o', grant: 10 }));
    evolve(s, env(2, 2000, { type: 'event.scheduled', eventId: 'e1', title: 't', startsAt: 3000, endsAt: 4000, multiplier: 1, prizeWinners: 1 }));
    evolve(s, env(3, 3000, { type: 'event.started', eventId: 'e1', commitment: commit('s'), seed: 's' }));
    evolve(s, env(4, 4000, { type: 'event.ended', eventId: 'e1' }));
    evolve(s, env(5, 4001, { type: 'event.drawn', eventId: 'e1', seed: 's', eligible: [], winners: [] }));
    expect(s.groupEvents.e1).toMatchObject({ drawnAt: 4001, drawClearedAt: null });
  });

  it('reads the draw record from the log, and the record verifies', () => {
    const h = new DomainSim();
    for (const m of ['amy', 'bo']) h.join(m);
    const id = String(h.must('owner', { type: 'event.schedule', payload: { title: '大会', startsAt: h.now + MIN, endsAt: h.now + 61 * MIN, multiplier: 1, prizeWinners: 1 } }).eventId);
    h.tick(1);
    for (const who of ['amy', 'bo', 'bo']) {
      const t = h.post('owner', 1, 120);
      const c = h.claim(who, t);
      h.must(who, { type: 'task.markDone', payload: { taskId: t } });
      h.must('owner', { type: 'task.confirm', payload: { taskId: t, claimId: c } });
    }
    h.tick(60);
    const reader = drawReader(id);
    // Read in two pages, as the endpoint and the script page through the store.
    reader.read(h.log.slice(0, 10));
    reader.read(h.log.slice(10));
    const record = reader.result()!;
    expect(record.title).toBe('大会');
    expect(record.count).toBe(1);
    expect(record.helps.map((x) => x.helperId)).toEqual(['amy', 'bo', 'bo']);
    expect(record.eligible).toEqual([
      { memberId: 'amy', weight: 1 },
      { memberId: 'bo', weight: 2 },
    ]);
    expect(record.winners).toEqual(h.state.groupEvents[id]!.winners);
    expect(record.drawnAt).toBe(h.now);
    expect(verifyRecord(record)).toEqual({ ok: true });
    // A help missing from the log's list makes the eligible list differ; a swapped seed breaks the commitment.
    expect(verifyRecord({ ...record, helps: record.helps.slice(1) })).toEqual({ ok: false, problem: 'eligible-list-differs' });
    expect(verifyRecord({ ...record, seed: 'x' })).toEqual({ ok: false, problem: 'seed-does-not-match-commitment' });
    expect(drawReader('other').result()).toBeNull();
  });
});

const g0 = () => new DomainSim();
