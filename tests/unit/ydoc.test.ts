import * as Y from 'yjs';
import { describe, expect, it } from 'vitest';
import type { DomainEvent } from '../../shared/domain/events.ts';
import { CLOSED_TASKS_KEPT } from '../../shared/domain/types.ts';
import { exhaustive } from '../../shared/exhaustive.ts';
import { docContent, docParts, projectAll, tasksOf } from '../../shared/ydoc.ts';
import { DomainSim } from '../helpers/domain.ts';

/** The JSON objects an update writes into the doc's maps and arrays. */
function valuesIn(update: Uint8Array): Array<Record<string, unknown>> {
  return Y.decodeUpdate(update).structs.flatMap((s) => {
    const content = (s as { content?: { arr?: unknown[] } }).content;
    return (content?.arr ?? []).filter((v): v is Record<string, unknown> => typeof v === 'object' && v !== null);
  });
}

describe('the Yjs projection', () => {
  it('[Y1] drops the oldest closed task from the doc when more than CLOSED_TASKS_KEPT are closed', () => {
    const g = new DomainSim({ startingGrant: 1000, maxOpenTasksPerMember: 50 });
    g.join('amy');
    const first = g.post('amy', 1);
    g.must('amy', { type: 'task.cancel', payload: { taskId: first } });
    for (let i = 0; i < CLOSED_TASKS_KEPT; i++) {
      g.must('amy', { type: 'task.cancel', payload: { taskId: g.post('amy', 1) } });
    }
    const open = g.post('amy', 1);
    expect(docParts(g.doc).tasks.has(first)).toBe(false);
    expect(docParts(g.doc).tasks.has(open)).toBe(true);
    expect(docParts(g.doc).tasks.size).toBe(CLOSED_TASKS_KEPT + 1);
    const fresh = new Y.Doc();
    projectAll(fresh, g.state, 'e');
    expect(docContent(g.doc)).toEqual(docContent(fresh));
  });

  it('[Y2] sends one claim per claim, however many the card holds, and joins them back in order', () => {
    const g = new DomainSim({ startingGrant: 1000 });
    g.join('poster');
    const taskId = g.post('poster', 50);
    for (let i = 0; i < 40; i++) g.join(`h${i}`);
    for (let i = 0; i < 39; i++) g.claim(`h${i}`, taskId);
    let update: Uint8Array | null = null;
    g.doc.on('update', (u: Uint8Array) => (update = u));
    g.claim('h39', taskId);
    // One claim and the version: not the card (~5 KB at 40 claims), nor the helper's member card.
    expect(update!.byteLength).toBeLessThan(300);
    expect(valuesIn(update!).some((v) => 'balance' in v)).toBe(false);
    expect(tasksOf(g.doc).find((t) => t.id === taskId)).toEqual(g.state.tasks[taskId]);
  });

  it('[Y2] hands back the same card object for a task that did not change', () => {
    const g = new DomainSim({ startingGrant: 1000, maxOpenTasksPerMember: 50 });
    g.join('amy');
    g.join('bob');
    const quiet = g.post('amy', 2);
    const busy = g.post('amy', 2);
    const before = tasksOf(g.doc);
    g.claim('bob', busy);
    const after = tasksOf(g.doc, before);
    expect(after.find((t) => t.id === quiet)).toBe(before.find((t) => t.id === quiet));
    expect(after.find((t) => t.id === busy)).not.toBe(before.find((t) => t.id === busy));
    expect(after.find((t) => t.id === busy)?.claims).toHaveLength(1);
  });

  it('[Y2] a chat message sends the message, not its author’s member card', () => {
    const g = new DomainSim();
    g.join('amy');
    let update: Uint8Array | null = null;
    g.doc.on('update', (u: Uint8Array) => (update = u));
    g.must('amy', { type: 'chat.send', payload: { text: '今天的优惠大家看一下', kind: 'chat' } });
    const values = valuesIn(update!);
    expect(values.some((v) => v.text === '今天的优惠大家看一下')).toBe(true);
    expect(values.some((v) => 'balance' in v)).toBe(false);
    expect(g.state.members.amy?.stats.messages).toBe(1);
  });

  it('[Y2] takes a task’s claims out of the doc with the task', () => {
    const g = new DomainSim({ startingGrant: 1000, maxOpenTasksPerMember: 50 });
    g.join('amy');
    g.join('bob');
    const first = g.post('amy', 1);
    const claimId = g.claim('bob', first);
    g.must('amy', { type: 'task.cancel', payload: { taskId: first } });
    expect(docParts(g.doc).claims.get(claimId)?.status).toBe('released');
    for (let i = 0; i < CLOSED_TASKS_KEPT; i++) g.must('amy', { type: 'task.cancel', payload: { taskId: g.post('amy', 1) } });
    expect(docParts(g.doc).claims.has(claimId)).toBe(false);
    const fresh = new Y.Doc();
    projectAll(fresh, g.state, 'e');
    expect(docContent(g.doc)).toEqual(docContent(fresh));
  });

  it('holds its own copies: changing the state later does not change what the doc encodes', () => {
    const g = new DomainSim();
    g.join('amy');
    const update = Y.encodeStateAsUpdate(g.doc);
    g.state.members.amy!.balance = 999;
    const reader = new Y.Doc();
    Y.applyUpdate(reader, update);
    expect(docParts(reader).members.get('amy')?.balance).toBe(10);
    expect(docParts(g.doc).members.get('amy')?.balance).toBe(10);
  });

  it('carries the epoch and the version in meta', () => {
    const g = new DomainSim();
    const doc = new Y.Doc();
    projectAll(doc, g.state, 'epoch-x');
    expect(docParts(doc).meta.get('epoch')).toBe('epoch-x');
    expect(docParts(doc).meta.get('version')).toBe(g.state.version);
  });
});

describe('what the doc shows of moderation', () => {
  it('counts a member’s warnings but keeps the reasons out of the doc', () => {
    const g = new DomainSim();
    g.join('amy');
    g.must('owner', { type: 'member.warn', payload: { memberId: 'amy', reason: '发广告' } });
    const view = docParts(g.doc).members.get('amy')!;
    expect(view.warnings).toHaveLength(1);
    expect(JSON.stringify(view)).not.toContain('发广告');
    expect(g.state.members.amy?.warnings[0]?.reason).toBe('发广告');
  });
});

describe('touchedBy covers every event type', () => {
  // touchedBy's switch ends in exhaustive(e): an event type added to DomainEvent without a case fails
  // `npm run check` (tsc, which CI runs; vitest does not type-check). This line keeps that guard
  // honest: it compiles only while exhaustive() accepts nothing but `never`.
  it('exhaustive() refuses anything but never at compile time, and throws at run time', () => {
    const event: DomainEvent = { type: 'chat.deleted', messageId: 'm1' };
    // @ts-expect-error a DomainEvent is not never: a switch that forgot a type would fail here the same way
    expect(() => exhaustive(event, 'event')).toThrow('unhandled event');
  });
});
