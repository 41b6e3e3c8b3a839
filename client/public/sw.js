// The app shell's service worker: the board opens without a network (its data comes from the
// IndexedDB cache of the Yjs doc), and hashed assets are served from the cache.
// Pages: network first, cached shell when offline. /api, /socket.io and /yjs are never cached.
const CACHE = 'huzhu-shell-v1';
const SHELL = ['/', '/manifest.webmanifest', '/icons/icon-192.png'];

/** The shell plus the hashed bundles index.html names, so an offline reload has everything. */
async function cacheShell() {
  const cache = await caches.open(CACHE);
  const html = await (await fetch('/', { cache: 'no-cache' })).text();
  const assets = [...new Set(html.match(/\/assets\/[^"']+/g) ?? [])];
  await cache.addAll([...SHELL, ...assets]);
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
    event.respondWith(
      fetch(request)
        .then((res) => {
          const copy = res.clone();
          caches.open(CACHE).then((c) => c.put('/', copy));
          return res;
        })
        .catch(() => caches.match('/')),
    );
    return;
  }
  if (url.pathname.startsWith('/assets/') || url.pathname.startsWith('/icons/')) {
    event.respondWith(
      caches.match(request).then(
        (hit) =>
          hit ||
          fetch(request).then((res) => {
            const copy = res.clone();
            caches.open(CACHE).then((c) => c.put(request, copy));
            return res;
          }),
      ),
    );
  }
});
