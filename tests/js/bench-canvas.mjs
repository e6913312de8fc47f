// Browser benchmark of the board canvas: how a board with many notes loads and how typing
// feels, in headless Chromium against a real server that this script starts itself.
//
//   node tests/js/bench-canvas.mjs <coboard-binary> <web-dir> <notes,...> [--phone]
//        [--runs=2] [--keys=40] [--timeout-min=10]
//
//   e.g. node tests/js/bench-canvas.mjs target/release/coboard client/dist 0,1000,10000
//
// Prints one JSON object on stdout and a short table on stderr. A measurement that fails
// is reported as {"error"} in its place and the exit code is 2; anything else that fails
// (the server, seeding) or running past --timeout-min minutes exits 1. Everything stays
// on 127.0.0.1. It lives beside the browser tests so that it uses their pinned npm
// packages (playwright-core, yjs, y-websocket, ws) and their Chromium launch (lib.mjs);
// nothing else is installed. A 10,000-note board takes minutes per pass on a debug server
// (the page falls far behind the typing): give it --timeout-min=30, or --runs=1.
//
// For each N it creates a board through POST /api/boards (template coproduction-plan,
// whose frames and seeded cards are part of every board), makes a contributor invite,
// and writes N notes with a Node Yjs client (the facilitator's link), laid out as
// docs/board-schema.md says (every key of `Board::add_item`), 500 to a transaction, on a
// grid 220 px × 180 px apart below the template's frames (section ""). It then reconnects
// a fresh client until the server hands back every item. Browser pages open the board
// with the contributor link and a name already chosen (the identity saved by joining once
// through the join dialog is put into each fresh profile's localStorage), so no dialog
// stands between navigation and the board. The template's own 9 seeded cards are cards
// too: with N = 0 the "first note" is one of them. The keystroke measurements type into
// the first two notes of the grid; for N < 2 they are added after the load and bytes
// measurements (`probeNotesAdded`).
//
// Measured, per N (desktop: 1280 × 800):
//  load    navigation start (performance.timeOrigin) → first `div.note` in the DOM with a
//          non-empty box (Playwright's "visible"), read in the first animation frame after
//          the DOM change; also → every item's card in the DOM, and → `__coboard_ready`
//          (synced with the server and access granted). `cold`: a fresh profile (no
//          service worker, no device copy, empty HTTP cache); `warm`: the same profile
//          reloaded (files from the service worker, the board from the device copy in
//          IndexedDB, then synced). Median of --runs runs (the mean, for 2).
//  remote  keystroke from another person: the Node client (person A) appends one ASCII
//          character to a note's Y.Text (y-websocket sends it at once) every 100 ms;
//          from Date.now() just before the insert to Date.now() in the first animation
//          frame of page B whose textarea value holds it (one wall clock for both).
//          Includes the server's checks, its durable append (fsync) and relay, page B's
//          decoding and re-rendering, and up to one frame of polling; excludes painting.
//          A page slower per keystroke than the 100 ms gap falls behind, and the figures
//          then include the queue (`lastArrivalMs` shows it: first send → last arrival).
//  own     own keystroke: Playwright types one character into a focused note of page B
//          every 100 ms; from the keydown event's timeStamp to a setTimeout(0) queued in
//          the first animation frame after the input event, i.e. roughly until that frame
//          is produced (the app's input handler, its Yjs transaction and re-render, style,
//          layout). `keyToHandled` stops at the end of the input event's dispatch instead,
//          and `handler` is that dispatch alone (the app's listeners).
//  bytes   bytes on the wire (a counting TCP proxy in front of the server: HTTP headers,
//          bodies as served, WebSocket frames; `down` = to the browser) for a first visit
//          (fresh profile, until the board is shown, the service worker controls the page
//          and the connection has been quiet for 1 s) and a repeat visit (reload of the
//          same profile), in KB (1 KB = 1024 bytes).
// With --phone it also measures load and own keystrokes on a 390 × 844 phone (isMobile,
// touch, device pixel ratio 3) whose page's main thread is slowed 4× through CDP
// (Emulation.setCPUThrottlingRate; raster and compositor threads are not slowed).
//
// Caveats: one machine runs the server, Chromium (software rendering, --disable-gpu) and
// this script; other load on it shows up in every number. A remote keystroke from a real
// page also carries `updated_at` and, once per burst, an activity line; the Node client
// sends the text alone. The server runs with its default limits, except new connections
// per minute per address (raised, since every page here comes from 127.0.0.1).

