import path from 'node:path';
import pino from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { GroupHost } from '../../server/groups/host.ts';
import type { GroupRuntime } from '../../server/groups/runtime.ts';
import { authenticateMember } from '../../server/identity/authenticate.ts';
import { SqliteIdentityStore } from '../../server/identity/sqlite.ts';
import { SESSION_COOKIE } from '../../server/http/session.ts';
import { SqliteEventStore } from '../../server/store/sqlite.ts';
import { tempDir } from '../../support/temp.ts';
import { FakeClock } from '../helpers/server.ts';

/**
 * authenticateMember answers HTTP, the Socket.IO handshake and the Yjs upgrade alike, in the order
 * docs/protocol.md gives: no session → UNAUTHENTICATED, no such group → GROUP_NOT_FOUND, not in the
 * group → UNAUTHENTICATED, a waiting join → PENDING_APPROVAL, removed or departed → MEMBER_INACTIVE.
 * Real SQLite log and identity store, real group runtime.
 */
let store: SqliteEventStore;
let identity: SqliteIdentityStore;
let host: GroupHost;
let group: GroupRuntime;
let n = 0;
const clock = new FakeClock();

const cookie = (token: string) => `${SESSION_COOKIE}=${token}`;
const auth = (cookieHeader: string | undefined, groupId = 'group-a') => authenticateMember({ identity, host }, cookieHeader, groupId);
const refusal = async (cookieHeader: string | undefined, groupId = 'group-a') => {
  const a = await auth(cookieHeader, groupId);
  return a.ok ? `ok:${a.member.id}` : a.refusal;
};

/** A device signed in as `memberId` of group-a (who joins first). */
async function device(memberId: string, join = true): Promise<string> {
  if (join) await group.execute({ id: `join-${memberId}`, actor: memberId, command: { type: 'member.join', payload: { memberId, name: memberId } } });
  const token = await identity.createSession('test');
  await identity.addMembership(token, 'group-a', memberId);
  return token;
}

beforeAll(async () => {
  store = new SqliteEventStore(path.join(tempDir('huzhu-auth-'), 'a.sqlite'));
  identity = new SqliteIdentityStore(store, () => clock.now());
  host = new GroupHost({ store, clock, newId: () => `id${++n}`, log: pino({ level: 'silent' }), snapshotEvery: 100, timers: false });
  for (const id of ['group-a', 'group-b']) {
    await host.create(id, { id: `create-${id}`, actor: 'owner', command: { type: 'group.create', payload: { name: id, rules: '', ownerId: 'owner', ownerName: '群主' } } });
  }
  group = (await host.get('group-a'))!;
});

afterAll(async () => {
  await host.close();
  await store.close();
});

describe('authenticateMember', () => {
  it('1. no session: UNAUTHENTICATED, before looking at the group (which need not exist)', async () => {
    expect(await refusal(undefined)).toBe('UNAUTHENTICATED');
    expect(await refusal('')).toBe('UNAUTHENTICATED');
    expect(await refusal(cookie('not-a-session-token'))).toBe('UNAUTHENTICATED');
    expect(await refusal(undefined, 'no-such-group')).toBe('UNAUTHENTICATED');
    expect(await refusal(cookie('not-a-session-token'), 'no-such-group')).toBe('UNAUTHENTICATED');
  });

  it('2. a signed-in device asking for a group that does not exist: GROUP_NOT_FOUND', async () => {
    const token = await device('amy');
    expect(await refusal(cookie(token), 'no-such-group')).toBe('GROUP_NOT_FOUND');
    // A session that belongs to no group at all is still a session.
    expect(await refusal(cookie(await identity.createSession('test')), 'no-such-group')).toBe('GROUP_NOT_FOUND');
  });

  it('3. a session not in this group: UNAUTHENTICATED', async () => {
    const token = await device('bob');
    expect(await refusal(cookie(token), 'group-b')).toBe('UNAUTHENTICATED');
    expect(await refusal(cookie(await identity.createSession('test')))).toBe('UNAUTHENTICATED');
  });

  it('4. a join waiting for approval: PENDING_APPROVAL; approved, it is in', async () => {
    await group.execute({ id: 'approval-on', actor: 'owner', command: { type: 'group.updateSettings', payload: { settings: { requireApproval: true } } } });
    const token = await device('cat');
    expect(await refusal(cookie(token))).toBe('PENDING_APPROVAL');
    await group.execute({ id: 'approve-cat', actor: 'owner', command: { type: 'member.approve', payload: { memberId: 'cat' } } });
    expect(await refusal(cookie(token))).toBe('ok:cat');
    await group.execute({ id: 'approval-off', actor: 'owner', command: { type: 'group.updateSettings', payload: { settings: { requireApproval: false } } } });
  });

  it('5. removed or departed: MEMBER_INACTIVE; muted still reads', async () => {
    const removed = await device('dan');
    const left = await device('eve');
    const muted = await device('fay');
    await group.execute({ id: 'remove-dan', actor: 'owner', command: { type: 'member.remove', payload: { memberId: 'dan', reason: '' } } });
    await group.execute({ id: 'eve-leaves', actor: 'eve', command: { type: 'member.leave', payload: {} } });
    await group.execute({ id: 'mute-fay', actor: 'owner', command: { type: 'member.mute', payload: { memberId: 'fay', minutes: 60, reason: '' } } });
    expect(await refusal(cookie(removed))).toBe('MEMBER_INACTIVE');
    expect(await refusal(cookie(left))).toBe('MEMBER_INACTIVE');
    expect(await refusal(cookie(muted))).toBe('ok:fay');
    // A membership naming a member the group never had reads as closed, not as a stranger.
    expect(await refusal(cookie(await device('ghost', false)))).toBe('MEMBER_INACTIVE');
  });

  it('accepts a member with the session it came in on', async () => {
    const token = await device('gus');
    const a = await auth(`theme=dark; ${cookie(token)}`);
    if (!a.ok) throw new Error(a.refusal);
    expect(a.member.id).toBe('gus');
    expect(a.runtime).toBe(group);
    expect(a.token).toBe(token);
    expect(a.sessionId).toBe(await identity.sessionId(token));
  });
});
