// Offline-first, in a real browser against the real server: nothing a person writes is
// lost when the connection drops, the page reloads, or the server restarts.
//
// Ada (facilitator) reaches the server through a proxy this script can cut (as a server
// or a network going away) or stall (a phone losing signal: the socket stays open and
// nothing gets through); Ben (contributor) through a second proxy that is never cut. The
// script runs the server itself, so it can restart it and start a new release.
// - socket cut: Ada edits and adds a note, reloads (the app opens from the service
//   worker, her edits from the device); back online, Ben sees them;
// - browser offline, socket still open: the page says so at once; the same again;
// - a stalled socket is noticed by an unanswered ping;
// - the server restarts while Ada is offline: her edits still reach Ben;
// - Ada and Ben edit the same note offline: both edits are kept;
// - Ben's offline work includes a change the rules refuse: the server refuses it whole,
//   and his page offers the work as a file before loading the board afresh;
// - Ben's link is switched off while he has unsent changes: he can download them;
// - a new release while Ada's tab is open: the page moves to it, never mixing files;
// - Ada forgets the board on this device: its copy and link are gone.
//
//   node offline.mjs <coboard-binary> <web-dir> <out-dir>
//
// Prints one JSON line with what was seen; exits non-zero with a message on failure.

import { spawn } from 'node:child_process'
import { createHash } from 'node:crypto'
import { cpSync, mkdtempSync, readFileSync, readdirSync, renameSync, writeFileSync } from 'node:fs'
import net from 'node:net'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { createInterface } from 'node:readline'
import { launch, person, audit, joinBoard, addTo, fail, createBoard } from './lib.mjs'

const [binary, webDir, out] = process.argv.slice(2)
if (!binary || !webDir || !out) fail('usage: node offline.mjs <coboard-binary> <web-dir> <out-dir>')
const data = mkdtempSync(join(tmpdir(), 'coboard-offline-'))
const seen = {}
const audits = []

// ---- the server, which this script can restart -------------------------------------------

let server = null
let serverPort = 0
async function startServer (web) {
  const child = spawn(binary, ['serve', '--bind', '127.0.0.1:0', '--data-dir', data, '--web-dir', web],
    { stdio: ['ignore', 'pipe', 'inherit'], env: { ...process.env, COBOARD_LOG: 'warn' } })
  const lines = createInterface({ input: child.stdout })
  serverPort = await new Promise((resolve, reject) => {
    const t = setTimeout(() => reject(new Error('server did not start')), 20_000)
    lines.on('line', (line) => {
      const m = line.match(/Coboard is running at http:\/\/127\.0\.0\.1:(\d+)/)
      if (m) { clearTimeout(t); resolve(Number(m[1])) }
    })
    child.on('exit', () => reject(new Error('server exited')))
  })
  server = child
}
async function stopServer () {
  const exited = new Promise((resolve) => server.on('exit', resolve))
  server.kill('SIGTERM')
  await exited
}
process.on('exit', () => server?.kill('SIGKILL'))

// ---- a proxy that can be cut or stalled ------------------------------------------------------

function proxy () {
  let mode = 'open'
  const pairs = new Set()
  const srv = net.createServer((client) => {
    if (mode === 'cut') { client.destroy(); return }
    const upstream = net.connect(serverPort, '127.0.0.1')
    const pair = { client, upstream }
    pairs.add(pair)
    const end = () => { client.destroy(); upstream.destroy(); pairs.delete(pair) }
    for (const s of [client, upstream]) { s.on('error', end); s.on('close', end) }
    client.pipe(upstream)
    upstream.pipe(client)
  })
  return {
    listen: () => new Promise((resolve) => srv.listen(0, '127.0.0.1', () => resolve(srv.address().port))),
    // Connections fail and open ones drop, as when a server or a network goes away.
    cut () { mode = 'cut'; for (const p of pairs) { p.client.destroy(); p.upstream.destroy() } },
    // Open connections stay open but carry nothing, as a phone losing signal.
    stall () {
      mode = 'cut'
      for (const { client, upstream } of pairs) {
        client.unpipe(upstream); upstream.unpipe(client); client.pause(); upstream.pause()
      }
    },
    open () { mode = 'open' }
  }
}

// ---- a second release: the same build with every script and style renamed by content -----

