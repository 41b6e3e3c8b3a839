import fc from 'fast-check';
import * as Y from 'yjs';
import { SqliteEventStore } from '../../server/store/sqlite.ts';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PERMISSIONS } from '../../shared/domain/permissions.ts';
import { ERRORS } from '../../shared/protocol/errors.ts';
import { docContent } from '../../shared/ydoc.ts';
import { api, CommandClient, createGroup, joinGroup, type Session } from '../../support/clients.ts';
import { testServer } from '../helpers/server.ts';

/**
 * Hostile input at the running server: 10,000 malformed commands over Socket.IO and 1,000 HTTP
 * bodies (wrong types, huge strings, prototype-pollution keys, deep nesting, lone surrogates,
 * HTML). Each must get a typed error; the server stays up; the log and the doc do not move.
 */
const HOSTILE_STRINGS = [
  '<script>alert(1)</script>',
  '<img src=x onerror=alert(1)>',
  '\uD800',
  '\uDFFF\uD800',
  '\u0000',
  '\u202E',
  "'; DROP TABLE events; --",
  '{{constructor.constructor("alert(1)")()}}',
  'x'.repeat(5000),
  '验证码'.repeat(400),
  '𝕏'.repeat(300),
];
const KEYS = ['__proto__', 'constructor', 'prototype', 'toString', 'type', 'payload', 'id', 'groupId', 'name', 'text'];
const TYPES = Object.keys(PERMISSIONS);

const hostileString = fc.oneof(fc.constantFrom(...HOSTILE_STRINGS), fc.string({ maxLength: 300 }), fc.string({ unit: 'binary', maxLength: 100 }));
const leaf = fc.oneof(hostileString, fc.integer(), fc.double(), fc.boolean(), fc.constant(null), fc.bigInt().map(String));
const hostileValue: fc.Arbitrary<unknown> = fc.letrec((tie) => ({
  value: fc.oneof({ depthSize: 'small', withCrossShrink: true }, leaf, tie('array'), tie('object')),
  array: fc.array(tie('value'), { maxLength: 5 }),
  object: fc.dictionary(fc.oneof(fc.constantFrom(...KEYS), fc.string({ maxLength: 10 })), tie('value'), { maxKeys: 5 }),
})).value;
/** Deep nesting beyond what any command has. */
const deep = fc.integer({ min: 50, max: 400 }).map((n) => {
  let v: unknown = 'bottom';
  for (let i = 0; i < n; i++) v = { payload: v };
  return v;
});

/**
 * A command envelope that is wrong somewhere; always with one key no schema allows. Kept under the
 * 16 KB message limit: bigger messages close the connection by design (the last test here).
 */
/**
 * An own, enumerable "__proto__" key, as JSON.parse makes on the server (assigning one would set
 * the prototype instead, and the key would vanish from the wire).
 */
function withOwnProto<T extends object>(target: T, value: unknown): T {
  return Object.defineProperty(target, '__proto__', { value, enumerable: true, configurable: true, writable: true });
}

const fitsInAMessage = (v: unknown) => Buffer.byteLength(JSON.stringify(v) ?? '') < 12_000;
const hostileCommand = (groupId: string) =>
  fc.oneof(
    hostileValue,
    deep,
    fc.record({
      id: fc.oneof(fc.uuid(), hostileString),
      groupId: fc.oneof(fc.constant(groupId), hostileString),
      type: fc.oneof(fc.constantFrom(...TYPES), hostileString),
      payload: fc.oneof(hostileValue, deep),
    }).map((c) => withOwnProto(c, { polluted: true })),
    fc.record({ id: fc.uuid(), groupId: fc.constant(groupId), type: fc.constantFrom(...TYPES), payload: hostileValue }).map((c) =>
      Object.assign(c, { constructor: { prototype: { polluted: true } } }),
    ),
  ).filter(fitsInAMessage);

describe('fuzzing the running server', () => {
  let server: Awaited<ReturnType<typeof testServer>>;
  let owner: Session & { inviteCode: string };
  let amy: Session;

  beforeAll(async () => {
    server = await testServer();
    owner = await createGroup(server.url);
    amy = await joinGroup(server.url, owner.inviteCode, '阿芳');
  });
  afterAll(async () => {
    await server.close();
  });

  it('answers 10,000 hostile commands with typed errors and changes nothing', async () => {
    const runtime = (await server.host.get(owner.groupId))!;
    const version = runtime.version;
    const before = docContent(runtime.doc);
    const beforeUpdate = Y.encodeStateVector(runtime.doc);
    const clients = [new CommandClient(server.url, owner), new CommandClient(server.url, amy)];
    await Promise.all(clients.map((c) => c.connected()));
    const codes = new Set(Object.keys(ERRORS));
    let sent = 0;
    await fc.assert(
      fc.asyncProperty(hostileCommand(owner.groupId), fc.boolean(), async (payload, asOwner) => {
        const ack = await clients[asOwner ? 0 : 1]!.raw(payload);
        sent++;
        expect(ack.ok).toBe(false);
        if (!ack.ok) expect(codes.has(ack.error.code)).toBe(true);
      }),
      { numRuns: 10_000 },
    );
    expect(sent).toBeGreaterThanOrEqual(10_000);
    expect(runtime.version).toBe(version);
    expect(docContent(runtime.doc)).toEqual(before);
    expect(Y.encodeStateVector(runtime.doc)).toEqual(beforeUpdate);
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
    expect((await api(server.url, 'GET', '/healthz')).status).toBe(200);
    for (const c of clients) c.close();
  });

  it('answers 1,000 hostile HTTP bodies with typed errors and creates nothing', async () => {
    const store = server.store as SqliteEventStore;
    const count = () => store.db.prepare('SELECT COUNT(*) AS n FROM events').get() as { n: number };
    const events = count().n;
    const paths = ['/api/groups', '/api/join', '/api/recover', '/api/device-link'];
    await fc.assert(
      fc.asyncProperty(fc.constantFrom(...paths), fc.oneof(hostileValue, deep), async (path, body) => {
        const bad = body !== null && typeof body === 'object' && !Array.isArray(body) ? withOwnProto(body, 1) : body;
        const res = await fetch(server.url + path, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(bad) ?? 'null' });
        expect(res.status).toBeGreaterThanOrEqual(400);
        expect(res.status).toBeLessThan(500);
        const json = (await res.json()) as { error: { code: string; message: string } };
        expect(json.error.code in ERRORS).toBe(true);
      }),
      { numRuns: 1000 },
    );
    expect(count().n).toBe(events);
    expect((await api(server.url, 'GET', '/healthz')).status).toBe(200);
  });

  it('drops an oversized socket message without harm', async () => {
    const c = new CommandClient(server.url, amy);
    await c.connected();
    const closed = new Promise<string>((resolve) => c.socket.once('disconnect', (reason) => resolve(reason)));
    c.socket.emit('command', { id: 'x'.repeat(20), groupId: owner.groupId, type: 'chat.send', payload: { text: 'x'.repeat(100_000) } }, () => undefined);
    expect(await closed).toBe('transport close');
    expect((await api(server.url, 'GET', '/healthz')).status).toBe(200);
    c.close();
  });
});
