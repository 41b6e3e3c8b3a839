import { getUnixTime } from 'lib0/time';
import type { WebsocketProvider } from 'y-websocket';

type Handler = (changes: unknown, origin: unknown) => void;

/** How often a connected app marks its peers' states as just heard of: y-protocols drops one unheard for 30 s. */
const VOUCH_MS = 10_000;

/**
 * Fit y-websocket's provider to a read-only board (docs/protocol.md). Node clients (the bench) use
 * it too, so they cost what a phone costs.
 * - Presence: y-websocket 3.1 re-sends every awareness update it receives, making presence N²
 *   (STACK.md). Keep its sender but feed it only local changes.
 * - Document: the server drops client updates, so nothing is sent; and without an 'update' listener
 *   Yjs does not re-encode every update it applies (docs/benchmarks.md).
 * - Peers: the server relays presence changes, not renewals, and says when a peer goes
 *   (VOUCHED_PRESENCE_SINCE), so while connected every state it sent stands; on a close the provider
 *   drops them all itself.
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
  const vouch = setInterval(() => {
    if (!provider.wsconnected) return;
    const now = getUnixTime();
    for (const [clientId, meta] of provider.awareness.meta) if (clientId !== provider.awareness.clientID) meta.lastUpdated = now;
  }, VOUCH_MS);
  const destroy = provider.destroy.bind(provider);
  provider.destroy = () => {
    clearInterval(vouch);
    destroy();
  };
}
