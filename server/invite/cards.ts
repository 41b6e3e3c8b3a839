import { CardReader } from '../../shared/domain/group-card.ts';
import type { InviteInfo } from '../../shared/protocol/responses.ts';
import type { GroupRuntime } from '../groups/runtime.ts';
import type { EventStore } from '../store/store.ts';

/** Groups whose card reader stays in memory (each holds a week of fills and a time per member). */
const CARDS_KEPT = 500;
const PAGE = 2000;

/**
 * The invite card's figures for each group, read from the log (shared/domain/group-card.ts): each
 * group's reader remembers how far it read, so a visit reads only what was appended since. Reads of
 * one group are chained, so two visits at once never read the same events twice.
 */
export class GroupCards {
  readonly #readers = new Map<string, { reader: CardReader; turn: Promise<void> }>();

  constructor(
    private readonly store: Pick<EventStore, 'readAfter'>,
    private readonly clock: { now(): number },
  ) {}

  async info(runtime: GroupRuntime): Promise<InviteInfo> {
    const s = runtime.state;
    return {
      groupId: s.id,
      name: s.name,
      rules: s.rules,
      memberCount: Object.values(s.members).filter((m) => m.status === 'active' || m.status === 'muted').length,
      requireApproval: s.settings.requireApproval,
      card: s.settings.cardFigures ? await this.#figures(runtime) : null,
    };
  }

  async #figures(runtime: GroupRuntime) {
    let entry = this.#readers.get(runtime.id);
    if (entry) this.#readers.delete(runtime.id);
    else entry = { reader: new CardReader(), turn: Promise.resolve() };
    // Most recently used last: the first key is the one to evict.
    this.#readers.set(runtime.id, entry);
    if (this.#readers.size > CARDS_KEPT) this.#readers.delete(this.#readers.keys().next().value as string);
    const { reader } = entry;
    const caughtUp = entry.turn.then(async () => {
      for (;;) {
        const page = await this.store.readAfter(runtime.id, reader.seq, PAGE);
        reader.read(page);
        if (page.length < PAGE) break;
      }
    });
    entry.turn = caughtUp.catch(() => undefined);
    await caughtUp;
    return reader.figures(runtime.state, this.clock.now());
  }
}
