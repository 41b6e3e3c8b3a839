import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { WebSocket, WebSocketServer } from 'ws';
import { sendToAll } from '../../server/realtime/frames.ts';

/** The parts of ws's sender the fast path writes through (not in ws's typed API). */
type Sent = WebSocket & { _sender: { sendFrame(list: Buffer[]): void } };

/**
 * A broadcast's frame is made once and written to each connection as is (server/realtime/frames.ts):
 * real ws connections over loopback get exactly the bytes sent, at every length a frame's header
 * spells differently (7-bit, 16-bit and 64-bit lengths), and through the prebuilt frame, not ws.send.
 */
describe('broadcast frames made once', () => {
  let wss: WebSocketServer;
  const server: Sent[] = [];
  const clients: WebSocket[] = [];
  const received: Buffer[][] = [[], [], []];

  beforeAll(async () => {
    wss = new WebSocketServer({ port: 0, host: '127.0.0.1', perMessageDeflate: false });
    await new Promise<void>((resolve) => wss.once('listening', () => resolve()));
    let allIn: () => void = () => undefined;
    const connected = new Promise<void>((resolve) => (allIn = resolve));
    wss.on('connection', (ws) => {
      if (server.push(ws as Sent) === received.length) allIn();
      // Framed sends must not go through ws.send: a fall-back would hide a broken fast path.
      ws.send = () => {
        throw new Error('ws.send used for a broadcast');
      };
    });
    const { port } = wss.address() as AddressInfo;
    for (const into of received) {
      const client = new WebSocket(`ws://127.0.0.1:${port}`, { perMessageDeflate: false });
      client.on('message', (data: Buffer, isBinary: boolean) => into.push(isBinary ? data : Buffer.from('a text frame')));
      await new Promise<void>((resolve) => client.once('open', () => resolve()));
      clients.push(client);
    }
    await connected;
  });
  afterAll(async () => {
    for (const c of clients) c.close();
    await new Promise<void>((resolve) => wss.close(() => resolve()));
  });

  it('every connection gets the message whole, whatever its length', async () => {
    const lengths = [1, 125, 126, 1_000, 65_535, 65_536, 200_000];
    const messages = lengths.map((n, k) => Uint8Array.from({ length: n }, (_, i) => (i * 31 + k) & 255));
    for (const message of messages) {
      // A view into a larger buffer, as lib0's encoder hands them out.
      const padded = new Uint8Array(message.length + 8);
      padded.set(message, 4);
      sendToAll(server.map((ws) => ({ ws })), padded.subarray(4, 4 + message.length));
    }
    for (const into of received) {
      await expect.poll(() => into.length).toBe(messages.length);
      expect(into.map((b) => b.length)).toEqual(lengths);
      into.forEach((b, k) => expect(b.equals(Buffer.from(messages[k] as Uint8Array))).toBe(true));
    }
  });

  it('writes nothing to a connection that is closing or closed, and the others still get it', async () => {
    const [open, closing, closed] = server as [Sent, Sent, Sent];
    closed.close();
    await expect.poll(() => closed.readyState).toBe(WebSocket.CLOSED);
    closing.close();
    expect(closing.readyState).toBe(WebSocket.CLOSING);
    const written: Sent[] = [];
    for (const ws of server) {
      const sendFrame = ws._sender.sendFrame.bind(ws._sender);
      ws._sender.sendFrame = (list) => {
        written.push(ws);
        sendFrame(list);
      };
    }
    const before = received[0]?.length ?? 0;
    sendToAll(server.map((ws) => ({ ws })), Uint8Array.of(1, 2, 3));
    expect(written).toEqual([open]);
    await expect.poll(() => received[0]?.length).toBe(before + 1);
  });
});
