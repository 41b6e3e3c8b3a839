export type Route =
  | { name: 'home' }
  | { name: 'join'; code: string }
  | { name: 'board'; groupId: string }
  | { name: 'credits'; groupId: string }
  | { name: 'admin'; groupId: string }
  /** 管理 → 群数据: the group's figures, for the owner and admins. */
  | { name: 'health'; groupId: string }
  | { name: 'account'; groupId: string }
  | { name: 'link'; code: string }
  | { name: 'screen'; groupId: string; token: string }
  /** The public proof of an event's prize draw: anyone with the link (the projector's QR) may check it. */
  | { name: 'draw'; groupId: string; eventId: string }
  | { name: 'notFound' };

/** A member's pages of one group: they share that group's session (views/GroupPages.svelte). */
export type GroupPage = Extract<Route, { name: 'board' | 'credits' | 'admin' | 'health' | 'account' }>;

export function isGroupPage(route: Route): route is GroupPage {
  return route.name === 'board' || route.name === 'credits' || route.name === 'admin' || route.name === 'health' || route.name === 'account';
}

function segment(raw: string): string | null {
  try {
    return decodeURIComponent(raw);
  } catch {
    return null;
  }
}

export function parseRoute(pathname: string, search = ''): Route {
  if (pathname === '/' || pathname === '') return { name: 'home' };
  const join = /^\/join\/([^/]+)\/?$/.exec(pathname);
  const code = join?.[1] ? segment(join[1]) : null;
  if (code) return { name: 'join', code };
  const link = /^\/link(?:\/([^/]+))?\/?$/.exec(pathname);
  if (link) return { name: 'link', code: link[1] ? (segment(link[1]) ?? '') : '' };
  const draw = /^\/g\/([^/]+)\/draw\/([^/]+)\/?$/.exec(pathname);
  if (draw?.[1] && draw[2]) {
    const [groupId, eventId] = [segment(draw[1]), segment(draw[2])];
    return groupId && eventId ? { name: 'draw', groupId, eventId } : { name: 'notFound' };
  }
  const group = /^\/g\/([^/]+)(?:\/(credits|admin|health|account|screen))?\/?$/.exec(pathname);
  const groupId = group?.[1] ? segment(group[1]) : null;
  if (!groupId) return { name: 'notFound' };
  switch (group?.[2]) {
    case 'credits':
      return { name: 'credits', groupId };
    case 'admin':
      return { name: 'admin', groupId };
    case 'health':
      return { name: 'health', groupId };
    case 'account':
      return { name: 'account', groupId };
    case 'screen':
      return { name: 'screen', groupId, token: new URLSearchParams(search).get('token') ?? '' };
    default:
      return { name: 'board', groupId };
  }
}

/** History-API routing over a handful of paths; the server answers index.html for each of them. */
export class Router {
  #path = $state(location.pathname);
  #search = $state(location.search);
  readonly route: Route = $derived(parseRoute(this.#path, this.#search));

  navigate(path: string): void {
    if (path === this.#path) return;
    history.pushState(null, '', path);
    const url = new URL(path, location.href);
    this.#path = url.pathname;
    this.#search = url.search;
    window.scrollTo(0, 0);
  }

  /** Follows back/forward; returns the cleanup. */
  listen(): () => void {
    const onPop = () => {
      this.#path = location.pathname;
      this.#search = location.search;
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
    // A jump within this page (#section) is the browser's own.
    if (url.hash && url.pathname === location.pathname && url.search === location.search) return;
    event.preventDefault();
    this.navigate(url.pathname + url.search);
  };
}

export const router = new Router();