function makeRelease (from) {
  const to = mkdtempSync(join(tmpdir(), 'coboard-release-'))
  // Without the build's brotli and gzip copies, which would still hold the old files.
  cpSync(from, to, { recursive: true, filter: (src) => !/\.(br|gz)$/.test(src) })
  const renames = {}
  const hash = (bytes) => createHash('sha256').update(bytes).digest('hex').slice(0, 16)
  // The glue first: boot.js names it, so its new name must be known before boot.js changes.
  const files = readdirSync(join(to, 'assets')).sort((a, b) => (a.startsWith('boot') ? 1 : 0) - (b.startsWith('boot') ? 1 : 0))
  for (const name of files) {
    if (!/\.(js|css)$/.test(name)) continue
    let text = readFileSync(join(to, 'assets', name), 'utf8')
    for (const [a, b] of Object.entries(renames)) text = text.replaceAll(a, b)
    text += name.endsWith('.css') ? '\n/* the next release */\n' : '\n// the next release\n'
    const fresh = name.replace(/-[0-9a-f]{16}\./, `-${hash(text)}.`)
    writeFileSync(join(to, 'assets', name), text)
    renameSync(join(to, 'assets', name), join(to, 'assets', fresh))
    renames[`/assets/${name}`] = `/assets/${fresh}`
  }
  for (const page of ['index.html', 'sw.js']) {
    let text = readFileSync(join(to, page), 'utf8')
    for (const [a, b] of Object.entries(renames)) text = text.replaceAll(a, b)
    if (page === 'sw.js') text = text.replace(/const VERSION = '([0-9a-f]+)'/, (_, v) => `const VERSION = '${v}-next'`)
    writeFileSync(join(to, page), text)
  }
  return { dir: to, assets: Object.values(renames), old: Object.keys(renames) }
}

// ---- helpers -----------------------------------------------------------------------------------

const status = (page) => page.locator('#status').innerText()
async function waitStatus (page, re, timeout = 20_000) {
  try {
    await page.waitForFunction(
      (src) => new RegExp(src).test(document.querySelector('#status')?.textContent ?? ''), re.source, { timeout })
  } catch (e) {
    fail(`waited for the status to match ${re}; it says "${await status(page).catch(() => '?')}"`)
  }
}
const waitText = (page, id, want) => page.waitForFunction(([id, want]) =>
  document.querySelector(`.note[data-id="${id}"] textarea`)?.value === want, [id, want])
const textOf = (page, id) => page.locator(`.note[data-id="${id}"] textarea`).first().inputValue()
async function typeInto (page, id, text) {
  const box = page.locator(`.note[data-id="${id}"] textarea`).first()
  await box.click()
  // The end of the text, not of the wrapped line the click landed on.
  await box.press('Control+End')
  await box.pressSequentially(text)
}
// Reloads a page that may warn before leaving; answers whether it warned.
async function reload (page) {
  let warned = false
  const onDialog = (d) => { if (d.type() === 'beforeunload') warned = true; d.accept() }
  page.on('dialog', onDialog)
  await page.reload({ waitUntil: 'domcontentloaded' })
  page.off('dialog', onDialog)
  return warned
}
const opened = (page) => page.waitForFunction(() => window.__coboard_restored === true || window.__coboard_ready === true)

// ---- the session -------------------------------------------------------------------------------

await startServer(webDir)
const adaNet = proxy()
const benNet = proxy()
const adaBase = `http://127.0.0.1:${await adaNet.listen()}`
const benBase = `http://127.0.0.1:${await benNet.listen()}`
const browser = await launch(300_000)
const ada = await person(browser)
const ben = await person(browser)
if (process.env.DEBUG_CONSOLE) {
  for (const [who, page] of [['ada', ada], ['ben', ben]]) {
    page.on('console', (m) => { if (m.type() === 'error') console.error(who, m.text()) })
    page.on('pageerror', (e) => console.error(who, 'pageerror', String(e), e.stack))
  }
}

await createBoard(ada, adaBase, 'Bus routes to the clinic', 'coproduction-plan')
const board = ada.url().split('/').pop()
await joinBoard(ada, 'Ada', 'facilitator')
// The service worker has the app once it controls the page.
await ada.waitForFunction(() => navigator.serviceWorker?.controller != null)
const invite = await ada.evaluate(async (board) => {
  const token = localStorage.getItem(`coboard.token.${board}`)
  const r = await fetch(`/api/boards/${board}/invites`, {
    method: 'POST', headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
    body: JSON.stringify({ role: 'contributor', label: 'Ben' })
  })
  return r.json()
}, board)
await ben.goto(benBase + invite.url)
await joinBoard(ben, 'Ben', 'public')

