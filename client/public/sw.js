// The app shell's service worker: every view opens without a network (the board's data comes from
// the IndexedDB cache of the Yjs doc), and hashed assets are served from the cache.
// Pages: network first, cached shell when offline. /api, /socket.io and /yjs are never cached.
//
// BUILD is written by the build (vite.config.ts, precacheList): every file the build made, lazy
// pages and their CSS included, and a version that names the cache (the build fails without it).
// In dev there is no worker.
const BUILD = /*__PRECACHE__*/ null;
const CACHE = `huzhu-shell-${BUILD.version}`;
const SHELL = ['/', '/manifest.webmanifest', '/icons/icon-192.png'];

async function cacheShell() {
  const cache = await caches.open(CACHE);
  // Fresh copies, never the HTTP cache's, so the shell and its assets match.
  await cache.addAll([...SHELL, ...BUILD.files].map((url) => new Request(url, { cache: 'no-cache' })));
}

self.addEventListener('install', (event) => {
  event.waitUntil(cacheShell().then(() => self.skipWaiting()));
});

self.addEventListener('activate', (event) => {
  event.waitUntil(
    caches
      .keys()
      .then((keys) => Promise.all(keys.filter((k) => k !== CACHE).map((k) => caches.delete(k))))
      .then(() => self.clients.claim()),
  );
});

self.addEventListener('fetch', (event) => {
  const { request } = event;
  const url = new URL(request.url);
  if (request.method !== 'GET' || url.origin !== location.origin) return;
  if (/^\/(api|socket\.io|yjs|healthz|metrics)(\/|$)/.test(url.pathname)) return;
  if (request.mode === 'navigate') {
    // Every page path is the same index.html (client-side routing), cached under '/'. A board page
    // that carries its member's first screen says no-store (server/http/board-page.ts): the cached
    // shell stays the plain page the install fetched.
    event.respondWith(
      fetch(request)
        .then((res) => {
          if (res.ok && !/no-store/.test(res.headers.get('cache-control') ?? '')) {
            const copy = res.clone();
            caches.open(CACHE).then((c) => c.put('/', copy));
          }
          return res;
        })
        .catch(() => caches.match('/')),
    );
    return;
  }
  if (url.pathname.startsWith('/assets/') || url.pathname.startsWith('/icons/') || url.pathname === '/manifest.webmanifest') {
    event.respondWith(
      caches.match(request).then(
        (hit) =>
          hit ||
          fetch(request).then((res) => {
            if (res.ok) {
              const copy = res.clone();
              caches.open(CACHE).then((c) => c.put(request, copy));
            }
            return res;
          }),
      ),
    );
  }
});

// Web Push (docs/notifications.md): the server sends `{title, body, tag, url, groupId, kinds, at}`
// (pushPayloadSchema in shared/protocol/push.ts), already in the member's language. One tag per
// group: a later notification (a merge, "3 条新动态") replaces the earlier one instead of piling up.
self.addEventListener('push', (event) => {
  let data = null;
  try {
    data = event.data ? event.data.json() : null;
  } catch {
    data = null;
  }
  if (!data || typeof data.title !== 'string') return;
  event.waitUntil(
    self.registration.showNotification(data.title, {
      body: typeof data.body === 'string' ? data.body : '',
      tag: typeof data.tag === 'string' ? data.tag : undefined,
      icon: '/icons/icon-192.png',
      badge: '/icons/icon-192.png',
      timestamp: typeof data.at === 'number' ? data.at : Date.now(),
      data: { url: typeof data.url === 'string' ? data.url : '/' },
    }),
  );
});

// A tap opens the card: a window of the board already open is sent there (and brought forward),
// else a new one opens. Only a path on this origin: a payload never sends the member elsewhere.
async function openFromNotification(raw) {
  const url = new URL(raw || '/', self.location.origin);
  const target = url.origin === self.location.origin ? url.href : `${self.location.origin}/`;
  const windows = await self.clients.matchAll({ type: 'window' });
  const open = windows.find((w) => new URL(w.url).origin === self.location.origin);
  if (open) {
    // navigate() needs a window this worker controls, focus() the tap's permission: either may fail.
    const moved = await open.navigate(target).catch(() => null);
    await (moved || open).focus().catch(() => null);
    if (moved) return moved;
  }
  return self.clients.openWindow(target);
}

self.addEventListener('notificationclick', (event) => {
  event.notification.close();
  const opening = openFromNotification(event.notification.data && event.notification.data.url);
  // Keeps the worker alive until the window has opened (a real tap's event only).
  if (event.isTrusted) event.waitUntil(opening);
});
