// A Coboard server started by a script, and big boards written into it by a Node Yjs
// client, for the canvas benchmark (bench-canvas.mjs) and the canvas browser test
// (canvas.mjs). Everything stays on 127.0.0.1.

import { spawn } from 'node:child_process'
import { randomBytes } from 'node:crypto'
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { createInterface } from 'node:readline'
import * as Y from 'yjs'
import { WebsocketProvider } from 'y-websocket'
import WebSocket from 'ws'

const BATCH = 500
export const TEMPLATE = 'coproduction-plan'
const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms))

/**
 * Starts `binary` serving `webDir` on a free port with a fresh data directory (removed on
 * exit). New connections per minute per address are raised: every page here comes from
 * 127.0.0.1. Returns the server's addresses and the helpers bound to it.
 */
export async function startBoardServer (binary, webDir) {
  const data = mkdtempSync(join(tmpdir(), 'coboard-big-board-'))
  let server = null
  process.on('exit', () => {
    server?.kill('SIGKILL')
    try { rmSync(data, { recursive: true, force: true }) } catch {}
  })
  async function startServer () {
    const child = spawn(binary, ['serve', '--bind', '127.0.0.1:0', '--data-dir', data, '--web-dir', webDir], {
      stdio: ['ignore', 'pipe', 'inherit'],
      env: { ...process.env, COBOARD_LOG: 'warn', COBOARD_CONNECTIONS_PER_MINUTE_PER_IP: '10000' }
    })
    server = child
    const lines = createInterface({ input: child.stdout })
    return new Promise((resolve, reject) => {
      const t = setTimeout(() => reject(new Error('server did not start within 30 s')), 30_000)
      lines.on('line', (line) => {
        const m = line.match(/Coboard is running at http:\/\/127\.0\.0\.1:(\d+)/)
        if (m) { clearTimeout(t); resolve(Number(m[1])) }
      })
      child.on('exit', (code) => reject(new Error(`server exited (${code})`)))
    })
  }

  const port = await startServer()
  const base = `http://127.0.0.1:${port}`
  const wsBase = `ws://127.0.0.1:${port}/ws`

  async function api (method, path, body, token) {
    const headers = { 'content-type': 'application/json' }
    if (token) headers.authorization = `Bearer ${token}`
    const r = await fetch(base + path, {
      method, headers, body: body && JSON.stringify(body), signal: AbortSignal.timeout(30_000)
    })
    if (!r.ok) throw new Error(`${method} ${path}: ${r.status} ${await r.text()}`)
    return r.json()
  }

  /** A board with a facilitator token (for the Node client) and a contributor link. */
  async function newBoard (title) {
    const created = await api('POST', '/api/boards', { title, template: TEMPLATE })
    const invite = await api('POST', `/api/boards/${created.id}/invites`,
      { role: 'contributor', label: 'bench' }, created.facilitator_token)
    return { id: created.id, token: created.facilitator_token, link: invite.url }
  }

  // ---- the Node Yjs client ---------------------------------------------------------------------

  function connect (board, token, name) {
    const doc = new Y.Doc()
    // disableBc: same-process providers would otherwise sync through BroadcastChannel.
    const provider = new WebsocketProvider(wsBase, board, doc, { WebSocketPolyfill: WebSocket, disableBc: true, params: { token } })
    if (name) provider.awareness.setLocalStateField('user', { name, role: 'public', color: '#1f6feb' })
    else provider.awareness.setLocalState(null)
    return { doc, provider, items: doc.getMap('items') }
  }

  function synced (provider, ms = 60_000) {
    return new Promise((resolve, reject) => {
      if (provider.synced) return resolve()
      const t = setTimeout(() => { provider.off('sync', on); reject(new Error('Yjs client did not sync')) }, ms)
      const on = (s) => { if (s) { clearTimeout(t); provider.off('sync', on); resolve() } }
      provider.on('sync', on)
    })
  }

  /** Where the notes go: below every frame and seeded card, from the left edge of the frames. */
  function gridOrigin (doc) {
    let left = Infinity
    let bottom = 0
    for (const s of doc.getMap('sections').values()) {
      if (typeof s !== 'object' || s === null) continue
      left = Math.min(left, Number(s.x) || 0)
      bottom = Math.max(bottom, (Number(s.y) || 0) + (Number(s.h) || 0))
    }
    for (const m of doc.getMap('items').values()) {
      if (!(m instanceof Y.Map)) continue
      bottom = Math.max(bottom, (m.get('y') ?? 0) + (m.get('h') ?? 140))
    }
    return { x: Number.isFinite(left) ? left : 40, y: bottom + 120 }
  }

  const AUTHOR = { name: 'Bench seeder', role: 'public', anonymous: false, id: 'bench-seeder' }
  const COLOURS = ['yellow', 'green', 'blue', 'pink', 'orange', 'purple']
  const COLUMNS = 20

  /** Adds `n` notes, `BATCH` per transaction; returns their ids in creation order. */
  function seedNotes (doc, n, origin, from = 0) {
    const items = doc.getMap('items')
    const ids = []
    const now = Date.now()
    for (let start = 0; start < n; start += BATCH) {
      doc.transact(() => {
        for (let i = start; i < Math.min(n, start + BATCH); i++) {
          const k = from + i
          const id = randomBytes(8).toString('hex')
          const note = new Y.Map()
          note.set('id', id)
          note.set('kind', 'note')
          note.set('section', '')
          note.set('ref', '')
          note.set('x', origin.x + (k % COLUMNS) * 220)
          note.set('y', origin.y + Math.floor(k / COLUMNS) * 180)
          note.set('w', 200)
          note.set('h', 140)
          note.set('colour', COLOURS[k % COLOURS.length])
          note.set('author', AUTHOR)
          note.set('seeded', false)
          // Distinct times keep the page's order (by created_at) the grid's order.
          note.set('created_at', now + k)
          note.set('updated_at', now + k)
          note.set('status', 'draft')
          note.set('text', new Y.Text(`Note ${k + 1}: transport to the clinic, ideas for the evening sessions`))
          items.set(id, note)
          ids.push(id)
        }
      })
    }
    return ids
  }

  /** Reconnects fresh clients until the server hands back at least `want` items. */
  async function serverHas (board, token, want, ms = 180_000) {
    const until = Date.now() + ms
    let got = -1
    while (Date.now() < until) {
      const c = connect(board, token, null)
      try {
        await synced(c.provider, Math.max(1000, until - Date.now()))
        got = c.items.size
      } finally {
        c.provider.destroy()
        c.doc.destroy()
      }
      if (got >= want) return got
      await sleep(500)
    }
    throw new Error(`the server has ${got} items, expected ${want}`)
  }

  return { port, base, wsBase, api, newBoard, connect, synced, gridOrigin, seedNotes, serverHas }
}

/** Scrolls the board's canvas on `page` so that the note (a Y.Map of the board's items)
 * is in view: on a big board only the cards near the view are on the page. */
export async function bringIntoView (page, note) {
  await page.waitForSelector('section.canvas', { timeout: 120_000 })
  await page.evaluate(([x, y]) => {
    const canvas = document.querySelector('section.canvas')
    canvas.scrollLeft = Math.max(0, x - 100)
    canvas.scrollTop = Math.max(0, y - 100)
  }, [note.get('x'), note.get('y')])
}