const n1 = await addTo(ada, 'aims', 'Buses that reach the clinic')
await waitText(ben, n1, 'Buses that reach the clinic')
await waitStatus(ada, /all changes sent/)

// 1. The socket is cut: Ada keeps writing, reloads, and nothing is lost.
adaNet.cut()
await waitStatus(ada, /Connection lost|Not connected|Offline/)
await typeInto(ada, n1, ' before nine')
const n2 = await addTo(ada, 'aims', 'A shelter at the stop')
await waitStatus(ada, /saved on this device, not sent yet/)
seen.cutStatus = await status(ada)
const keystrokes = ' before nine'.length + 'A shelter at the stop'.length
const counted = Number(seen.cutStatus.match(/(\d+) changes?/)?.[1])
if (!(counted >= 1 && counted <= 3)) fail(`changes waiting counted as ${counted} for ${keystrokes} keystrokes: ${seen.cutStatus}`)
await ada.locator('#status').screenshot({ path: join(out, 'offline-status.png') })
const reloadAt = Date.now()
seen.warnedOnReload = await reload(ada)
if (!seen.warnedOnReload) fail('no warning before reloading with unsent changes')
await opened(ada)
// Reported, not asserted: how long the board takes to open from this device alone.
seen.openedOfflineMs = Date.now() - reloadAt
await waitText(ada, n1, 'Buses that reach the clinic before nine')
await waitText(ada, n2, 'A shelter at the stop')
seen.afterReload = await status(ada)
if (!/saved on this device/.test(seen.afterReload)) fail(`after reload: ${seen.afterReload}`)
audits.push(await audit(ada, 'offline after reload'))
adaNet.open()
await waitText(ben, n1, 'Buses that reach the clinic before nine')
await waitText(ben, n2, 'A shelter at the stop')
await waitStatus(ada, /all changes sent/, 30_000)

// 2. The browser goes offline while its socket stays open.
const ctx = ada.context()
await ctx.setOffline(true)
await waitStatus(ada, /Offline/, 5_000)
await typeInto(ada, n2, ' with a bench')
await waitStatus(ada, /Offline · 1 change saved on this device/)
await reload(ada)
await opened(ada)
await waitText(ada, n2, 'A shelter at the stop with a bench')
await ctx.setOffline(false)
await waitText(ben, n2, 'A shelter at the stop with a bench')
await waitStatus(ada, /all changes sent/, 30_000)

// 3. A stalled socket (nothing gets through, nothing closes) is noticed by its ping.
const stalledAt = Date.now()
adaNet.stall()
await waitStatus(ada, /Not connected|Offline|Connection lost/, 15_000)
seen.stallNoticedMs = Date.now() - stalledAt
seen.stallStatus = await status(ada)
await typeInto(ada, n1, ', weekdays')
adaNet.open()
await waitText(ben, n1, 'Buses that reach the clinic before nine, weekdays')

// 4. The server restarts while Ada is offline.
await waitStatus(ada, /all changes sent/, 30_000)
adaNet.cut()
await waitStatus(ada, /Connection lost|Not connected|Offline/)
await typeInto(ada, n2, ' and a timetable')
await stopServer()
await startServer(webDir)
adaNet.open()
await waitText(ben, n2, 'A shelter at the stop with a bench and a timetable')
await waitStatus(ada, /all changes sent/, 30_000)

// 5. Ada and Ben edit the same note offline; both edits are kept.
await ctx.setOffline(true)
await ben.context().setOffline(true)
await waitStatus(ada, /Offline/, 5_000)
await waitStatus(ben, /Offline/, 5_000)
await typeInto(ada, n1, ' [Ada]')
await typeInto(ben, n1, ' [Ben]')
await ctx.setOffline(false)
await ben.context().setOffline(false)
for (const page of [ada, ben]) {
  await page.waitForFunction((id) => {
    const v = document.querySelector(`.note[data-id="${id}"] textarea`)?.value ?? ''
    return v.includes('[Ada]') && v.includes('[Ben]')
  }, n1, { timeout: 30_000 })
}
seen.merged = await textOf(ada, n1)
if (seen.merged !== await textOf(ben, n1)) fail('the two pages differ after merging')