import net from 'node:net'
import { cpus } from 'node:os'
import { bringIntoView, startBoardServer, TEMPLATE } from './big-board.mjs'
import { launch, joinBoard } from './lib.mjs'

// ---- arguments -------------------------------------------------------------------------------

const argv = process.argv.slice(2)
const flags = Object.fromEntries(argv.filter((a) => a.startsWith('--')).map((a) => {
  const [k, v] = a.slice(2).split('=')
  return [k, v ?? true]
}))
const [binary, webDir, notesArg] = argv.filter((a) => !a.startsWith('--'))
const die = (msg) => { console.error(msg); process.exit(1) }
if (!binary || !webDir || !notesArg) {
  die('usage: node bench-canvas.mjs <coboard-binary> <web-dir> <notes,...> [--phone] [--runs=2] [--keys=40] [--timeout-min=10]')
}
const COUNTS = notesArg.split(',').map((s) => Number(s.trim()))
if (COUNTS.some((n) => !Number.isInteger(n) || n < 0 || n > 100_000)) die(`bad note counts: ${notesArg}`)
const PHONE = flags.phone === true
const RUNS = Math.max(1, Number(flags.runs ?? 2))
const KEYS = Math.max(1, Math.min(200, Number(flags.keys ?? 40)))
const LIMIT_MS = Number(flags['timeout-min'] ?? 10) * 60_000
const KEY_GAP_MS = 100
const DESKTOP = { viewport: { width: 1280, height: 800 } }
const PHONE_CTX = { viewport: { width: 390, height: 844 }, deviceScaleFactor: 3, isMobile: true, hasTouch: true }
const CPU_SLOWDOWN = 4
// ASCII only, so UTF-16 lengths (the textarea) and Yjs lengths agree.
const CHARS = 'abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789'

setTimeout(() => die(`bench-canvas timed out after ${LIMIT_MS / 60_000} min`), LIMIT_MS).unref()
const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms))
const log = (...a) => console.error('[bench]', ...a)

// ---- the server ------------------------------------------------------------------------------

for (const sig of ['SIGINT', 'SIGTERM']) process.on(sig, () => die(`stopped by ${sig}`))

const { port, base, newBoard, connect, synced, gridOrigin, seedNotes, serverHas } = await startBoardServer(binary, webDir)

// ---- a counting proxy (bytes on the wire) ----------------------------------------------------

function meter () {
  const stats = { down: 0, up: 0, wsDown: 0, wsUp: 0, last: Date.now() }
  const sockets = new Set()
  const srv = net.createServer((client) => {
    const upstream = net.connect(port, '127.0.0.1')
    let ws = null
    sockets.add(client); sockets.add(upstream)
    const end = () => { client.destroy(); upstream.destroy(); sockets.delete(client); sockets.delete(upstream) }
    for (const s of [client, upstream]) { s.on('error', end); s.on('close', end) }
    client.on('data', (d) => {
      if (ws === null) ws = d.toString('latin1', 0, 8) === 'GET /ws/'
      stats.up += d.length
      if (ws) stats.wsUp += d.length
      stats.last = Date.now()
    })
    upstream.on('data', (d) => {
      stats.down += d.length
      if (ws) stats.wsDown += d.length
      stats.last = Date.now()
    })
    client.pipe(upstream)
    upstream.pipe(client)
  })
  return {
    listen: () => new Promise((resolve) => srv.listen(0, '127.0.0.1', () => resolve(srv.address().port))),
    reset () { Object.assign(stats, { down: 0, up: 0, wsDown: 0, wsUp: 0, last: Date.now() }) },
    snapshot () {
      const kb = (b) => Math.round(b / 102.4) / 10
      return { downKB: kb(stats.down), upKB: kb(stats.up), httpDownKB: kb(stats.down - stats.wsDown), wsDownKB: kb(stats.wsDown) }
    },
    async quiet (quietMs = 1000, maxMs = 15_000) {
      const until = Date.now() + maxMs
      while (Date.now() < until && Date.now() - stats.last < quietMs) await sleep(100)
    },
    close () { for (const s of sockets) s.destroy(); srv.close() }
  }
}

