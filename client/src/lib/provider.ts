import type { WebsocketProvider } from 'y-websocket';

type Handler = (changes: unknown, origin: unknown) => void;

/**
 * Fit y-websocket's provider to a read-only board (docs/protocol.md). Node clients (the bench) use
 * it too, so they cost what a phone costs.
 * - Presence: y-websocket 3.1 re-sends every awareness update it receives, making presence N²
 *   (STACK.md). Keep its sender but feed it only local changes.
 * - Document: the server drops client updates, so nothing is sent; and without an 'update' listener
 *   Yjs does not re-encode every update it applies (docs/benchmarks.md).
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
}
