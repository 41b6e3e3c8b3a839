import { createConnection, createServer, type Server, type Socket } from 'node:net';

/**
 * A loopback TCP proxy in front of a real server, which a test can cut like a lost network: cut()
 * destroys every live connection (both sides) and refuses new ones; restore() lets them through
 * again. Unlike Playwright's setOffline, this reaches the service worker and the websockets too.
 */
export class TcpProxy {
  readonly #server: Server;
  readonly #live = new Set<Socket>();
  #cut = false;
  #port = 0;

  private constructor(
    private readonly targetHost: string,
    private readonly targetPort: number,
  ) {
    this.#server = createServer((client) => this.#accept(client));
  }

  /** Listens on 127.0.0.1 on a free port, forwarding to `target` (an http://host:port URL). */
  static async start(target: string): Promise<TcpProxy> {
    const { hostname, port } = new URL(target);
    const proxy = new TcpProxy(hostname, Number(port));
    await new Promise<void>((resolve, reject) => {
      proxy.#server.once('error', reject);
      proxy.#server.listen(0, '127.0.0.1', () => resolve());
    });
    const address = proxy.#server.address();
    if (!address || typeof address === 'string') throw new Error('proxy has no port');
    proxy.#port = address.port;
    return proxy;
  }

  get url(): string {
    return `http://127.0.0.1:${this.#port}`;
  }

  get isCut(): boolean {
    return this.#cut;
  }

  /** Live client connections (each has an upstream twin). */
  get connections(): number {
    return [...this.#live].filter((s) => s.remotePort !== this.targetPort).length;
  }

  #accept(client: Socket) {
    if (this.#cut) {
      client.destroy();
      return;
    }
    const upstream = createConnection({ host: this.targetHost, port: this.targetPort });
    for (const s of [client, upstream]) {
      this.#live.add(s);
      s.on('close', () => this.#live.delete(s));
      // A reset on one side ends the other: that is what the browser would see.
      s.on('error', () => undefined);
    }
    client.on('close', () => upstream.destroy());
    upstream.on('close', () => client.destroy());
    client.pipe(upstream);
    upstream.pipe(client);
  }

  /** The network is gone: every connection drops now, and new ones are refused. */
  cut(): void {
    this.#cut = true;
    for (const s of this.#live) s.destroy();
    this.#live.clear();
  }

  /** The network is back. */
  restore(): void {
    this.#cut = false;
  }

  async close(): Promise<void> {
    this.cut();
    await new Promise<void>((resolve) => this.#server.close(() => resolve()));
  }
}
