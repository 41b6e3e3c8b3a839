import type { WebsocketProvider } from 'y-websocket';

type Handler = (changes: unknown, origin: unknown) => void;
type AwarenessChange = { added: number[]; updated: number[]; removed: number[] };

/**
 * Fit y-websocket's provider to a read-only board (docs/protocol.md). Node clients (the bench) use
 * it too, so they cost what a phone costs.
 * - Presence: y-websocket 3.1 re-sends every awareness update it receives, making presence N²
 *   (STACK.md). Keep its sender but feed it only local changes.
 * - Document: the server drops client updates, so nothing is sent; and without an 'update' listener
 *   Yjs does not re-encode every update it applies (docs/benchmarks.md).
 * - Peers: the server relays presence changes, not renewals, and says when a peer goes
 *   (VOUCHED_PRESENCE_SINCE), so while connected every state it sent stands: y-protocols' 30 s
 *   timeout is kept off them (a timer renewing them would lose to that check whenever the browser
 *   throttles a hidden tab's timers). On a close the provider drops them all; their clocks go too, or
 *   the server's copy on reconnecting (same clock, no renewal since) would be ignored as not newer.
 */
export function readOnlyProvider(provider: WebsocketProvider) {
  const p = provider as unknown as { _awarenessUpdateHandler: Handler; _updateHandler: Handler };
  const stock = p._awarenessUpdateHandler;
  const own: Handler = (changes, origin) => {
    if (origin === 'local') stock(changes, origin);
  };
  provider.awareness.off('update', stock);
  provider.awareness.on('update', own);
  // destroy() unsubscribes these fields, so they must name the handlers now installed.
  p._awarenessUpdateHandler = own;
  provider.doc.off('update', p._updateHandler);
  p._updateHandler = () => undefined;
  const awareness = provider.awareness;
  awareness.on('update', ({ added, updated }: AwarenessChange, origin: unknown) => {
    if (origin !== provider) return;
    for (const id of [...added, ...updated]) {
      const meta = awareness.meta.get(id);
      if (meta && id !== awareness.clientID) meta.lastUpdated = Infinity;
    }
  });
  provider.on('status', ({ status }) => {
    if (status !== 'disconnected') return;
    for (const id of [...awareness.meta.keys()]) if (id !== awareness.clientID && !awareness.states.has(id)) awareness.meta.delete(id);
  });
}
