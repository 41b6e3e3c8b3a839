import * as Y from 'yjs';
import { describe, expect, it } from 'vitest';
import { CLOSED_TASKS_KEPT } from '../../shared/domain/types.ts';
import { docContent, docParts, projectAll } from '../../shared/ydoc.ts';
import { DomainSim } from '../helpers/domain.ts';

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
