import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { YJS_CLOSE } from '../../shared/protocol/socket.ts';
import { OLDEST_PROTOCOL_VERSION, PROTOCOL_VERSION } from '../../shared/protocol/version.ts';
import { CommandClient, createGroup, yjsClient, type Session } from '../../support/clients.ts';
import { testServer } from '../helpers/server.ts';

/**
 * A phone that cached the app keeps working through a deploy (docs/protocol.md, "Versions"): every
 * version from the oldest served to the current one connects on both sockets; an older one is told to
 * reload, a newer one (from an updated node, mid rolling deploy) that this server is too old.
 */
describe('protocol versions accepted by the server', () => {
  let server: Awaited<ReturnType<typeof testServer>>;
  let owner: Session;
  const closers: (() => void)[] = [];

  beforeAll(async () => {
    server = await testServer();
    owner = await createGroup(server.url);
  });
  afterAll(async () => {
    for (const c of closers) c();
    await server.close();
  });

  const served = Array.from({ length: PROTOCOL_VERSION - OLDEST_PROTOCOL_VERSION + 1 }, (_, i) => OLDEST_PROTOCOL_VERSION + i);

  it.each(served)('serves a version-%i client on Socket.IO, saying which version it speaks', async (version) => {
    const c = new CommandClient(server.url, owner, { protocolVersion: version });
    closers.push(() => c.close());
    const hello = new Promise((resolve) => c.socket.once('hello', resolve));
    await c.connected();
    expect(await hello).toEqual({ protocol: PROTOCOL_VERSION, oldest: OLDEST_PROTOCOL_VERSION });
    expect((await c.send({ type: 'chat.send', payload: { text: `来自第${version}版` } })).ok).toBe(true);
  });

  it.each(served)('serves a version-%i client on the Yjs socket', async (version) => {
    const y = yjsClient(server.url, owner, { v: String(version) });
    closers.push(() => y.provider.destroy());
    await y.synced();
  });

  it('tells an older client to reload and a newer one that this server is behind', async () => {
    const old = new CommandClient(server.url, owner, { protocolVersion: OLDEST_PROTOCOL_VERSION - 1 });
    const newer = new CommandClient(server.url, owner, { protocolVersion: PROTOCOL_VERSION + 1 });
    closers.push(() => old.close(), () => newer.close());
    const speaks = { protocol: PROTOCOL_VERSION, oldest: OLDEST_PROTOCOL_VERSION };
    await expect(old.connected()).rejects.toMatchObject({ data: { code: 'PROTOCOL_MISMATCH', details: { reason: 'clientTooOld', ...speaks } } });
    await expect(newer.connected()).rejects.toMatchObject({ data: { code: 'PROTOCOL_MISMATCH', details: { reason: 'serverTooOld', ...speaks } } });
  });

  it.each([
    [String(OLDEST_PROTOCOL_VERSION - 1), YJS_CLOSE.PROTOCOL_MISMATCH],
    ['not-a-version', YJS_CLOSE.PROTOCOL_MISMATCH],
    [String(PROTOCOL_VERSION + 1), YJS_CLOSE.SERVER_TOO_OLD],
  ])('closes a Yjs socket of version %s with code %i', async (v, code) => {
    const y = yjsClient(server.url, owner, { v });
    closers.push(() => y.provider.destroy());
    const closed = await new Promise<number>((resolve) => y.provider.once('connection-close', (event: CloseEvent | null) => resolve(event?.code ?? 0)));
    expect(closed).toBe(code);
  });
});