// ---- in the page -----------------------------------------------------------------------------

/** Runs before the page's own scripts on every navigation: records, in ms since navigation
 * start, the first visible note, every item's note, and the app's ready flags. */
function probe (want) {
  if (window.top !== window) return
  const b = window.__bench = { want, firstNote: null, allNotes: null, ready: null, restored: null, notes: 0 }
  for (const [flag, key] of [['__coboard_ready', 'ready'], ['__coboard_restored', 'restored']]) {
    let value
    Object.defineProperty(window, flag, {
      configurable: true,
      get: () => value,
      set: (v) => { value = v; if (v === true && b[key] == null) b[key] = performance.now() }
    })
  }
  const notes = document.getElementsByClassName('note')
  let scheduled = false
  let observer = null
  const check = () => {
    scheduled = false
    const t = performance.now()
    b.notes = notes.length
    if (b.firstNote == null) {
      for (let i = 0; i < notes.length && i < 100; i++) {
        const r = notes[i].getBoundingClientRect()
        if (r.width > 0 && r.height > 0 && notes[i].checkVisibility()) { b.firstNote = t; break }
      }
    }
    if (b.allNotes == null && b.firstNote != null && notes.length >= want) b.allNotes = t
    if (b.firstNote != null && b.allNotes != null) observer.disconnect()
  }
  observer = new MutationObserver(() => {
    if (!scheduled) { scheduled = true; requestAnimationFrame(check) }
  })
  observer.observe(document, { childList: true, subtree: true })
}

function seedIdentity (identity) {
  try {
    if (!localStorage.getItem('coboard.identity')) localStorage.setItem('coboard.identity', identity)
  } catch {}
}

// ---- the browser -----------------------------------------------------------------------------

const browser = await launch(LIMIT_MS)
let identity = null
const contexts = new Set()

async function newPage (options, want, slowdown = 1) {
  const context = await browser.newContext(options)
  contexts.add(context)
  context.on('close', () => contexts.delete(context))
  if (identity) await context.addInitScript(seedIdentity, identity)
  await context.addInitScript(probe, want)
  const page = await context.newPage()
  page.setDefaultTimeout(60_000)
  page.errors = []
  page.on('pageerror', (e) => page.errors.push(String(e)))
  // A reload with changes the server has not confirmed asks first; say yes.
  page.on('dialog', (d) => d.accept().catch(() => {}))
  if (slowdown > 1) {
    const cdp = await context.newCDPSession(page)
    await cdp.send('Emulation.setCPUThrottlingRate', { rate: slowdown })
  }
  return page
}

const bench = (page) => page.evaluate(() => ({ ...window.__bench }))

/** Waits for the board to be shown and synced, then for every note; returns the probe. */
async function loaded (page, want, ms = 240_000) {
  await page.waitForFunction(() => {
    const b = window.__bench
    return b && b.ready != null && (b.firstNote != null || b.want === 0)
  }, null, { timeout: ms, polling: 200 })
  // On a board of 150 cards or more the canvas puts only the cards near the view on the
  // page, so "every card in the DOM" is expected only on smaller boards.
  if (want > 0 && want < 150) {
    await page.waitForFunction(() => window.__bench.allNotes != null, null, { timeout: ms, polling: 200 })
      .catch(async () => log(`not every note appeared: ${(await bench(page)).notes} of ${want}`))
  }
  return bench(page)
}

/** Ready for a warm reload: the service worker controls the page and the device copy had
 * time to be written (the page writes once per 500 ms heartbeat). */
async function settle (page) {
  await page.waitForFunction(() => navigator.serviceWorker?.controller != null, null, { timeout: 20_000, polling: 200 })
    .catch(() => log('no service worker took control; the warm load uses the HTTP cache'))
  await sleep(1500)
}

const loadFigures = (b) => ({
  firstNoteMs: b.firstNote == null ? null : Math.round(b.firstNote),
  allNotesMs: b.allNotes == null ? null : Math.round(b.allNotes),
  readyMs: b.ready == null ? null : Math.round(b.ready),
  restoredMs: b.restored == null ? null : Math.round(b.restored)
})

