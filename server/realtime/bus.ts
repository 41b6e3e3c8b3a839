import { randomBytes } from 'node:crypto';
import type { RedisClientType } from 'redis';

/**
 * What nodes tell each other outside the log (scale-out): presence changes of their connections,
 * and devices signed out (their Yjs sockets may sit on any node). Redis pub/sub: fire and forget,
 * which suits presence (it is renewed every 15 s) and sign-outs (the session is already gone).
 */
export type BusMessage =
  | { kind: 'awareness'; groupId: string; update: string }
  | { kind: 'signout'; groupId: string; sessionId: string }
  | { kind: 'removed'; groupId: string; memberId: string };

const CHANNEL = 'hz:bus';

export class NodeBus {
  readonly node = randomBytes(6).toString('hex');
  readonly #handlers = new Set<(m: BusMessage) => void>();

  private constructor(
    private readonly pub: RedisClientType,
    private readonly sub: RedisClientType,
  ) {}

  static async connect(client: RedisClientType): Promise<NodeBus> {
    const pub = client.duplicate();
    const sub = client.duplicate();
    for (const c of [pub, sub]) {
      c.on('error', () => undefined);
      await c.connect();
    }
    const bus = new NodeBus(pub, sub);
    await sub.subscribe(CHANNEL, (raw) => {
      const { node, message } = JSON.parse(raw) as { node: string; message: BusMessage };
      if (node === bus.node) return;
      for (const h of bus.#handlers) h(message);
    });
    return bus;
  }

  publish(message: BusMessage) {
    this.pub.publish(CHANNEL, JSON.stringify({ node: this.node, message })).catch(() => undefined);
  }

  on(handler: (m: BusMessage) => void) {
    this.#handlers.add(handler);
  }

  async close() {
    for (const c of [this.sub, this.pub]) if (c.isOpen) c.destroy();
  }
}
