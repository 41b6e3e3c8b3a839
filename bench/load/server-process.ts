/**
 * The server under test, alone in its process: `huzhu` is the real server (SQLite, limits raised
 * for load, one proxy hop trusted so generators can join as many addresses; with a Redis URL as the
 * second argument, a node of a scale-out), `baseline` a minimal Socket.IO server that broadcasts what it
 * gets to everyone and acks it (scenario 2).
 */
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import fs from 'node:fs';
import { Server } from 'socket.io';
import { startServer } from '../../server/app.ts';
import { tempDir } from '../../support/temp.ts';
import { processUsage } from './usage.ts';

const kind = process.argv[2];
const redisUrl = process.argv[3] ?? '';
let close: () => Promise<void> = async () => undefined;

async function start(): Promise<{ url: string }> {
  if (kind === 'huzhu') {
    const dataDir = tempDir('huzhu-bench-');
    const server = await startServer({
      port: 0,
      host: '127.0.0.1',
      dataDir,
      logLevel: 'silent',
      trustProxy: 1,
      ...(redisUrl && { redisUrl }),
      maxConnectionsPerAddress: 100_000,
      commandBudget: { perMember: 1_000_000, perConnection: 1_000_000, chatPerMember: 1_000_000 },
    });
    close = async () => {
      await server.close();
      fs.rmSync(dataDir, { recursive: true, force: true });
    };
    return { url: `http://127.0.0.1:${server.port}` };
  }
  const httpServer = http.createServer();
  const io = new Server(httpServer, { transports: ['websocket'] });
  io.on('connection', (socket) =>
    socket.on('b', (msg: unknown, ack?: () => void) => {
      io.emit('m', msg);
      if (typeof ack === 'function') ack();
    }),
  );
  await new Promise<void>((resolve) => httpServer.listen(0, '127.0.0.1', resolve));
  close = async () => {
    io.close();
  };
  return { url: `http://127.0.0.1:${(httpServer.address() as AddressInfo).port}` };
}


process.on('message', async (msg: { id: number; req: { op: string } }) => {
  try {
    const result = msg.req.op === 'start' ? await start() : msg.req.op === 'usage' ? processUsage() : msg.req.op === 'close' ? await close() : null;
    process.send?.({ id: msg.id, ok: true, result });
  } catch (err) {
    process.send?.({ id: msg.id, ok: false, error: (err as Error).stack });
  }
});
process.on('disconnect', () => process.exit(0));