/** Cold (fresh profile) and warm (reload) loads, `RUNS` of each. */
async function loads (link, want, options, slowdown) {
  const cold = []
  const warm = []
  for (let r = 0; r < RUNS; r++) {
    const page = await newPage(options, want, slowdown)
    await page.goto(base + link, { waitUntil: 'commit' })
    cold.push(loadFigures(await loaded(page, want)))
    await settle(page)
    await page.reload({ waitUntil: 'commit' })
    warm.push(loadFigures(await loaded(page, want)))
    if (page.errors.length) log(`page errors: ${page.errors.join('; ')}`)
    await page.context().close()
  }
  return { cold: summariseLoads(cold), warm: summariseLoads(warm) }
}

function median (xs) {
  const v = xs.filter((x) => x != null).sort((a, b) => a - b)
  if (!v.length) return null
  const m = v.length >> 1
  return v.length % 2 ? v[m] : Math.round((v[m - 1] + v[m]) / 2)
}
function percentile (xs, p) {
  const v = [...xs].sort((a, b) => a - b)
  if (!v.length) return null
  const i = Math.min(v.length - 1, Math.max(0, Math.ceil((p / 100) * v.length) - 1))
  return Math.round(v[i] * 10) / 10
}
const stats = (xs) => ({ n: xs.length, p50: percentile(xs, 50), p90: percentile(xs, 90), max: percentile(xs, 100) })

function summariseLoads (runs) {
  const out = { runs }
  for (const k of ['firstNoteMs', 'allNotesMs', 'readyMs']) out[k] = median(runs.map((r) => r[k]))
  return out
}

const noteBox = (id) => `div.note[data-id="${id}"] textarea.note-text`

/** How long to wait for the last of `KEYS` keystrokes to be handled on a board of `items`
 * items: a page that takes longer per keystroke than the gap between them falls behind. */
const keysWaitMs = (items) => 30_000 + KEYS * (50 + items * 0.2)

/** Person A (the Node client) types into a note; page B sees it. */
async function remoteKeys (page, typist, id, items) {
  await bringIntoView(page, typist.items.get(id))
  const text = typist.items.get(id).get('text')
  // Page B shows the note's current text before the first keystroke.
  await page.waitForFunction(([sel, want]) => document.querySelector(sel)?.value === want,
    [noteBox(id), text.toString()], { timeout: 30_000, polling: 100 })
  const baseLen = text.length
  await page.evaluate((sel) => {
    const seen = window.__remote = []
    let el = document.querySelector(sel)
    let last = el.value.length
    const frame = () => {
      if (!el.isConnected) el = document.querySelector(sel) ?? el
      const len = el.value.length
      if (len !== last) { last = len; seen.push([Date.now(), len]) }
      if (!window.__remoteStop) requestAnimationFrame(frame)
    }
    requestAnimationFrame(frame)
  }, noteBox(id))
  await sleep(200)
  const sent = []
  for (let k = 0; k < KEYS; k++) {
    sent.push(Date.now())
    text.insert(text.length, CHARS[k % CHARS.length])
    await sleep(KEY_GAP_MS)
  }
  await page.waitForFunction((want) => (window.__remote.at(-1)?.[1] ?? 0) >= want, baseLen + KEYS, { timeout: keysWaitMs(items), polling: 100 })
  const seen = await page.evaluate(() => { window.__remoteStop = true; return window.__remote })
  const latencies = sent.map((t0, k) => seen.find(([, len]) => len >= baseLen + k + 1)[0] - t0)
  // When the page takes longer per keystroke than the gap between them, it falls behind
  // and latencies grow along the run: these two show it (fewer changes seen than
  // keystrokes means several arrived in one frame).
  return { ...stats(latencies), changesSeen: seen.length, lastArrivalMs: seen.at(-1)[0] - sent[0] }
}

