export type Route =
  | { name: 'home' }
  | { name: 'join'; code: string }
  | { name: 'board'; groupId: string }
  | { name: 'notFound' };

function segment(raw: string): string | null {
  try {
    return decodeURIComponent(raw);
  } catch {
    return null;
  }
}

export function parseRoute(pathname: string): Route {
  if (pathname === '/' || pathname === '') return { name: 'home' };
  const join = /^\/join\/([^/]+)\/?$/.exec(pathname);
  const code = join?.[1] ? segment(join[1]) : null;
  if (code) return { name: 'join', code };
  const board = /^\/g\/([^/]+)\/?$/.exec(pathname);
  const groupId = board?.[1] ? segment(board[1]) : null;
  if (groupId) return { name: 'board', groupId };
  return { name: 'notFound' };
}

/** History-API routing over a handful of paths; the server answers index.html for each of them. */
export class Router {
  #path = $state(location.pathname);
  readonly route: Route = $derived(parseRoute(this.#path));

  navigate(path: string): void {
    if (path === this.#path) return;
    history.pushState(null, '', path);
    this.#path = path;
    window.scrollTo(0, 0);
  }

  /** Follows back/forward; returns the cleanup. */
  listen(): () => void {
    const onPop = () => {
      this.#path = location.pathname;
    };
    window.addEventListener('popstate', onPop);
    return () => window.removeEventListener('popstate', onPop);
  }

  /** Turns plain same-origin link clicks into in-app navigation. */
  handleClick = (event: MouseEvent): void => {
    if (event.defaultPrevented || event.button !== 0) return;
    if (event.metaKey || event.ctrlKey || event.shiftKey || event.altKey) return;
    const anchor = (event.target as Element | null)?.closest?.('a');
    if (!anchor || anchor.target || anchor.hasAttribute('download')) return;
    const url = new URL(anchor.href, location.href);
    if (url.origin !== location.origin) return;
    event.preventDefault();
    this.navigate(url.pathname);
  };
}

export const router = new Router();