// 6. Work done offline goes up as one update. Ben's page, tampered with, slips in a change
// the board's rules refuse (marking a card agreed is for facilitators): the server refuses
// the whole update, and his honest words are offered as a file, not wiped.
await waitStatus(ben, /all changes sent/, 30_000)
await ben.context().setOffline(true)
await waitStatus(ben, /Offline/, 5_000)
await typeInto(ben, n2, ' (kept for Ben)')
await ben.evaluate((id) => {
  document.querySelector(`.note[data-id="${id}"] .status-select option[value="agreed"]`).disabled = false
}, n1)
await ben.selectOption(`.note[data-id="${n1}"] .status-select`, 'agreed')
await ben.context().setOffline(false)
await ben.waitForSelector('#start-afresh', { timeout: 30_000 })
seen.refusedOffline = await ben.locator('#refusal').innerText()
const [kept] = await Promise.all([ben.waitForEvent('download'), ben.click('#download-unsent')])
if (!readFileSync(await kept.path(), 'utf8').includes('(kept for Ben)')) fail('the refused offline work was not offered as a file')
if ((await textOf(ada, n2)).includes('(kept for Ben)')) fail('a refused update reached the board')
await ben.click('#start-afresh')
await ben.waitForFunction(() => window.__coboard_ready === true, null, { timeout: 30_000 })
await waitText(ben, n2, await textOf(ada, n2))

// 7. Ben's link is switched off while he has unsent changes: he keeps them.
await waitStatus(ben, /all changes sent/, 30_000)
benNet.cut()
await waitStatus(ben, /Connection lost|Not connected|Offline/)
await typeInto(ben, n2, ' (Ben was here)')
await ada.evaluate(async ([board, id]) => {
  const token = localStorage.getItem(`coboard.token.${board}`)
  const r = await fetch(`/api/boards/${board}/invites/${id}`, { method: 'DELETE', headers: { authorization: `Bearer ${token}` } })
  if (!r.ok) throw new Error(`revoke: ${r.status}`)
}, [board, invite.id])
benNet.open()
await ben.waitForSelector('#refusal')
await ben.waitForSelector('#download-unsent')
const [download] = await Promise.all([ben.waitForEvent('download'), ben.click('#download-unsent')])
const file = readFileSync(await download.path(), 'utf8')
if (!file.includes('(Ben was here)')) fail(`the downloaded changes lack Ben's words: ${file.slice(0, 300)}`)
seen.rescued = download.suggestedFilename()
audits.push(await audit(ben, 'refused with unsent changes'))
await ben.screenshot({ path: join(out, 'unsent-rescue.png') })

// 8. A new release while Ada's tab is open: it moves to the new files, never a mix.
const release = makeRelease(webDir)
await ada.locator('#add-note').focus()
const reloaded = ada.waitForEvent('load', { timeout: 60_000 })
await stopServer()
await startServer(release.dir)
await reloaded
await opened(ada)
const loaded = await ada.evaluate(() => performance.getEntriesByType('resource').map((e) => new URL(e.name).pathname).filter((p) => p.startsWith('/assets/')))
const stale = loaded.filter((p) => release.old.includes(p))
if (stale.length) fail(`the updated page loaded files of the old release: ${stale}`)
seen.caches = await ada.evaluate(() => caches.keys())
if (seen.caches.length !== 1 || !seen.caches[0].endsWith('-next')) fail(`caches after the update: ${seen.caches}`)
await waitText(ada, n2, 'A shelter at the stop with a bench and a timetable')

// 9. Ada forgets the board on this device.
await ada.click('#device-open')
await ada.waitForSelector('#device-panel')
audits.push(await audit(ada, 'this device panel'))
await ada.locator('#device-panel').screenshot({ path: join(out, 'this-device.png') })
await ada.click('#forget-board')
await ada.waitForURL(/\/\?forgot=1$/)
seen.leftAfterForget = await ada.evaluate(async (board) => {
  const db = await new Promise((resolve, reject) => {
    const r = indexedDB.open('coboard')
    r.onsuccess = () => resolve(r.result)
    r.onerror = () => reject(r.error)
  })
  const range = IDBKeyRange.bound([board], [board, []])
  const count = (store, key) => new Promise((resolve) => {
    const r = db.transaction(store).objectStore(store).count(key)
    r.onsuccess = () => resolve(r.result)
  })
  return {
    docs: await count('docs', board),
    log: await count('log', range),
    unsent: await count('unsent', range),
    token: localStorage.getItem(`coboard.token.${board}`)
  }
}, board)
const left = seen.leftAfterForget
if (left.docs || left.log || left.unsent || left.token) fail(`forgetting left ${JSON.stringify(left)}`)

for (const page of [ada, ben]) if (page.errors.length) fail(`page errors: ${page.errors.join('; ')}`)
console.log(JSON.stringify({ ...seen, audits }))
await browser.close()
process.exit(0)