/** Page B types into a focused note itself. */
async function ownKeys (page, typist, id, items) {
  await bringIntoView(page, typist.items.get(id))
  const box = page.locator(noteBox(id)).first()
  await box.click()
  await box.press('Control+End')
  await page.evaluate(() => {
    const out = window.__own = []
    let current = null
    addEventListener('keydown', (e) => { current = { key: e.timeStamp } }, true)
    addEventListener('input', () => { if (current) current.input = performance.now() }, true)
    // Added after the app's own listeners, on the outermost target, in the bubbling
    // phase: runs once the app has handled the input event.
    addEventListener('input', () => {
      const c = current
      current = null
      if (!c) return
      c.handled = performance.now()
      requestAnimationFrame(() => {
        c.raf = performance.now()
        setTimeout(() => { c.after = performance.now(); out.push(c) }, 0)
      })
    }, false)
  })
  for (let k = 0; k < KEYS; k++) {
    await page.keyboard.type(CHARS[k % CHARS.length])
    await sleep(KEY_GAP_MS)
  }
  await page.waitForFunction((want) => window.__own.length >= want, KEYS, { timeout: keysWaitMs(items), polling: 100 })
  const recs = await page.evaluate(() => window.__own)
  return {
    keyToFrame: stats(recs.map((r) => r.after - r.key)),
    keyToHandled: stats(recs.map((r) => r.handled - r.key)),
    handler: stats(recs.map((r) => r.handled - r.input))
  }
}

// ---- the run ---------------------------------------------------------------------------------

/** Runs one measurement; a failure is reported in its place and the others go on. */
async function attempt (what, n, fn) {
  const before = new Set(contexts)
  try {
    return await fn()
  } catch (e) {
    const error = String(e?.message ?? e).split('\n')[0]
    log(`N = ${n}: ${what} failed: ${error}`)
    // Close what it left open, so that it does not weigh on the next measurement.
    for (const c of [...contexts]) if (!before.has(c)) await c.close().catch(() => {})
    return { error }
  }
}

// Join once through the dialog, to get a name and role saved as the app saves them.
{
  const b = await newBoard('Join once')
  const page = await newPage(DESKTOP, 0)
  await page.goto(base + b.link)
  await joinBoard(page, 'Bench reader', 'public')
  identity = await page.evaluate(() => localStorage.getItem('coboard.identity'))
  if (!identity) die('no identity saved after joining')
  await page.context().close()
}

const results = []
for (const n of COUNTS) {
  log(`N = ${n}: creating and seeding the board`)
  const board = await newBoard(`Bench ${n} notes`)
  const typist = connect(board.id, board.token, 'Bench typist')
  await synced(typist.provider)
  const templateItems = typist.items.size
  const origin = gridOrigin(typist.doc)
  const seedStart = Date.now()
  let ids = seedNotes(typist.doc, n, origin)
  const want = templateItems + n
  await serverHas(board.id, board.token, want)
  const seedMs = Date.now() - seedStart
  log(`N = ${n}: ${want} items on the server after ${seedMs} ms`)

  const entry = { notes: n, items: want, templateItems, seedMs }

  // a. load, desktop
  entry.load = await attempt('load', n, () => loads(board.link, want, DESKTOP, 1))
  log(`N = ${n}: load cold ${entry.load.cold?.firstNoteMs} ms, warm ${entry.load.warm?.firstNoteMs} ms`)

  // e. bytes: a fresh origin (the proxy's port) is a first visit in every sense.
  entry.bytes = await attempt('bytes', n, async () => {
    const m = meter()
    const proxyPort = await m.listen()
    const page = await newPage(DESKTOP, want)
    const responses = []
    page.on('response', (r) => responses.push({ url: r.url(), sw: r.fromServiceWorker(), enc: r.headers()['content-encoding'] ?? null }))
    const visit = async (go) => {
      responses.length = 0
      m.reset()
      await go()
      await loaded(page, want)
      await page.waitForFunction(() => navigator.serviceWorker?.controller != null, null, { timeout: 20_000, polling: 200 }).catch(() => {})
      await m.quiet(1000, 15_000)
      const wasm = responses.find((r) => /\.wasm$/.test(new URL(r.url).pathname))
      return { ...m.snapshot(), responses: responses.length, fromServiceWorker: responses.filter((r) => r.sw).length, wasmEncoding: wasm?.enc ?? null }
    }
    const first = await visit(() => page.goto(`http://127.0.0.1:${proxyPort}${board.link}`, { waitUntil: 'commit' }))
    await sleep(1500)
    const repeat = await visit(() => page.reload({ waitUntil: 'commit' }))
    await page.context().close()
    m.close()
    log(`N = ${n}: bytes first ${first.downKB} KB, repeat ${repeat.downKB} KB`)
    return { first, repeat }
  })

  // Two notes to type into (the first two of the grid), added now if N < 2.
  if (ids.length < 2) {
    ids = ids.concat(seedNotes(typist.doc, 2 - ids.length, origin, ids.length))
    await serverHas(board.id, board.token, templateItems + 2)
    entry.probeNotesAdded = 2 - n
  }
  const shown = templateItems + Math.max(n, 2)

  // b, c. keystrokes, desktop
  {
    const page = await newPage(DESKTOP, shown)
    const opened = await attempt('opening page B', n, async () => {
      await page.goto(base + board.link, { waitUntil: 'commit' })
      await loaded(page, shown)
    })
    entry.remoteKey = opened?.error ? opened : await attempt('remote keystrokes', n, () => remoteKeys(page, typist, ids[0], shown))
    entry.ownKey = opened?.error ? opened : await attempt('own keystrokes', n, () => ownKeys(page, typist, ids[1], shown))
    if (page.errors.length) log(`page errors: ${page.errors.join('; ')}`)
    await page.context().close()
    log(`N = ${n}: remote p50 ${entry.remoteKey.p50} ms, own p50 ${entry.ownKey.keyToFrame?.p50} ms`)
  }

  // d. phone: load and own keystrokes, main thread slowed down
  if (PHONE) {
    const load = await attempt('phone load', n, () => loads(board.link, shown, PHONE_CTX, CPU_SLOWDOWN))
    const ownKey = await attempt('phone own keystrokes', n, async () => {
      const page = await newPage(PHONE_CTX, shown, CPU_SLOWDOWN)
      await page.goto(base + board.link, { waitUntil: 'commit' })
      await loaded(page, shown)
      const figures = await ownKeys(page, typist, ids[1], shown)
      await page.context().close()
      return figures
    })
    entry.phone = { cpuSlowdown: CPU_SLOWDOWN, load, ownKey }
    log(`N = ${n}: phone load cold ${load.cold?.firstNoteMs} ms, own p50 ${ownKey.keyToFrame?.p50} ms`)
  }

  typist.provider.destroy()
  typist.doc.destroy()
  results.push(entry)
}

