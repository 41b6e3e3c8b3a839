import type { Logger } from 'pino';
import type { RedisClientType } from 'redis';
import type { GroupHost } from './host.ts';

/** How long one blocking read waits before looking at the list of loaded groups again. */
const BLOCK_MS = 1000;

/**
 * Scale-out: follow the Redis streams of the groups this node has loaded and apply what other
 * nodes appended, so every node's state and Y.Doc move with the shared log. The runtime applies
 * only entries past its own version, so this node's own appends pass through harmlessly.
 */
export class StreamTailer {
  readonly #positions = new Map<string, number>();
  #running = true;
  readonly #done: Promise<void>;

  constructor(
    private readonly reader: RedisClientType,
    private readonly host: GroupHost,
    private readonly log: Logger,
  ) {
    host.onLoaded((runtime) => this.#positions.set(runtime.id, runtime.version));
    this.#done = this.#loop();
  }

  async #loop() {
    while (this.#running) {
      if (this.#positions.size === 0) {
        await new Promise((r) => setTimeout(r, BLOCK_MS / 4));
        continue;
      }
      try {
        const streams = [...this.#positions].map(([groupId, seq]) => ({ key: `hz:{g:${groupId}}:log`, id: `${seq}-1` }));
        const reply = (await this.reader.xRead(streams, { BLOCK: BLOCK_MS, COUNT: 100 })) as
          | { name: string; messages: { id: string }[] }[]
          | null;
        for (const stream of reply ?? []) {
          const groupId = /^hz:\{g:(.+)\}:log$/.exec(stream.name)?.[1];
          const last = stream.messages.at(-1);
          if (!groupId || !last) continue;
          this.#positions.set(groupId, Number(last.id.split('-')[0]));
          const runtime = await this.host.get(groupId);
          await runtime?.sync();
        }
      } catch (err) {
        if (!this.#running) break;
        this.log.warn({ err }, 'tailing the group streams failed; retrying');
        await new Promise((r) => setTimeout(r, BLOCK_MS));
      }
    }
  }

  async close() {
    this.#running = false;
    if (this.reader.isOpen) this.reader.destroy();
    await this.#done.catch(() => undefined);
  }
}
