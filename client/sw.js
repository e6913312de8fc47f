// Coboard's service worker: keeps the app's files on this device, so a board opened
// before opens without a network. The boards themselves are kept by the page, in
// IndexedDB; this worker never sees them, nor any API call or WebSocket.
//
// `cargo xtask client` fills in the version and the list of files, all named by their
// content: a new release is a new worker with a new cache, and it never mixes files.
const VERSION = '__VERSION__'
const CACHE = `coboard-${VERSION}`
const SHELL = '/index.html'
const ASSETS = [
  '__ASSETS__',
]

self.addEventListener('install', event => {
  event.waitUntil((async () => {
    const cache = await caches.open(CACHE)
    await cache.addAll([SHELL, ...ASSETS])
    // Take over at once: open pages reload themselves onto the new files (boot.js).
    await self.skipWaiting()
  })())
})

self.addEventListener('activate', event => {
  event.waitUntil((async () => {
    for (const name of await caches.keys()) {
      if (name.startsWith('coboard-') && name !== CACHE) await caches.delete(name)
    }
    await self.clients.claim()
  })())
})

self.addEventListener('fetch', event => {
  const request = event.request
  if (request.method !== 'GET') return
  const url = new URL(request.url)
  if (url.origin !== self.location.origin) return
  if (url.pathname.startsWith('/assets/')) {
    // Named by content, so a cached copy is always right.
    event.respondWith(caches.match(request).then(hit => hit || fetch(request)))
  } else if (request.mode === 'navigate') {
    event.respondWith(page(request))
  }
})

// Pages come from the server when it answers within a few seconds (so a new release is
// seen at once), else from this device.
async function page (request) {
  try {
    return await Promise.race([
      fetch(request),
      new Promise((resolve, reject) => setTimeout(() => reject(new Error('slow')), 4000))
    ])
  } catch (e) {
    const cached = await caches.match(SHELL, { cacheName: CACHE })
    if (cached) return cached
    throw e
  }
}