// ---- report ----------------------------------------------------------------------------------

const report = {
  binary,
  webDir,
  template: TEMPLATE,
  runs: RUNS,
  keys: KEYS,
  keyGapMs: KEY_GAP_MS,
  cpus: cpus().length,
  chromium: browser.version(),
  at: new Date().toISOString(),
  results
}
console.log(JSON.stringify(report, null, 2))
const failed = results.some((r) => [r.load, r.bytes, r.remoteKey, r.ownKey, r.phone?.load, r.phone?.ownKey].some((x) => x?.error))

const rows = [['notes', 'load cold', 'load warm', 'all notes cold', 'remote p50/p90', 'own p50/p90', 'KB first/repeat',
  ...(PHONE ? ['phone cold', 'phone warm', 'phone own p50/p90'] : [])]]
const cell = (...xs) => xs.map((x) => (x == null ? 'err' : String(x))).join('/')
for (const r of results) {
  rows.push([
    String(r.notes),
    cell(r.load.cold?.firstNoteMs),
    cell(r.load.warm?.firstNoteMs),
    cell(r.load.cold?.allNotesMs),
    cell(r.remoteKey.p50, r.remoteKey.p90),
    cell(r.ownKey.keyToFrame?.p50, r.ownKey.keyToFrame?.p90),
    cell(r.bytes.first?.downKB, r.bytes.repeat?.downKB),
    ...(PHONE
      ? [cell(r.phone.load.cold?.firstNoteMs), cell(r.phone.load.warm?.firstNoteMs),
          cell(r.phone.ownKey.keyToFrame?.p50, r.phone.ownKey.keyToFrame?.p90)]
      : [])
  ])
}
const widths = rows[0].map((_, i) => Math.max(...rows.map((r) => r[i].length)))
console.error('\nms unless stated; load = navigation start → first note visible (median)')
for (const r of rows) console.error(r.map((c, i) => c.padStart(widths[i])).join('  '))

await browser.close()
// Every figure is in the report; a measurement that failed says so there and in the exit code.
process.exit(failed ? 2 : 0)
